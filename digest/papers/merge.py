"""Merge entries from every listing into one paper per distinct title."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache

from slugify import slugify

from ..model import Appearance, Entry, Issue, Listing, Paper
from ..text import clean, extract_links
from ..text import title_key as _title_key

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
    org_ids = organization_ids(ordered)
    joined = _join_by_arxiv_id(groups)  # in the order of their first appearance
    sources = [_organization_source(seen, org_ids) for seen in joined]
    org_slugs = organization_slugs(sources)
    papers = distinct_slugs(
        [
            _paper(seen, org_slugs.get((source or "").casefold()))
            for seen, source in zip(joined, sources, strict=True)
        ]
    )
    return tuple(sorted(papers, key=lambda p: (-p.first_seen.toordinal(), p.slug)))


def distinct_slugs(papers: list[Paper]) -> list[Paper]:
    """The papers, each with a slug of its own. Two titles can come to one slug (a title
    can spell out another's hashed slug, as "paper a94c581e" does "?!?"'s): the paper
    listed first keeps it, so a newcomer never takes an older paper's address, and each
    later one gets the first of "-2", "-3", ... that no paper has."""
    by_slug: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        by_slug[paper.slug].append(paper)
    if len(by_slug) == len(papers):
        return papers
    taken = set(by_slug)
    moved: dict[str, Paper] = {}  # by key: a paper's key is its own
    for slug, sharing in by_slug.items():
        for paper in sorted(sharing, key=lambda p: (p.first_seen, p.key))[1:]:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            taken.add(f"{slug}-{n}")
            moved[paper.key] = replace(paper, slug=f"{slug}-{n}")
    return [moved.get(paper.key, paper) for paper in papers]


def organization_ids(listings: Iterable[Listing]) -> dict[str, str]:
    """Each organisation's name on Hugging Face, by the key of the name shown: the card
    layout shows only the name shown ("NVIDIA"), the API both ("nvidia", "NVIDIA"), and
    one organisation must have one page whichever listing named it. The first listing to
    give a name its id keeps it: another organisation showing the same name later does not
    take the page over."""
    ids: dict[str, str] = {}
    for listing in listings:
        for entry in listing.entries:
            if entry.organization and entry.organization_id:
                ids.setdefault(title_key(entry.organization), entry.organization_id)
    return ids


def organization_slugs(sources: Iterable[str | None]) -> dict[str, str]:
    """Each organisation's page slug, by its source (_organization_source) case-folded,
    given in the order they were first listed. Two organisations that come to one slug
    ("a.b" and "a-b" on Hugging Face) each keep a page: the first listed has the slug,
    each later one the first of "-2", "-3", ... that no organisation has."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for source in sources:
        if not source or source.casefold() in slugs:
            continue
        slug = base = slug_for(source)
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs[source.casefold()] = slug
    return slugs


def _organization_source(seen: list[Seen], org_ids: Mapping[str, str]) -> str | None:
    """What names a paper's organisation, from the newest listing that gives one: its
    Hugging Face id, or for a listing that shows only the name (the card layout) the id
    an API listing gave that name first, else the name itself."""
    for _, _, entry in reversed(seen):
        if entry.organization:
            known = org_ids.get(title_key(entry.organization))
            return entry.organization_id or known or entry.organization
    return None


def _join_by_arxiv_id(groups: dict[str, list[Seen]]) -> list[list[Seen]]:
    """Title groups that share an arXiv id are one paper (a title can change). A title
    listed with two ids joins both ids' papers into one: no two papers have one id."""
    owner: dict[str, int] = {}  # arXiv id -> index of the group that has it
    joined: list[list[Seen]] = []
    ids_of: list[set[str]] = []
    for seen in groups.values():
        ids = {entry.arxiv_id for _, _, entry in seen if entry.arxiv_id}
        targets = sorted({owner[i] for i in ids if i in owner})
        if not targets:
            targets = [len(joined)]
            joined.append(seen)  # the group's own list, not a copy: groups is read once
            ids_of.append(set())
        else:
            joined[targets[0]] += seen
        target = targets[0]
        for other in targets[1:]:
            joined[target] += joined[other]
            joined[other] = []
            ids |= ids_of[other]
        ids_of[target] |= ids
        owner.update(dict.fromkeys(ids, target))
    # Most papers are listed once, and one listing needs no sorting.
    return [
        sorted(seen, key=lambda s: (s[0].date, s[0].name, s[1])) if len(seen) > 1 else seen
        for seen in joined
        if seen
    ]


