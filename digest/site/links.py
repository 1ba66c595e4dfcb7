"""Links in an editor's Markdown to pages that are not there, named in the editor's file.

MkDocs checks the links of each page it builds, and a strict build stops on one to no
page; but an editor's note is built into its paper's page, so MkDocs names that page,
which nobody wrote, and `digest check` would pass. Here each link is read where the
editor wrote it and resolved from where the text is shown: a note on its paper's page,
a topic's introduction on the topic's page, an editor's page at its own address.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..errors import DigestError, Problem, error
from ..text import decode_utf8

# An inline link's target, [text](target "title") or [text](<target>), as MkDocs reads it.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Code is shown as written, links and all: a fenced block, or a span in backticks.
_CODE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$|(`+)[^\n]+?\2", re.M | re.S)


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
        text = _CODE.sub(lambda code: re.sub(r"[^\n]", " ", code[0]), text)  # lines kept
        for match in _LINK.finditer(text):
            target = match[1].split("#", 1)[0].split("?", 1)[0]
            if not target.endswith(".md") or target.startswith("/") or _SCHEME.match(target):
                continue
            page = posixpath.normpath(posixpath.join(posixpath.dirname(shown.at), target))
            if shown.papers_checked and page.startswith("papers/"):
                continue
            if page not in pages:
                line = text.count("\n", 0, match.start()) + 1
                elsewhere = not shown.path.endswith(f"/{shown.at}")
                shown_on = f" (shown on {shown.at}, it leads to {page})" if elsewhere else ""
                message = f"links to {target}: no such page{shown_on}"
                problems.append(error(shown.path, line, message))
    return problems
