"""Pages' HTML set aside, compressed, between MkDocs' two passes over the pages.

MkDocs converts every page's Markdown first and only then puts each page into its template,
so it holds the whole site's HTML in between: some 13 KB a paper page (a page with one
character beyond Latin-1, a curly quote, is held at two bytes a character), 650 MB at
50,000 papers, most of a cold build's peak memory. The plugin takes each generated page's
HTML once every plugin has had it, keeps it as compressed UTF-8 (about a fifth of that),
and gives it back just before the page's template is rendered, before any other plugin
asks for it."""

from __future__ import annotations

import zlib

from mkdocs.structure.pages import Page

_LEVEL = 1  # the fastest: 0.14 ms a page there and back (7 s at 50,000), a fifth the size


def packed(html: str) -> bytes:
    """The HTML as compressed UTF-8, as a build holds it (here, and the rebuild cache)."""
    return zlib.compress(html.encode("utf-8"), _LEVEL)


def unpacked(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


class ParkedPages:
    """Each set-aside page's HTML, compressed, by its source path."""

    def __init__(self) -> None:
        self._parked: dict[str, bytes] = {}

    def park(self, page: Page, html: str) -> str:
        """Keep the page's HTML; what the page holds meanwhile (nothing)."""
        if html:
            self._parked[page.file.src_uri] = packed(html)
        return ""

    def give_back(self, page: Page) -> None:
        """The page holds its HTML again, if it was set aside."""
        parked = self._parked.pop(page.file.src_uri, None)
        if parked is not None:
            page.content = unpacked(parked)
