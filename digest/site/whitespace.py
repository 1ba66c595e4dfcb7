"""A page's HTML without the white space its templates indent it with.

Material's templates indent every tag on a line of its own: some 4 KB of a paper page's
24 KB is runs of spaces and line breaks. A browser shows a run of white space that holds a
line break as one space, or nothing, as it shows the line break alone, except where white
space is kept as written: in `pre` and `textarea`, in `code` and `kbd` (Material styles
them `pre-wrap`), and in scripts and styles, whose text is not HTML. So every such run
next to a tag becomes one line break, outside those elements, and the page shows the same
and says the same words. Nothing else changes: attributes, entities and text stay as
written."""

from __future__ import annotations

import re

# Elements whose white space is kept as written, each from its start tag to its end tag.
_KEPT = re.compile(r"<(pre|textarea|code|kbd|script|style)\b.*?</\1\s*>", re.S | re.I)
# White space holding a line break, just after a tag or just before one.
_AFTER_TAG = re.compile(r">[^\S\n]*\n\s*")
_BEFORE_TAG = re.compile(r"\s*\n[^\S\n]*<")


def fold_whitespace(html: str) -> str:
    """The HTML with each run of white space that holds a line break and touches a tag
    made one line break, outside the elements that keep their white space."""
    parts, start = [], 0
    for kept in _KEPT.finditer(html):
        parts += [_fold(html[start : kept.start()]), kept.group()]
        start = kept.end()
    parts.append(_fold(html[start:]))
    return "".join(parts)


def _fold(html: str) -> str:
    return _BEFORE_TAG.sub("\n<", _AFTER_TAG.sub(">\n", html))
