"""Links in an editor's Markdown to pages that are not there, named in the editor's file.

MkDocs checks the links of each page it builds, and a strict build stops on one to no
page; but an editor's note is built into its paper's page, so MkDocs names that page,
which nobody wrote, and `digest check` would pass. Here each file's Markdown is read by
Python-Markdown, as MkDocs reads it (so a link written as code, in a comment or in a raw
HTML block is text, and a reference-style link is a link), and each link is resolved
from where the text is shown: a note on its paper's page, a topic's introduction on the
topic's page, an editor's page at its own address.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..errors import DigestError, Problem, error
from ..text import decode_utf8

# What the site's mkdocs.yml turns on that changes where links are.
_EXTENSIONS = ["md_in_html", "tables", "admonition", "pymdownx.details"]


@dataclass(frozen=True)
class Shown:
    """An editor's file, and the page its text is shown on (a source path, like MkDocs')."""

    path: str  # as messages name it
    data: bytes
    at: str
    # Links to papers/ in notes are checked, and moved to a renamed paper, with the notes.
    papers_checked: bool = False


def broken_links(texts: Iterable[Shown], pages: Collection[str]) -> list[Problem]:
    """An error for each link to a Markdown page that no page of the site is, at its line."""
    problems = []
    for shown in texts:
        try:
            text = decode_utf8(shown.path, shown.data)
        except DigestError:
            continue  # said where the file is read
        for href in links_in(text):
            parts = urlsplit(href)
            target = unquote(parts.path)
            if parts.scheme or parts.netloc or not target.lower().endswith(".md"):
                continue
            if target.startswith("/"):
                continue
            page = posixpath.normpath(posixpath.join(posixpath.dirname(shown.at), target))
            if (shown.papers_checked and page.startswith("papers/")) or page in pages:
                continue
            at = text.find(href)
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            elsewhere = not shown.path.endswith(f"/{shown.at}")
            shown_on = f" (shown on {shown.at}, it leads to {page})" if elsewhere else ""
            problems.append(error(shown.path, line, f"links to {target}: no such page{shown_on}"))
    return problems


def links_in(text: str) -> list[str]:
    """The addresses of the links Markdown makes of the text, in order."""
    found: list[str] = []
    markdown.markdown(text, extensions=[*_EXTENSIONS, _Collect(found)])
    return found


class _Collect(Extension):
    def __init__(self, found: list[str]) -> None:
        super().__init__()
        self.found = found

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md, self.found), "digest-links", 0)


class _Links(Treeprocessor):
    """Runs last, on the page's tree, where raw HTML is still set aside (as MkDocs does)."""

    def __init__(self, md: markdown.Markdown, found: list[str]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: ET.Element) -> None:
        self.found += [a.get("href", "") for a in root.iter("a") if a.get("href")]
