"""The search index: Pagefind run over the built site in shards, merged into one index
(see README, "Search").

The pages are split into shards by the week of their date (digest/site/search_merge.py),
each indexed by a Pagefind run of its own, so that no run holds the whole archive in
memory. A shard's index is kept in `.cache/digest/search/`, keyed on what Pagefind reads of
its pages: the next build indexes only the shards whose pages changed. The shards' indexes
are then merged into the one index under site/pagefind/ that the browser loads, kept too,
so that a build in which no shard changed only links it into the site.
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ..site import search_merge, search_words
from ..site.search_merge import BODY, MergeError, page_date, shard_of, without_ignored
from . import search_files
from .cache import PartsHash, as_folder, content_hash, files_under, read_kept, remove, write_kept
from .search_files import MANIFEST, keep_for_merging, link, write_index

log = get_plugin_logger(__name__)

# What Pagefind leaves out of the index: the permalink signs beside headings.
SEARCH_IGNORES = ".headerlink"
SHARDS = "search"  # the shards' indexes, in the cache folder
OUTPUT = "pagefind"  # the merged index, in the site
# How shards are made and keyed: a change here makes every shard's key new.
SCHEME = "shards by ISO week, keyed on hashes of pages without ignored divs, 5"
# What a page is to its shard (Facts), kept by its key in the rebuild cache.
FACTS_FILE = "search-facts.json"
_KEY = "/"  # in a kept index's manifest, the folder's own name: no file is named so


@dataclass(frozen=True)
class Facts:
    """What the shards need of a page: whether Pagefind reads it (data-pagefind-body), a
    hash of what it reads, and its date (for its shard)."""

    body: bool
    indexed: str
    date: str

    @classmethod
    def of(cls, html: str) -> Facts:
        indexed = without_ignored(html)
        return cls(BODY in html, content_hash(indexed), page_date(indexed))


@dataclass
class Shard:
    """Pages indexed together: their paths in the site, and a hash of what Pagefind reads
    of them."""

    name: str
    files: list[str] = field(default_factory=list)
    hash: PartsHash = field(default_factory=PartsHash)

    def add(self, path: str, facts: Facts) -> None:
        self.files.append(path)
        self.hash.add(path)
        self.hash.add(facts.indexed)

    @property
    def key(self) -> str:
        # The code that keeps a shard's words for merging (search_files) is in the key:
        # what it keeps changes with it.
        return content_hash(
            SCHEME, _merging_code(), _pagefind_version(), SEARCH_IGNORES, self.hash.hexdigest()
        )


def index_for_search(
    site_dir: Path, cache_dir: Path | None, page_keys: Mapping[str, str] | None = None
) -> list[str]:
    """Write the search index of the built site into site_dir/pagefind/, reusing the
    shards' indexes and the merged index kept under cache_dir (None: keep nothing).
    page_keys: the rebuild cache's key of each generated page, by its path in the site:
    a page's HTML is a function of its key, so what its shard needs of it is kept by that
    key, and a page whose key was seen before is not read again. Returns the names of the
    shards indexed anew."""
    with tempfile.TemporaryDirectory() as scratch, _collector_paused():
        folder = as_folder(cache_dir / SHARDS, cache_dir) if cache_dir else Path(scratch)
        kept = KeptFacts(cache_dir / FACTS_FILE if cache_dir else None, page_keys or {})
        shards = plan_shards(site_dir, kept)
        kept.save()
        fresh: list[str] = []
        try:
            merged, used = _merged(site_dir, shards, folder, fresh)
        except MergeError as exc:  # e.g. shards of two Pagefinds: index the site whole
            log.info("search: indexing the site in one piece (%s)", exc)
            shards = plan_shards(site_dir, kept, whole=True)
            merged, used = _merged(site_dir, shards, folder, fresh)
        shutil.rmtree(site_dir / OUTPUT, ignore_errors=True)
        for path in _files(merged):
            if path.name != MANIFEST:
                link(path, site_dir / OUTPUT / path.relative_to(merged))
        if cache_dir:
            _drop_unused(folder, used)
    log.info("search: %d of %d shards indexed anew %s", len(fresh), len(shards), fresh)
    return fresh


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while shards' words are decoded (keep_for_merging, and a
    shard whose fields are numbered otherwise) and merged. Decoding makes millions of
    small lists, and each time enough are made the collector walks every live object of
    the build as well (MkDocs holds every page): with 4.5 million objects held, keeping
    the 10,000-paper bench's shards' words took 8.1 to 8.4 s with it, 4.2 to 5.5 s
    without. None of this makes garbage cycles; reference counting frees its lists. The
    collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _merged(
    site_dir: Path, shards: list[Shard], folder: Path, fresh: list[str]
) -> tuple[Path, set[str]]:
    """The merged index of the shards, from the cache when none of them changed, and the
    names of the folders it is made of."""
    outputs = []
    for shard in shards:
        output, made = _kept(folder / f"{shard.name}-{shard.key}", partial(_index, site_dir, shard))
        outputs.append(output)
        if made:
            fresh.append(shard.name)
    key = content_hash(_merging_code(), *(output.name for output in outputs))
    merged, _ = _kept(folder / f"merged-{key}", partial(write_index, outputs=outputs))
    return merged, {merged.name, *(output.name for output in outputs)}


def index_in_background(
    site_dir: Path, cache_dir: Path | None, page_keys: Mapping[str, str]
) -> None:
    """index_for_search() in a thread of its own, while `mkdocs serve` serves: its error
    is logged, as nothing waits for it."""
    try:
        index_for_search(site_dir, cache_dir, page_keys)
    except PluginError as exc:
        log.error("%s", exc)


def plan_shards(site_dir: Path, kept: KeptFacts | None = None, whole: bool = False) -> list[Shard]:
    """The site's indexed pages in shards, by name (whole: in one); a shard's pages in
    path order. Indexed are the pages with data-pagefind-body, or all, if none has it, as
    Pagefind does."""
    kept = kept or KeptFacts(None, {})
    pages = [
        path
        for path in files_under(site_dir)
        if path.endswith(".html") and not path.startswith(f"{OUTPUT}/")
    ]
    facts = {path: kept.facts(path, partial(_read, site_dir / path)) for path in pages}
    indexed = [path for path in pages if facts[path].body] or pages
    shards: dict[str, Shard] = {}
    for path in indexed:
        name = "all" if whole else shard_of(facts[path].date)
        shards.setdefault(name, Shard(name)).add(path, facts[path])
    return [shards[name] for name in sorted(shards)]


def _read(path: Path) -> str:
    return path.read_text("utf-8", errors="replace")


class KeptFacts:
    """Pages' Facts by their rebuild cache key, kept in a file (None: nowhere) from one
    build to the next. The file is keyed on the code that finds the facts; a damaged or
    half-written one, or one of another key, is not read (every page is read again)."""

    def __init__(self, path: Path | None, page_keys: Mapping[str, str]) -> None:
        self.path, self.page_keys = path, page_keys
        self.key = content_hash(SCHEME, _merging_code())
        self.known: dict[str, Any] = read_kept(path, self.key) if path else {}
        self.used: dict[str, list[Any]] = {}

    def facts(self, path: str, read: Callable[[], str]) -> Facts:
        """The page's facts: kept, if the page's key is known, else read from its HTML."""
        key = self.page_keys.get(path)
        known = self.known.get(key) if key else None
        facts = Facts(*known) if known else Facts.of(read())
        if key:
            self.used[key] = [facts.body, facts.indexed, facts.date]
        return facts

    def save(self) -> None:
        """Keep the facts of this build's pages (only theirs) for the next build."""
        if self.path and self.used != self.known:
            write_kept(self.path, self.key, self.used)


