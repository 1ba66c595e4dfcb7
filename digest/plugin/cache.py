"""The rebuild cache: each generated page's HTML as a build wrote it, kept in
`.cache/digest/` beside mkdocs.yml, so that the next build writes a page that has not
changed without rendering it again (Markdown, then Material's template).

A page's HTML is a function of its Markdown (which the generator makes from the content,
so it holds the listings, notes and topics the page shows), its path, and what every page
shares: the navigation, mkdocs.yml as MkDocs read it, the theme's files, and the software
that renders it (every installed package's version, and digest's own code). A page's key
is a hash of all of these; a change to any of them is a new key, and the old entry is
never read again. Entries not used by a build are deleted at its end.

Each entry starts with a hash of its key and its HTML: an entry that is damaged,
half-written or under another page's name does not match it, and is a miss (the page is
rendered again), never a wrong page. New entries are written to a temporary file and
renamed into place. Deleting the folder is always safe: the next build is a cold one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from .parked import packed

CACHE_DIR = ".cache/digest"
# digest's own code: what it keeps is keyed on it, so a new version keeps nothing old.
DIGEST_CODE = Path(__file__).parents[1]
# The pages' entries: pages/<site key>/<first two of a page's key>/<page's key>.
PAGES = "pages"
KEEP_SITES = 2
# mkdocs.yml's settings that say where files are, not what a page shows.
_PLACES = {"config_file_path", "docs_dir", "site_dir", "dev_addr", "strict", "watch", "plugins"}


def cache_folder(config: MkDocsConfig) -> Path:
    """The cache's folder: beside mkdocs.yml."""
    return Path(config.config_file_path or ".").parent / CACHE_DIR


class PartsHash:
    """A hash of parts given one at a time, in order (each ends with a NUL byte, so parts
    never run together)."""

    def __init__(self) -> None:
        self.digest = hashlib.blake2b(digest_size=20)

    def add(self, part: str | bytes) -> None:
        self.digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        self.digest.update(b"\0")

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def content_hash(*parts: str | bytes) -> str:
    """One hash of the parts, in order."""
    digest = PartsHash()
    for part in parts:
        digest.add(part)
    return digest.hexdigest()


def read_checked(path: Path, key: str = "") -> bytes | None:
    """What write_checked wrote under the key; None if the file is missing, or damaged,
    half-written or written under another key (its first line does not match the rest)."""
    try:
        check, newline, data = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    if not newline or check.decode("ascii", "replace") != content_hash(key, data):
        return None
    return data


def write_checked(path: Path, data: bytes, key: str = "") -> None:
    """The data after a line that hashes it with the key, written to a temporary file and
    renamed into place; a cache that cannot be written only means a slower build."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
            temporary.write(content_hash(key, data).encode("ascii") + b"\n" + data)
        if path.is_dir():  # damage: a folder where the file goes
            remove(path)
        os.replace(temporary.name, path)
    except OSError:
        if temporary is not None:
            Path(temporary.name).unlink(missing_ok=True)


def read_kept(path: Path, key: str) -> dict[str, Any]:
    """A JSON object kept with write_kept under the key; empty if the file is missing,
    damaged, half-written or written under another key: never believed."""
    body = read_checked(path, key)
    return json.loads(body) if body is not None else {}


def write_kept(path: Path, key: str, entries: dict[str, Any]) -> None:
    data = json.dumps(entries, sort_keys=True, separators=(",", ":"))
    write_checked(path, data.encode("utf-8"), key)


class PageCache:
    """Pages' HTML by key, in a folder per site key; what one build used, to delete the
    rest after. `mkdocs serve` has a site key of its own (its pages link to its own
    address), so the newest KEEP_SITES site keys' folders are kept: serving does not throw
    away what the next build reuses."""

    def __init__(self, folder: Path, site: str) -> None:
        self.sites = folder / PAGES
        self.folder = self.sites / site
        self.site = site
        self.used: set[str] = set()

    def key(self, path: str, source_hash: str, linked: str = "") -> str:
        """A page's entry: its site, its path and the hash of its whole source (the front
        matter too: the theme shows some of it, the title in the head, the feeds' links),
        and for a page whose links may reach any page, a hash of every page's path."""
        return content_hash(self.site, path, source_hash, linked)

    def get(self, key: str) -> bytes | None:
        """The entry: the page's HTML, compressed (parked.unpacked gives it), as a build holds it
        until the page is written (50,000 pages' HTML came to 1.4 GB); None if there is
        none, or it does not match its hash."""
        self.used.add(key)
        return read_checked(self._entry(key), key)

    def put(self, key: str, html: str) -> None:
        """Keep the page's HTML; a cache that cannot be written only means a slower build."""
        self.used.add(key)
        write_checked(self._entry(key), packed(html), key)

    def drop_unused(self) -> None:
        """Delete the entries this build did not use (and any left half-written), and the
        folders of all but the newest KEEP_SITES site keys."""
        if not self.folder.is_dir():
            return
        for entry in files_under(self.folder):
            if entry.rpartition("/")[2] not in self.used:
                (self.folder / entry).unlink(missing_ok=True)
        for old in older_than_kept(self.sites.iterdir(), self.folder):
            remove(old)

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key


