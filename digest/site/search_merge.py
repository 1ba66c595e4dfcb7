"""One Pagefind index made of several: the site is indexed in shards, each by a Pagefind
run of its own (so that no run holds the whole archive in memory, and a shard whose pages
did not change is not indexed again), and the shards' indexes are merged here into the one
index a visitor's browser loads, as Pagefind would have written it for all their pages.

Pagefind's index files hold CBOR (digest/plugin/search.py reads and writes them):
- the metadata: [version, pages [[fragment, word count]], word chunks [[from, to, file]],
  filters [[name, file]], sorts [[name, [page, ...]]], meta field names];
- a word chunk: [[[word, pages, variants], ...]], where a page is [page number, locations,
  meta locations] and a variant (the word as written, with its accents) is [word, pages];
  in each list of pages, in page order, a page's number is the difference from the one
  before it (the first one's, from 0); in meta locations, -(n + 1) starts the locations
  in the metadata's n-th field (the fields, by name, are the metadata's last part);
- a filter: [name, [[value, [page, ...]], ...]], page numbers as they are.

A shard's pages are numbered from 0; in the merged index they follow the shards before
them, so each shard's page numbers are shifted by the pages before it. The words are
joined as CBOR (search_words.py); the rest here is plain data in and out.

The merged index names its pages (and their fragment files) by their place in date order
(page_names) and carries no sort orders: the search page sorts by those names, and by
upvotes from a file of its own, so that what every search downloads first, the metadata,
does not hold two lists of every page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from html import unescape
from typing import Any


class MergeError(Exception):
    """The shards' indexes cannot be merged into one (the caller indexes the site whole)."""


def field_numbers(names: Sequence[str], merged: Sequence[str]) -> list[int] | None:
    """Where each of a shard's metadata fields is among the merged fields (None: the same)."""
    numbers = [merged.index(name) for name in names]
    return None if numbers == list(range(len(numbers))) else numbers


def chunk_bounds(ends: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each chunk's (from, to), from its first and last words, as the metadata says them:
    where two chunks meet, each end is cut to one character past the words' common
    prefix, so that a searched prefix finds the chunks that may hold its words."""
    bounds = [list(pair) for pair in ends]
    for left, right in itertools.pairwise(bounds):
        a, b = left[1], right[0]
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        left[1], right[0] = a[: common + 1], b[: common + 1]
    return [(first, last) for first, last in bounds]


def merge_filters(shards: Sequence[Iterable[list[Any]]], offsets: Sequence[int]) -> list[list[Any]]:
    """Every shard's filters as one: [[name, [[value, pages], ...]], ...], names and
    values in order, each value's pages in shard order."""
    merged: dict[str, dict[str, list[int]]] = {}
    for filters, offset in zip(shards, offsets, strict=True):
        for name, values in filters:
            by_value = merged.setdefault(name, {})
            for value, pages in values:
                by_value.setdefault(value, []).extend(page + offset for page in pages)
    return [
        [name, [[value, merged[name][value]] for value in sorted(merged[name])]]
        for name in sorted(merged)
    ]


def date_order(pages: Sequence[tuple[str, str, int]]) -> list[int]:
    """The pages' numbers, given each page's (date, url, upvotes), in date order, oldest
    first: read backwards, the site's lists' newest first (by date, then most upvoted,
    then url), so the search page's "Newest" agrees with them. Undated pages last."""
    by_url = sorted(range(len(pages)), key=lambda n: _slug_order(pages[n][1]), reverse=True)
    return sorted(by_url, key=lambda n: (not pages[n][0], pages[n][0], pages[n][2]))


def _slug_order(url: str) -> str:
    """A page's address as the lists order it, by its slug: without the "/" or ".html" it
    ends in, which would put "a-b/" before "a/" ("-" sorts before "/")."""
    return url.removesuffix("/").removesuffix(".html")


def page_names(prefix: str, order: Sequence[int]) -> list[str]:
    """Each page's name in the merged index, by page number: the prefix, "_", and its
    place in date order (date_order) in base 36. The search page sorts by that number,
    newest first, without downloading anything more; and nearly consecutive names take
    half the room of Pagefind's random ones in the index's metadata."""
    names = [""] * len(order)
    for place, n in enumerate(order):
        names[n] = f"{prefix}_{base36(place)}"
    return names


def base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not number:
            return digits


# --- what Pagefind reads of a page -------------------------------------------------------

BODY = "data-pagefind-body"
_IGNORED = re.compile(r'<div\b[^>]*\bdata-pagefind-ignore="all"[^>]*>')
_DIV = re.compile(r"<(/?)div\b")
_DATE = re.compile(r'data-pagefind-meta="date:([^"]*)"')  # no \b: a literal start is faster
OTHER_PAGES = "pages"  # the shard of the pages that have no date (home, topics, editors')


def without_ignored(html: str) -> str:
    """The page less each `div` marked data-pagefind-ignore="all" (Pagefind reads nothing
    in it): what a shard's key is made of, so that a page whose related papers or issues
    changed does not make its shard be indexed again. A div left open is kept."""
    kept, start = [], 0
    while match := _IGNORED.search(html, start):
        depth, end = 1, None
        for tag in _DIV.finditer(html, match.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = html.find(">", tag.end()) + 1
                break
        if not end:
            break
        kept.append(html[start : match.start()])
        start = end
    kept.append(html[start:])
    return "".join(kept)


def page_date(html: str) -> str:
    """The page's date, as its metadata for Pagefind says it (HTML-unescaped), or ""."""
    found = _DATE.search(html)
    return unescape(found.group(1)) if found else ""


def shard_of(when: str) -> str:
    """A page's shard: the ISO week of its date ("2024-W09"), so that a day's new papers
    change the newest shard only, and a shard stays small (some 700 papers at 100 a day,
    about 110 MB of Pagefind's memory, whatever the archive's size); pages without a date
    share one shard."""
    try:
        day = date.fromisoformat(when[:10])
    except ValueError:  # no date, or no such day
        return OTHER_PAGES
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
