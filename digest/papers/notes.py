"""Editors' notes: read them, tie each to its paper, and apply their topic overrides."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ..errors import DigestError, Problem, error
from ..model import Note, Paper, Taxonomy, TopicScore
from ..sources.listing_names import FIRST_YEAR, LAST_YEAR
from ..text import decode_utf8, title_key
from .yamlfile import KEY_LINES, LINE, plain, split_front_matter

_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)  # the editor's own reminders
_LISTS = ("topics", "add_topics", "remove_topics", "tags")
_FLAGS = ("pick", "hide")
_TEXTS = ("paper", "editor")
KNOWN_KEYS = (*_TEXTS, *_FLAGS, *_LISTS, "date")


def parse_note(path: str, data: bytes) -> tuple[Note | None, list[Problem]]:
    """One note file; every problem in its front matter is reported, with its line. A note
    with problems that names its paper comes with its valid fields, so that its paper and
    topics are checked too (the build leaves it out): an editor sees every error at once."""
    try:
        meta, body, _ = split_front_matter(path, decode_utf8(path, data))
    except DigestError as exc:
        return None, exc.problems
    lines: dict[str, int] = meta.get(KEY_LINES, {})
    start = meta.get(LINE, 1)
    problems = [
        error(
            path,
            lines.get(str(key), start),
            f"unknown key {key!r}: a note may have {', '.join(KNOWN_KEYS)}",
        )
        for key in plain(meta)
        if key not in KNOWN_KEYS
    ]
    values: dict[str, Any] = {}
    for key, value in plain(meta).items():
        if key in KNOWN_KEYS:
            checked = _check(key, value)
            if isinstance(checked, str) and checked.startswith("!"):
                problems.append(error(path, lines.get(key, start), checked[1:]))
            else:
                values[key] = checked
    if not values.get("paper"):
        problems.append(
            error(path, start, "a note needs 'paper:', the paper's slug or exact title")
        )
    problems += [
        error(path, lines.get(key, start), f"{key!r} does nothing beside 'topics', which "
              "names all of the paper's topics: keep one")
        for key in ("add_topics", "remove_topics")
        if key in values and "topics" in values
    ]  # fmt: skip
    if not values.get("paper"):
        return None, problems
    note = Note(
        path=path,
        line=lines.get("paper", start),
        body=_COMMENT.sub("", body).strip("\n"),
        key_lines=tuple(sorted(lines.items())),
        **values,
    )
    return note, problems


def _check(key: str, value: Any) -> Any:
    """The value in the note's own type, or a message starting with '!'."""
    if key in _FLAGS:
        return value if isinstance(value, bool) else f"!{key!r} must be true or false"
    if key in _TEXTS:
        ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        return str(value).strip() if ok else f"!{key!r} must be text"
    if key == "date":
        return _day(value)
    items = value.split(",") if isinstance(value, str) else value  # "a, b" is two
    if not isinstance(items, list) or not all(isinstance(i, (str, int)) for i in items):
        return f"!{key!r} must be a list of words"
    words = tuple(str(i).strip() for i in items)
    return f"!{key!r} has an empty entry" if not all(words) else words


def resolve_notes(
    notes: Iterable[Note], papers: Iterable[Paper], taxonomy: Taxonomy
) -> tuple[dict[str, Note], list[Problem]]:
    """Each note tied to its paper by slug or title; unknown papers and topics are errors."""
    papers = list(papers)
    # A slug the paper had under an older title finds it too: `digest note new` wrote it.
    by_slug = {slug: p for p in papers for slug in p.former_slugs}
    by_slug.update({p.slug: p for p in papers})
    by_key = {key: p for p in papers for key in p.keys}
    known_topics = {t.slug for t in taxonomy.topics}
    moved = taxonomy.renamed
    resolved: dict[str, Note] = {}
    problems: list[Problem] = []
    for note in sorted(notes, key=lambda n: n.path):
        note = _renamed_topics(note, moved)
        paper = by_slug.get(note.paper) or by_key.get(title_key(note.paper))
        if paper is None:
            problems.append(error(note.path, note.line, unknown_paper(note.paper, papers)))
            continue
        bad = _unknown_topics(note, known_topics)
        if bad:
            problems += bad
            continue
        if paper.slug in resolved:
            first = resolved[paper.slug].path
            problems.append(
                error(note.path, note.line, f"a second note for {paper.slug!r}: {first} has one")
            )
            continue
        resolved[paper.slug] = note
    problems += _check_paper_links(resolved, papers)
    return resolved, problems


def _day(value: Any) -> date | str:
    """A note's date: a day (YAML reads 2026-03-01 10:00 as a time, shown as such), in the
    years a listing may have."""
    if isinstance(value, datetime):
        return f"!'date' must be a day like 2026-03-14, without a time: not {value!s}"
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return f"!'date' must be a date like 2026-03-14, not {value!r}"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return f"!'date' must be in the years {FIRST_YEAR} to {LAST_YEAR}, not {day}"
    return day


