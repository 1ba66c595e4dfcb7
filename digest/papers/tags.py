"""Editors' tags as reading lists: one tag however it is spelled, and the spellings to fix.

A tag's slug is its words, as a paper's slug is its title's: "power laws" and "Power-laws"
are the tag `power-laws`. Its name is the spelling the notes use most (the first in
alphabetical order on a tie).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import Problem, warning
from ..model import Note
from .merge import slug_for


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    papers: tuple[str, ...]  # the slugs of the papers so tagged, in the notes' order


def reading_lists(notes: Mapping[str, Note], hidden: Iterable[str] = ()) -> tuple[Tag, ...]:
    """Every tag of the notes with the papers it names (hidden papers left out), by slug."""
    left_out = set(hidden)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    papers: dict[str, list[str]] = defaultdict(list)
    for slug, note in sorted(notes.items()):
        for name in dict.fromkeys(note.tags):
            spellings[slug_for(name)][name] += 1
            if slug not in left_out:
                papers[slug_for(name)].append(slug)
    return tuple(
        Tag(tag, _most_used(spellings[tag]), tuple(dict.fromkeys(papers[tag])))
        for tag in sorted(papers)
    )


def _most_used(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))


def tag_warnings(notes: Iterable[Note]) -> list[Problem]:
    """A tag spelled two ways, or two tags one plural 's' apart, each a warning naming the
    note and the line of its tags: readers would look for one reading list."""
    first: dict[str, tuple[str, Note]] = {}  # a tag's slug: its first spelling, and where
    problems = []
    for note in sorted(notes, key=lambda n: n.path):
        for name in dict.fromkeys(note.tags):
            slug = slug_for(name)
            if slug in first and first[slug][0] != name:
                problems.append(_warning(note, name, first[slug]))
            first.setdefault(slug, (name, note))
    by_singular: dict[str, str] = {}
    for slug in sorted(first):
        singular = "-".join(word.removesuffix("s") for word in slug.split("-"))
        if singular in by_singular:
            name, note = first[slug]
            problems.append(_warning(note, name, first[by_singular[singular]]))
        by_singular.setdefault(singular, slug)
    return problems


def _warning(note: Note, name: str, other: tuple[str, Note]) -> Problem:
    spelling, where = other
    return warning(
        note.path, note.line_of("tags"),
        f"tag {name!r} is also written {spelling!r} (in {where.path}): use one spelling, "
        "so that readers find one reading list",
    )  # fmt: skip