def _paper(seen: list[Seen], organization_slug: str | None) -> Paper:
    """Facts come from the newest listing that has them; identity from the newest title."""
    newest_first = [entry for _, _, entry in reversed(seen)]
    title = clean(newest_first[0].title)
    organization = _newest(newest_first, "organization")
    abstract = _newest_given(newest_first, "abstract") or ""
    # `seen` is in (date, listing, position) order, the order of appearances: no sorting
    # them, only dropping a listing given twice.
    appearances = tuple(
        dict.fromkeys([Appearance(listing.date, listing.name, pos) for listing, pos, _ in seen])
    )
    keys = tuple(dict.fromkeys([title_key(entry.title) for entry in newest_first]))
    slug = slug_for(title)
    return Paper(
        key=keys[0],
        keys=keys,
        slug=slug,
        former_slugs=_former_slugs(newest_first, slug) if len(keys) > 1 else (),
        title=title,
        abstract=abstract,
        authors_count=_newest(newest_first, "authors_count"),
        organization=organization,
        organization_slug=organization_slug,
        published=_newest(newest_first, "published"),
        upvotes=_newest(newest_first, "upvotes"),
        first_seen=appearances[0].date,
        appearances=appearances,
        links=extract_links(abstract),
        authors=_newest_given(newest_first, "authors") or (),
        arxiv_id=_newest(newest_first, "arxiv_id"),
        code_url=_newest(newest_first, "code_url"),
        stars=_newest(newest_first, "stars"),
    )


def _former_slugs(newest_first: list[Entry], slug: str) -> tuple[str, ...]:
    """The slugs of the paper's older titles (a listing can give a paper, known by its
    arXiv id, a new title): its page was at each of them for a while."""
    slugs = dict.fromkeys(slug_for(clean(entry.title)) for entry in newest_first)
    return tuple(other for other in slugs if other != slug)


# A loop, not next() over a generator: each paper asks for nine facts.
def _newest(entries: list[Entry], fact: str) -> object:
    """The fact from the first entry (newest first) that has it: is not None."""
    for entry in entries:
        value = getattr(entry, fact)
        if value is not None:
            return value
    return None


def _newest_given(entries: list[Entry], fact: str) -> object:
    """The fact from the first entry that gives it: is not empty."""
    for entry in entries:
        value = getattr(entry, fact)
        if value:
            return value
    return None


def slug_for(title: str) -> str:
    """A stable, path-safe slug that depends on the title alone.

    A slug that reads the title back exactly (same words, nothing dropped or
    transliterated, not cut short) is used as it is, unless it is "index", the address of
    the list page beside it (an organisation named Index). Any other slug could be shared
    by a different title, so it gets a short suffix hashed from the title's key.
    """
    key = title_key(title)
    full = _slugify(clean(title), key)
    if full and full == key.replace(" ", "-") and len(full) <= SLUG_LENGTH and full != "index":
        return full
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    base = _cut(full, SLUG_LENGTH - len(digest) - 1) or "paper"
    return f"{base}-{digest}"


# python-slugify's eight regular-expression and normalisation passes were most of the
# time of merging. For ASCII text without "&" (so no HTML entity to decode) they come to:
# drop a comma between digits, lower-case, and join the runs of letters and digits with
# "-". tests/test_merge.py checks this against slugify on generated titles.
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
# A table for bytes.translate (several times faster than str.translate): a letter or digit
# becomes its lower case, any other byte a space.
_SLUG_BYTES = bytes(ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def _slugify(title: str, key: str) -> str:
    """slugify(title), where `key` is the title's key."""
    if not title.isascii() or "&" in title:
        return slugify(title)
    if "," in title:
        return _ascii_slug(title)
    # Without a comma the runs are the key's words (title_key, for ASCII, lower-cases and
    # keeps the runs of letters and digits); a key without one is the punctuation itself.
    return key.replace(" ", "-") if key[:1].isalnum() else ""


def _ascii_slug(text: str) -> str:
    """slugify(text) for ASCII text without "&"."""
    text = _DIGIT_COMMA.sub("", text)
    return "-".join(text.encode("ascii").translate(_SLUG_BYTES).decode("ascii").split())


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