def remove(path: Path) -> None:
    """Delete a folder with what it holds, or a file (where a damaged cache has a file
    for a folder); nothing if it is not there, or a file is where a folder above it goes."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            path.unlink()


def as_folder(path: Path, root: Path) -> Path:
    """The path (below root), made a folder with its parents up to root, where damage
    left a file in the way of one of them."""
    between = reversed(path.relative_to(root).parents[:-1])  # "a", "a/b" for "a/b/c"
    for place in [root, *(root / part for part in between), path]:
        if place.exists() and not place.is_dir():
            remove(place)
    path.mkdir(parents=True, exist_ok=True)
    return path


def older_than_kept(entries: Iterable[Path], current: Path) -> list[Path]:
    """The entries to delete beside the current one (touched now, so the newest): all but
    the newest KEEP_SITES - 1 others, as a build and `mkdocs serve` each keep their own."""
    current.touch()
    newest_first = sorted(entries, key=lambda p: p.stat().st_mtime_ns, reverse=True)
    return [entry for entry in newest_first if entry != current][KEEP_SITES - 1 :]


def site_key(
    config: MkDocsConfig, nav_titles: list[str], code: Iterable[Path], files: list[str]
) -> str:
    """A hash of everything every page's HTML depends on besides its own Markdown: the
    settings (the navigation's structure among them), the titles of the navigation's
    pages, the files that are not generated (MkDocs resolves a link only to a file that
    is there), the theme's files, digest's code and the installed software."""
    settings = {
        name: value for name, value in config.items() if name not in _PLACES and name != "theme"
    }
    plugins = {name: _plugin_settings(plugin) for name, plugin in config.plugins.items()}
    theme = {"name": config.theme.name, **dict(config.theme)}
    return content_hash(
        json.dumps([settings, plugins, theme], sort_keys=True, default=str),
        Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
        json.dumps(nav_titles),
        json.dumps(sorted(files)),
        files_hash([Path(config.theme.custom_dir)] if config.theme.custom_dir else []),
        files_hash(_snippet_folders(config)),
        files_hash(code),
        "\n".join(installed_software()),
    )


def _plugin_settings(plugin: object) -> object:
    """A plugin's settings; for a hooks module (mkdocs.yml's `hooks:`), its code and that
    of the modules it imported from its folder or below."""
    if isinstance(plugin, BasePlugin):
        return dict(plugin.config)
    source = getattr(plugin, "__file__", None)
    if not source:
        return repr(plugin)
    folder = Path(source).resolve().parent
    return [Path(module).read_text("utf-8") for module in [source, *_modules_below(folder)]]


def _modules_below(folder: Path) -> list[str]:
    """The files of the modules loaded from the folder or below, not installed ones (the
    installed software is in the key already)."""
    files = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    return sorted(
        str(path)
        for path in map(Path, filter(None, files))
        if path.suffix == ".py"
        and folder in path.resolve().parents
        and "site-packages" not in path.parts
    )


def _snippet_folders(config: MkDocsConfig) -> list[Path]:
    """The folders pymdownx.snippets includes files from, where mkdocs.yml names them
    (its default, the folder the build runs in, holds the site itself: README says)."""
    settings = config.mdx_configs.get("pymdownx.snippets", {})
    named = settings.get("base_path", ".")
    folders = [Path(name) for name in ([named] if isinstance(named, str) else named)]
    return [
        folder for folder in folders if folder.is_dir() and Path(".").resolve() != folder.resolve()
    ]


def files_under(folder: Path) -> list[str]:
    """The paths of the files below the folder, relative to it, with '/', sorted: what
    `rglob` gives, some ten times faster on 100,000 files (it asks whether each is a
    folder; os.walk's scandir already knows)."""
    found: list[str] = []
    cut = len(os.path.join(folder, ""))  # the folder's path and its separator
    for parent, _, names in os.walk(folder):
        prefix = parent[cut:].replace(os.sep, "/") + "/" if len(parent) > cut else ""
        found += [prefix + name for name in names]
    return sorted(found)


def files_hash(folders: Iterable[Path]) -> str:
    """The names and contents of every file under the folders."""
    digest = PartsHash()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.add(str(path.relative_to(folder.parent)))
            digest.add(path.read_bytes())
    return digest.hexdigest()


def installed_software() -> list[str]:
    """Python's version and every installed package's, sorted: an upgrade of MkDocs,
    Material, Python-Markdown, an extension or anything else is a new site key."""
    packages = {
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    }
    return [sys.version, *sorted(packages)]