# A link to a paper's page in an editor's Markdown: ](../papers/<slug>.md), and its slug.
_PAPER_LINK = re.compile(r"(\]\(\s*(?:\.\./)*papers/)([\w-]+)(?=\.md\b|/)")


def _check_paper_links(resolved: dict[str, Note], papers: list[Paper]) -> list[Problem]:
    """A link to a paper's address under an older title now goes to its page; a link to a
    hidden paper or to none is an error naming the note (the strict build would fail on
    the page the note is shown on, which the editor did not write)."""
    current = {p.slug for p in papers}
    moved = {old: p.slug for p in papers for old in p.former_slugs if old not in current}
    hidden = {slug for slug, note in resolved.items() if note.hide}
    problems = []
    for slug, note in resolved.items():
        targets = dict.fromkeys(m[2] for m in _PAPER_LINK.finditer(note.body))
        for target in targets:
            if target in hidden or (target not in current and target not in moved):
                why = "a hidden paper" if target in hidden else "no paper has that slug"
                problems.append(error(note.path, note.line, f"links to papers/{target}.md: {why}"))
        if any(target in moved for target in targets):
            body = _PAPER_LINK.sub(lambda m: m[1] + moved.get(m[2], m[2]), note.body)
            resolved[slug] = replace(note, body=body)
    return problems


def find_paper(wanted: str, papers: Iterable[Paper]) -> Paper | None:
    """The paper with this slug, or with this title (after normalisation)."""
    key = title_key(wanted)
    papers = list(papers)
    return next(
        (p for p in papers if p.slug == wanted or key in p.keys),
        next((p for p in papers if wanted in p.former_slugs), None),
    )


def unknown_paper(wanted: str, papers: list[Paper]) -> str:
    """A message for a paper not found, with the three closest titles."""
    titles = {title_key(p.title): p.title for p in papers}
    key = title_key(wanted)
    containing = [k for k in titles if key and key in k]
    close = list(
        dict.fromkeys(containing + difflib.get_close_matches(key, list(titles), n=3, cutoff=0.4))
    )[:3]
    hint = "; did you mean: " + " | ".join(titles[k] for k in close) if close else ""
    return f"no paper with the slug or title {wanted!r}{hint}"


def _renamed_topics(note: Note, moved: dict[str, str]) -> Note:
    """The note with a renamed topic's old slug (topics.yml's `formerly`) read as its slug
    now: renaming a topic breaks no note that names it."""
    if not moved:
        return note

    def now(slugs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(moved.get(slug, slug) for slug in slugs))

    return replace(
        note,
        topics=None if note.topics is None else now(note.topics),
        add_topics=now(note.add_topics),
        remove_topics=now(note.remove_topics),
    )


def _unknown_topics(note: Note, known: set[str]) -> list[Problem]:
    problems = []
    for key in ("topics", "add_topics", "remove_topics"):
        for slug in getattr(note, key) or ():
            if slug not in known:
                close = difflib.get_close_matches(slug, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(
                    error(note.path, note.line_of(key), f"unknown topic {slug!r}{hint}")
                )
    return problems


def apply_overrides(
    topics_of: dict[str, tuple[TopicScore, ...]], notes: dict[str, Note]
) -> dict[str, tuple[TopicScore, ...]]:
    """Topics after editors' notes: `topics` replaces, `add_topics`/`remove_topics` adjust."""
    result = dict(topics_of)
    for slug, note in notes.items():
        if note.topics is not None:
            result[slug] = tuple(
                TopicScore(t, 0.0, (), note.path) for t in dict.fromkeys(note.topics)
            )
            continue
        kept = [s for s in result.get(slug, ()) if s.slug not in note.remove_topics]
        have = {s.slug for s in kept}
        added = [
            TopicScore(t, 0.0, (), note.path)
            for t in dict.fromkeys(note.add_topics)
            if t not in have
        ]
        if note.add_topics or note.remove_topics:
            result[slug] = tuple(kept + added)
    return result


def read_body(path: str, data: bytes) -> tuple[str, list[Problem]]:
    """An editor's Markdown file's body, its front matter checked (MkDocs would drop bad
    front matter without a word)."""
    try:
        _, body, _ = split_front_matter(path, decode_utf8(path, data))
    except DigestError as exc:
        return "", exc.problems
    return body.strip("\n"), []


def read_intro(path: str, name: str, data: bytes, taxonomy: Taxonomy) -> tuple[str, list[Problem]]:
    """A topic's introduction, from content/topics/<slug>.md."""
    slug = name.removesuffix(".md")
    known = [t.slug for t in taxonomy.topics]
    if slug in taxonomy.renamed:
        new = taxonomy.renamed[slug]
        message = f"the topic {slug!r} is {new!r} now (topics.yml): rename this file {new}.md"
        return "", [error(path, None, message)]
    if slug not in known:
        close = difflib.get_close_matches(slug, known, n=1)
        hint = f" (did you mean {close[0]}.md?)" if close else ""
        return "", [
            error(path, None, f"no topic {slug!r} in topics.yml for this introduction{hint}")
        ]
    return read_body(path, data)