# --- a shard's own index ------------------------------------------------------------------


def _kept(output: Path, make: Callable[[Path], object]) -> tuple[Path, bool]:
    """The folder output, as kept if whole, else made anew by make(folder), with a list
    of its files' hashes and its own name (its key) written last, and renamed into place;
    whether it was made."""
    if _whole(output):
        return output, False
    remove(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        made = Path(work) / "made"
        make(made)
        manifest = {p.relative_to(made).as_posix(): _file_hash(p) for p in _files(made)}
        manifest[_KEY] = output.name
        (made / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), "utf-8")
        try:
            os.replace(made, output)
        except OSError:  # another build of this project put it there meanwhile
            if not _whole(output):
                raise
    return output, True


def _index(site_dir: Path, shard: Shard, index: Path) -> None:
    """Index the shard's pages alone, with Pagefind, into the folder index, and keep its
    words as the merge reads them."""
    with tempfile.TemporaryDirectory(dir=index.parent) as work:
        for path in shard.files:
            link(site_dir / path, Path(work) / path)
        _run_pagefind(Path(work), index)
    keep_for_merging(index)


def _run_pagefind(pages: Path, index: Path) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(index),
        "--exclude-selectors", SEARCH_IGNORES, "--silent",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PluginError(f"could not run Pagefind to index the site for search: {exc}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise PluginError(f"Pagefind could not index the site for search:\n{output}")


def _whole(output: Path) -> bool:
    """Whether a kept index was made under this name (its key: not another's folder
    moved here) and has every file its manifest names, unchanged (a damaged or
    half-written one is made again, never used)."""
    try:
        manifest = json.loads((output / MANIFEST).read_text("utf-8"))
        if manifest.pop(_KEY, None) != output.name:
            return False
        return all(_file_hash(output / name) == hashed for name, hashed in manifest.items())
    except (OSError, ValueError, AttributeError):
        return False


def _drop_unused(folder: Path, used: set[str]) -> None:
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.name not in used:
            remove(path)


@cache
def _merging_code() -> str:
    """The merging code's own hash: a new digest that merges otherwise merges again."""
    modules = (search_merge, search_words, search_files)
    return content_hash(*(Path(module.__file__).read_bytes() for module in modules))


def _files(folder: Path) -> list[Path]:
    return [folder / path for path in files_under(folder)]


def _file_hash(path: Path) -> str:
    return content_hash(path.read_bytes())


def _pagefind_version() -> str:
    return importlib.metadata.version("pagefind")
