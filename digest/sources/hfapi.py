"""Read the Hugging Face daily papers API's JSON (`/api/daily_papers?date=...`) into entries.

The response is a JSON list with one object per paper: the paper itself under `paper` (`id`,
the arXiv id; `title`, `summary`, `authors`, `publishedAt`, `upvotes`, optionally
`githubRepo`, `githubStars`, `organization`) and a copy of some of it at the top level
(`title`, `summary`, `publishedAt`, `numComments`, sometimes `organization`). Every field is
read tolerantly: a missing or malformed optional field is simply absent from the entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ..errors import DigestError, Problem, error, warning
from ..model import Entry
from ..text import clean, decode_utf8

# JSON's own white space (json.loads accepts exactly these around values).
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# New-style (2510.05491, optionally with a version) and old-style (hep-th/9901001) ids.
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z-]{0,19}(?:\.[A-Z]{2})?/\d{7})(?:v\d{1,3})?$")
NOT_A_LIST = "expected a JSON list of papers, as the daily papers API returns"


T = TypeVar("T")


def parse_daily_papers(
    name: str, data: bytes, path: str, issue: date
) -> tuple[list[Entry], list[Problem]]:
    """Entries of one API listing; a bad item is a warning, a bad file a DigestError.

    `name` is the file's name (entries record it) and `path` how messages name the file.
    `issue`, the listing's date, is not needed: the API dates each paper itself.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    for line, item in load_items(path, decode_utf8(path, data)):
        entry = _entry(name, path, line, item, problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def load_items(path: str, text: str) -> list[tuple[int, Any]]:
    """The top-level list's items, each with the 1-based line it starts on."""
    try:
        found = _scan_list(text)
    except json.JSONDecodeError as exc:
        raise DigestError(error(path, exc.lineno, f"not valid JSON: {exc.msg}")) from None
    except ValueError as exc:  # e.g. an integer past Python's digit limit
        raise DigestError(error(path, None, f"not valid JSON: {exc}")) from None
    except RecursionError:
        raise DigestError(error(path, None, "not valid JSON: nested too deeply")) from None
    if found is None:
        line = text.count("\n", 0, _skip(text, 0)) + 1  # where the top-level value starts
        raise DigestError(error(path, line, NOT_A_LIST))
    return found


def _scan_list(text: str) -> list[tuple[int, Any]] | None:
    """Decode a top-level array item by item to learn where each starts.

    None when the text is valid JSON but not an array; a JSONDecodeError (with json's own
    message and line) when it is not valid JSON.
    """
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        _DECODER.decode(text)  # raises json's own error if it is not JSON at all
        return None
    items: list[tuple[int, Any]] = []
    line, counted = 1, 0
    pos = _skip(text, pos + 1)
    closed = text.startswith("]", pos)
    while not closed:
        item, end = _DECODER.raw_decode(text, pos)
        line += text.count("\n", counted, pos)  # counted incrementally: linear overall
        counted = pos
        items.append((line, item))
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            closed = True
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    pos = _skip(text, pos + 1)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
    return items


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _entry(name: str, path: str, line: int, item: Any, problems: list[Problem]) -> Entry | None:
    if not isinstance(item, dict):
        problems.append(warning(path, line, "item is not a JSON object: skipped"))
        return None
    paper = item.get("paper")
    paper = paper if isinstance(paper, dict) else {}

    def field(key: str, read: Callable[[Any], T]) -> T:
        """The paper object's value, else the item's own copy (an item may have none)."""
        value = read(paper.get(key))
        return read(item.get(key)) if value is None or value in ("", ()) else value

    title = field("title", _text)
    if not title:
        problems.append(warning(path, line, "item has no title: skipped"))
        return None
    abstract = field("summary", _text)
    if not abstract:
        problems.append(warning(path, line, f"paper has no abstract: {title!r}"))
    authors = field("authors", _authors)
    return Entry(
        title=title,
        abstract=abstract,
        authors_count=len(authors) or None,
        organization=field("organization", _organization),
        organization_id=field("organization", _organization_id),
        published=field("publishedAt", _day),
        upvotes=field("upvotes", _count),
        listing=name,
        line=line,
        authors=authors,
        arxiv_id=field("id", _arxiv_id),
        code_url=field("githubRepo", _http_url),
        stars=field("githubStars", _count),
    )


def _text(value: Any) -> str:
    return clean(value) if isinstance(value, str) else ""


def _authors(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (_text(a.get("name")) if isinstance(a, dict) else _text(a) for a in value)
    return tuple(name for name in names if name)


def _organization(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("fullname")) or _text(value.get("name")) or None
    return _text(value) or None


def _organization_id(value: Any) -> str | None:
    """The organisation's name on Hugging Face (its fullname is the one shown)."""
    return (_text(value.get("name")) or None) if isinstance(value, dict) else None


def _day(value: Any) -> date | None:
    """The date part of an ISO timestamp such as 2025-10-07T17:59:43.000Z."""
    match = _DAY.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


# No paper has a billion upvotes or stars: a larger number is a fault, not a count (a
# 300-digit one was shown on the pages and flattened the upvotes chart's other bars).
MOST = 10**9


def _count(value: Any) -> int | None:
    """A whole number from 0 to MOST (the API's schema says number, so 12.0 counts)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or not 0 <= value <= MOST:  # NaN is not equal to itself
        return None
    return int(value) if value == int(value) else None


def _arxiv_id(value: Any) -> str | None:
    """The id without its version: versions of one paper are the same paper."""
    match = _ARXIV_ID.match(value.strip()) if isinstance(value, str) else None
    return match.group(1) if match else None


# Characters that are never part of a URL (RFC 3986) or that could end an HTML attribute
# or a Markdown link: the same ones a link in an abstract stops at (text._URL). A
# `githubRepo` carrying them ("https://github.com/a/b\"><script>...") is not a repository
# address, and papers.json would hand it on to readers as it is.
_NOT_IN_URL = frozenset("<>\"'`{}|\\^[]")


def _http_url(value: Any) -> str | None:
    """Only http(s) links with a host, and nothing that white space or markup could break."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(ch.isspace() or ch in _NOT_IN_URL for ch in url) or clean(url) != url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None
