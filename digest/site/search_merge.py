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
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import unescape
from typing import Any

# What Pagefind sorts as a number (lexical_core's integers and floats); else as text.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


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


def merge_sorts(
    shards: Sequence[Sequence[list[Any]]],
    values: Sequence[dict[str, list[str]]],
    offsets: Sequence[int],
) -> list[list[Any]]:
    """Every shard's sort orders as one: [[name, [page, ...]], ...] by name.

    A shard's order lists its pages by their values, which its metadata does not hold:
    `values` gives each shard's values of each sort (from its pages, in any order), so
    that the n-th page of its order has the n-th of them in sorted order. Pages with equal
    values stay in page order, as in Pagefind's stable sort."""
    merged: dict[str, list[tuple[str, int]]] = {}
    for sorts, shard_values, offset in zip(shards, values, offsets, strict=True):
        for name, pages in sorts:
            given = shard_values.get(name, [])
            ordered = sorted(given, key=sort_key(given))
            if len(ordered) != len(pages):
                raise MergeError(f"sort {name!r}: {len(pages)} pages, {len(ordered)} values")
            merged.setdefault(name, []).extend(
                (value, page + offset) for value, page in zip(ordered, pages, strict=True)
            )
    result = []
    for name in sorted(merged):
        key = sort_key([value for value, _ in merged[name]])
        pairs = sorted(merged[name], key=lambda pair: (key(pair[0]), pair[1]))
        result.append([name, [page for _, page in pairs]])
    return result


def sort_key(values: Iterable[str]) -> Callable[[str], Any]:
    """How Pagefind orders a sort's values: as numbers when every one is a number."""
    if all(_NUMBER.fullmatch(value) for value in values):
        return float
    return str


# --- what Pagefind reads of a page -------------------------------------------------------

BODY = "data-pagefind-body"
_IGNORED = re.compile(r'<div\b[^>]*\bdata-pagefind-ignore="all"[^>]*>')
_DIV = re.compile(r"<(/?)div\b")
_SORT = re.compile(r'data-pagefind-sort="([^"]*)"')  # no \b: a literal start is 25 times faster
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


def sort_values(html: str) -> dict[str, str]:
    """The page's sort keys written as data-pagefind-sort="name:value" (HTML-unescaped)."""
    values = {}
    for found in _SORT.findall(html):
        name, colon, value = unescape(found).partition(":")
        if colon:
            values[name] = value
    return values


def shard_of(sorts: dict[str, str], date_sort: str = "date") -> str:
    """A page's shard: the ISO week of its date ("2024-W09"), so that a day's new papers
    change the newest shard only, and a shard stays small (some 700 papers at 100 a day,
    about 110 MB of Pagefind's memory, whatever the archive's size); pages without a date
    share one shard."""
    try:
        day = date.fromisoformat(sorts.get(date_sort, "")[:10])
    except ValueError:  # no date, or no such day
        return OTHER_PAGES
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
