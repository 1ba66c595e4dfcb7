"""Merge entries from every listing into one paper per distinct title."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from slugify import slugify

from .model import Appearance, Entry, Issue, Listing, Paper
from .text import clean, extract_links
from .text import title_key as _title_key

# A title's key is asked for by grouping, by the paper's keys and by its slug, and a paper
# is listed on several days: each distinct title is keyed once.
title_key = lru_cache(maxsize=2**16)(_title_key)

SLUG_LENGTH = 80


Seen = tuple[Listing, int, Entry]


def merge(listings: Iterable[Listing]) -> tuple[Paper, ...]:
    """One paper per title key, or per arXiv id where listings give one; newest first."""
    ordered = sorted(listings, key=lambda listing: (listing.date, listing.name))
    groups: dict[str, list[Seen]] = defaultdict(list)
    for listing in ordered:
        for position, entry in enumerate(listing.entries, start=1):
            groups[title_key(entry.title)].append((listing, position, entry))
    papers = [_paper(seen) for seen in _join_by_arxiv_id(groups)]
    return tuple(sorted(papers, key=lambda p: (-p.first_seen.toordinal(), p.slug)))


def _join_by_arxiv_id(groups: dict[str, list[Seen]]) -> list[list[Seen]]:
    """Title groups that share an arXiv id are one paper (a title can change)."""
    owner: dict[str, int] = {}  # arXiv id -> index of the group that has it
    joined: list[list[Seen]] = []
    for seen in groups.values():
        ids = {entry.arxiv_id for _, _, entry in seen if entry.arxiv_id}
        target = next((owner[i] for i in sorted(ids) if i in owner), None)
        if target is None:
            target = len(joined)
            joined.append([])
        joined[target] += seen
        owner.update(dict.fromkeys(ids, target))
    return [sorted(seen, key=lambda s: (s[0].date, s[0].name, s[1])) for seen in joined]


def _paper(seen: list[Seen]) -> Paper:
    """Facts come from the newest listing that has them; identity from the newest title."""
    newest_first = [entry for _, _, entry in reversed(seen)]
    title = clean(newest_first[0].title)
    abstract = _newest(entry.abstract or None for entry in newest_first) or ""
    appearances = tuple(
        sorted({Appearance(listing.date, listing.name, position) for listing, position, _ in seen})
    )
    keys = tuple(dict.fromkeys(title_key(entry.title) for entry in newest_first))
    return Paper(
        key=keys[0],
        keys=keys,
        slug=slug_for(title),
        title=title,
        abstract=abstract,
        authors_count=_newest(entry.authors_count for entry in newest_first),
        organization=_newest(entry.organization for entry in newest_first),
        published=_newest(entry.published for entry in newest_first),
        upvotes=_newest(entry.upvotes for entry in newest_first),
        first_seen=appearances[0].date,
        appearances=appearances,
        links=extract_links(abstract),
        authors=_newest(entry.authors or None for entry in newest_first) or (),
        arxiv_id=_newest(entry.arxiv_id for entry in newest_first),
        code_url=_newest(entry.code_url for entry in newest_first),
        stars=_newest(entry.stars for entry in newest_first),
    )


def _newest(values: Iterable[object]) -> object:
    return next((value for value in values if value is not None), None)


def slug_for(title: str) -> str:
    """A stable, path-safe slug that depends on the title alone.

    A slug that reads the title back exactly (same words, nothing dropped or
    transliterated, not cut short) is used as it is. Any other slug could be shared by a
    different title, so it gets a short suffix hashed from the title's key.
    """
    key = title_key(title)
    full = slugify(clean(title))
    if full and full == key.replace(" ", "-") and len(full) <= SLUG_LENGTH:
        return full
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    base = _cut(full, SLUG_LENGTH - len(digest) - 1) or "paper"
    return f"{base}-{digest}"


def _cut(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:limit]


def issues(listings: Iterable[Listing], papers: Iterable[Paper]) -> tuple[Issue, ...]:
    """One issue per listing date, oldest first; listings of one date in name order."""
    slug_of = {key: paper.slug for paper in papers for key in paper.keys}
    by_date: dict[date, list[Listing]] = defaultdict(list)
    for listing in listings:
        by_date[listing.date].append(listing)
    result = []
    for day in sorted(by_date):
        same_day = sorted(by_date[day], key=lambda listing: listing.name)
        slugs = (slug_of.get(title_key(e.title)) for listing in same_day for e in listing.entries)
        result.append(
            Issue(
                day,
                tuple(listing.name for listing in same_day),
                tuple(dict.fromkeys(s for s in slugs if s)),
            )
        )
    return tuple(result)
