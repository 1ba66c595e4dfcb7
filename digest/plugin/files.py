"""The generated pages and files as MkDocs files: rendered when MkDocs reads them, and
marked changed or not, so that `mkdocs serve --dirty` rebuilds only what changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..errors import DigestError
from ..site.icons import ICONS_DIR, SPRITE, icon_sprite
from ..site.pages.paths import page_url
from .cache import content_hash


class GeneratedFile(File):
    """A generated page or file that knows whether it differs from the last build in this
    process: `mkdocs serve --dirty` rebuilds only the pages whose file is modified, and
    MkDocs takes every in-memory file for modified.

    A page's Markdown may be rendered only when MkDocs reads it (see `rendered`), so the
    whole site's Markdown is never held at once."""

    changed = True
    _data: str | bytes | None = None
    _render: Callable[[], str] | None = None

    @classmethod
    def rendered(cls, config: MkDocsConfig, path: str, pages: Mapping[str, str]) -> File:
        """The page at path, whose Markdown is pages[path], asked for when MkDocs reads it."""
        file = cls.generated(config, path, content="")
        file._render = partial(_markdown_of, pages, path)
        return file

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        # What MkDocs' File reads its content_string/content_bytes from.
        return self._render() if self._render is not None else self._data

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._data, self._render = value, None

    def is_modified(self) -> bool:
        return self.changed

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, then let go of its content: MkDocs holds every file to the end
        of the build, and the site's feeds and data files come to some 9 KB a paper
        (450 MB at 50,000 papers). A page's Markdown is not held: it is rendered when read."""
        super().copy_file(dirty)
        self._data = None


def _markdown_of(pages: Mapping[str, str], path: str) -> str:
    try:
        return pages[path]
    except DigestError as exc:  # a template's mistake that only this page's data meets
        raise PluginError("\n".join(str(p) for p in exc.problems)) from None


class GeneratedPage(Page):
    """A generated page outside the navigation. Once the plugin finds its HTML in the cache
    (`reused`), it is not converted: MkDocs would make a Markdown converter, with every
    extension, for its empty source all the same, a tenth of a build whose pages all come
    from the cache (10,000 papers). Pages in the navigation are MkDocs' own, titled as
    the navigation says."""

    reused = False

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if not self.reused:
            super().render(config, files)
            return
        self.content, self.present_anchor_ids = "", set()


@dataclass(frozen=True)
class Build:
    """A build's generated files as content hashes, with its site key: what every page
    shows besides its own content (cache.site_key). The empty Build matches nothing."""

    site: str = ""
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, site: str, built: Mapping[str, str | bytes]) -> Build:
        return cls(site, {path: content_hash(data) for path, data in built.items()})

    def unchanged(self, now: Build) -> set[str]:
        """The paths whose content in `now` is what this build wrote: none when anything
        every page shows (navigation, theme, settings) changed since, or either is empty."""
        if not self.site or now.site != self.site:
            return set()
        return {path for path, digest in now.hashes.items() if self.hashes.get(path) == digest}


def gone_since(last: Build, now: Build, use_directory_urls: bool) -> list[str]:
    """The site's files of the pages and files the last build generated and this one does
    not (a dirty build deletes nothing itself: a deleted listing's pages stayed)."""
    gone = sorted(last.hashes.keys() - now.hashes.keys())
    return [_output_of(path, use_directory_urls) for path in gone]


def _output_of(path: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes a generated source: a page at its address, a file as it is."""
    if not path.endswith(".md"):
        return path
    url = page_url(path, use_directory_urls)
    return url + "index.html" if url == "" or url.endswith("/") else url


def mark_changed(files: Files, last: Build, now: Build) -> tuple[int, int]:
    """What a dirty build renders: the generated files whose content, or anything every
    page shows (the site key), changed since the last build in this process. Returns
    how many changed, of how many."""
    unchanged = last.unchanged(now)
    for file in files:
        if isinstance(file, GeneratedFile):
            file.changed = file.src_uri not in unchanged
    return len(now.hashes) - len(unchanged), len(now.hashes)


def icon_sprite_file(config: MkDocsConfig) -> File | None:
    """The sprite of the icons the site's theme folder draws from it (site/icons.py),
    made of the theme's own icons below that folder; None if it draws none."""
    own = config.theme.custom_dir
    if not own:
        return None
    below = [Path(folder, ICONS_DIR) for folder in config.theme.dirs if folder != own]
    icons = {}
    for drawn in sorted(Path(own, ICONS_DIR).rglob("*.svg")):
        icon = drawn.relative_to(Path(own, ICONS_DIR)).as_posix()
        original = next((folder / icon for folder in below if (folder / icon).is_file()), None)
        if original is None:
            raise PluginError(f"{drawn}: the theme has no icon {icon} to draw")
        icons[icon] = original.read_text(encoding="utf-8")
    return File.generated(config, SPRITE, content=icon_sprite(icons)) if icons else None
