"""HTML the generator writes ready-made (lists of papers), set aside while MkDocs turns a
page's Markdown into HTML and put back after.

A list page is mostly its list: a hundred items of a linked title, facts and a teaser.
Python-Markdown takes some 0.5 ms an item to parse them as Markdown, or as raw HTML, which
it reads with Python's HTML parser. The templates write such lists as the HTML Markdown
would have made (site_templates/_macros.md.j2, paper_list), between two marker comments;
the digest plugin swaps each for a one-line comment before Markdown and back after, and
Markdown never reads them. Untrusted text in them went through the same `text` filter as
everywhere: no '<' of its own, so it cannot end a block or fake a marker."""

from __future__ import annotations

import re

_BLOCK = re.compile(r"^<!-- digest:html -->\n(.*?)\n<!-- /digest:html -->$", re.M | re.S)
# Markdown writes a raw block and a blank line; a list it made would be followed by one
# line break only.
_PLACEHOLDER = re.compile(r"<!-- digest:html (\d+) -->\n?")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each ready-made block replaced by a numbered comment, and the
    blocks, in order."""
    blocks: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"<!-- digest:html {len(blocks) - 1} -->"

    return _BLOCK.sub(placeholder, markdown), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The HTML with each numbered comment replaced by its block."""
    if not blocks:
        return html

    def block(match: re.Match[str]) -> str:
        number = int(match.group(1))  # an editor's text may hold such a comment too
        return blocks[number] if number < len(blocks) else match.group()

    return _PLACEHOLDER.sub(block, html)
