"""Read listing files (text dumps of paper listing pages) into entries.

Both layouts are read by one line-by-line reader: the compact one (title and abstract on
alternating lines) and the card one (blank-line separated blocks, with an optional
metadata block of authors or organisation, a dot, and a date with upvotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..errors import Problem, warning
from ..model import Entry, Listing
from ..text import clean, decode_utf8
from .listing_lines import (
    ALWAYS_BOILERPLATE,
    AUTHORS,
    DATE,
    GLUED_SUBSCRIBE,
    HEADER_BOILERPLATE,
    MONTHS,
    SEPARATOR,
    UPVOTES,
    joined_details,
    latest_not_after,
    looks_like_abstract,
    looks_like_title,
    organization_of,
    split_lines,
    upvote_count,
)
from .listing_names import listing_date


def parse_listing(name: str, data: bytes, path: str = "") -> tuple[Listing, list[Problem]]:
    """Parse one listing file; problems are warnings, the rest of the file still parses.

    `name` is the file's name (it carries the date); `path` is how messages name it.
    """
    path = path or name
    issue = listing_date(name, path)
    if name.endswith(".json"):
        from .hfapi import parse_daily_papers  # the API's JSON, read into the same entries

        entries, problems = parse_daily_papers(name, data, path, issue)
        if not entries:
            problems.append(warning(path, None, "no papers found in this listing"))
        return Listing(name, issue, "api", tuple(entries)), problems
    lines = [line.strip() for line in split_lines(decode_utf8(path, data))]
    # Each line is cleaned once, here: the reader asks whether a line is blank, what its
    # text is and which line is the next one not blank, and cleaning a line for each of
    # those questions was most of the time of parsing.
    reader = _Reader(path, issue, name, lines, [clean(line) for line in lines])
    for number in range(1, len(lines) + 1):
        reader.feed(number)
    entries = reader.finish()
    if not entries:
        reader.problems.append(warning(path, None, "no papers found in this listing"))
    layout = "card" if reader.saw_card_signs else "compact"
    return Listing(name, issue, layout, tuple(entries)), reader.problems


@dataclass
class _Draft:
    line: int
    title: str
    abstract: str = ""
    authors_count: int | None = None
    organization: str | None = None
    published: date | None = None
    upvotes: int | None = None
    has_meta: bool = False


def _set(draft: _Draft, attr: str, value: object) -> bool:
    """Set a field of the paper's card unless another line set it: False then."""
    if value is None:
        return True
    if getattr(draft, attr) is not None:
        return False
    setattr(draft, attr, value)
    return True


@dataclass
class _Reader:
    name: str  # how messages name the file
    issue: date
    listing: str  # the file's own name, as entries record it
    lines: list[str]  # the file's lines, stripped
    texts: list[str]  # the same lines cleaned: "" for a blank one
    problems: list[Problem] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    draft: _Draft | None = None
    saw_card_signs: bool = False
    blank_before: bool = False
    date_line: int = 0  # the line of the last date of a paper's facts

    @property
    def in_header(self) -> bool:
        """Before the first paper with an abstract or facts: the page's own lines (its
        name, "Subscribe", the date) may still come, whatever came before them."""
        draft = self.draft
        return not self.entries and (draft is None or not (draft.abstract or draft.has_meta))

    def feed(self, number: int) -> None:
        line, text = self.lines[number - 1], self.texts[number - 1]
        # A line of only invisible characters (a zero-width space left by the scrape) is
        # blank to a reader; read as text it became a paper with an empty title.
        if not text:
            self.blank_before = True
            return
        if self.blank_before and self.draft is not None:
            self.saw_card_signs = True
        self.blank_before = False
        # Lines are recognised by their cleaned text: white space folded, a no-break
        # space a space.
        if ALWAYS_BOILERPLATE.match(text):
            return
        if self.in_header and self._header_line(number, text):
            return
        if self.in_header:
            unglued = GLUED_SUBSCRIBE.sub("", line, count=1)
            if unglued != line:
                line, text = unglued, clean(unglued)
        if self._metadata_line(number, line, text):
            return
        self._text_line(number, text)

    def _header_line(self, number: int, line: str) -> bool:
        if line in HEADER_BOILERPLATE:
            return True
        match = DATE.match(line)
        if match and not match.group(3) and not match.group(4):
            self.saw_card_signs = True
            month, day = MONTHS.index(match.group(1).title()) + 1, int(match.group(2))
            if (month, day) != (self.issue.month, self.issue.day):
                self.problems.append(
                    warning(
                        self.name,
                        number,
                        f"the page date {line!r} does not agree with the file name's date "
                        f"{self.issue.isoformat()}",
                    )
                )
            return True
        return False

    def _metadata_line(self, number: int, line: str, text: str) -> bool:
        details = self._details(number, text)
        if details is None:
            return False
        self.saw_card_signs = True
        draft = self.draft
        if draft is None:
            self.problems.append(
                warning(self.name, number, f"metadata line before any paper: {line!r}")
            )
            return True
        if not draft.abstract and not draft.has_meta:
            self.problems.append(
                warning(self.name, draft.line, f"paper has no abstract: {draft.title!r}")
            )
        draft.has_meta = True
        stray = [attr for attr, value in details if not _set(draft, attr, value)]
        if stray:
            self.problems.append(
                warning(self.name, number, f"stray metadata line ignored: {line!r}")
            )
        return True

    def _details(self, number: int, text: str) -> list[tuple[str, object]] | None:
        """What a line tells of the paper's card, as (field, value) pairs ([] for the dot
        between an organisation and the date), or None if it is no card's line."""
        if SEPARATOR.match(text):
            return []
        # Upvotes on a line of their own, just after the date (after a blank line, a
        # number is the next paper's title).
        if 0 < self.date_line == number - 1 and UPVOTES.match(text):
            return [("upvotes", upvote_count(text))]
        parts = joined_details(text) or [text]
        details: list[tuple[str, object]] = []
        for part in parts:
            authors, dated = AUTHORS.match(part), DATE.match(part)
            if authors:
                details.append(("authors_count", int(authors.group(1))))
            elif dated:
                self.date_line = number
                details.append(("published", self._published(number, dated)))
                if dated.group(4):
                    details.append(("upvotes", upvote_count(dated.group(4))))
            elif len(parts) > 1 or SEPARATOR.match(self._next_line(number)):
                details.append(("organization", organization_of(part)))
            else:
                return None
        return details

    def _next_line(self, number: int) -> str:
        """The first of the next three lines that is not blank, or ""."""
        after = self._next_number(number)
        return "" if after is None else self.texts[after - 1]

    def _next_number(self, number: int) -> int | None:
        """The number of the first of the next three lines that is not blank."""
        for index in range(number, min(number + 3, len(self.lines))):
            if self.texts[index]:
                return index + 1
        return None

    def _published(self, number: int, match: re.Match[str]) -> date | None:
        month, day = MONTHS.index(match.group(1).title()) + 1, int(match.group(2))
        try:
            if match.group(3):
                return date(int(match.group(3)), month, day)
            return latest_not_after(month, day, self.issue)
        except ValueError:
            self.problems.append(warning(self.name, number, f"not a real date: {match.group(0)!r}"))
            return None

    def _text_line(self, number: int, line: str) -> None:
        draft = self.draft
        if draft is not None and not draft.abstract and not draft.has_meta:
            if not looks_like_title(line):
                draft.abstract = line
                return
            if self.entries:
                self.problems.append(
                    warning(self.name, draft.line, f"paper has no abstract: {draft.title!r}")
                )
            else:  # the page's own heading ("Weekly Papers", "Tue, Mar 18"), not a paper
                self.problems.append(
                    warning(
                        self.name,
                        draft.line,
                        f"line before the first paper ignored: {draft.title!r}",
                    )
                )
                self.draft = None
        elif draft is not None and draft.abstract and not draft.has_meta:
            if self._continues_abstract(number, line):
                draft.abstract += " " + line  # a further paragraph of the same abstract
                return
        elif looks_like_abstract(line):
            self.problems.append(
                warning(self.name, number, "text without a title ignored: " + line[:60] + "...")
            )
            return
        self._close()
        self.draft = _Draft(number, line)

    def _continues_abstract(self, number: int, line: str) -> bool:
        """Whether a line after a paper's abstract is more of it: a long one that reads as
        sentences, or a short one that reads as a sentence ("Code is at ...") just before
        the card's details or the file's end. (Before another line, it may as well be a
        title that reads as a sentence: a paper of its own, as before.)"""
        if looks_like_abstract(line):
            return True
        if looks_like_title(line):
            return False
        after = self._next_number(number)
        if after is None:
            return True
        text = self.texts[after - 1]
        return bool(
            AUTHORS.match(text)
            or DATE.match(text)
            or SEPARATOR.match(text)
            or joined_details(text)
            or SEPARATOR.match(self._next_line(after))  # an organisation's name, then "·"
        )

    def _close(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self.entries.append(
            Entry(
                title=draft.title,
                abstract=draft.abstract,
                authors_count=draft.authors_count,
                organization=draft.organization,
                published=draft.published,
                upvotes=draft.upvotes,
                listing=self.listing,
                line=draft.line,
            )
        )
        self.draft = None

    def finish(self) -> list[Entry]:
        draft = self.draft
        if draft is not None and not draft.abstract and not draft.has_meta:
            self.problems.append(
                warning(self.name, draft.line, f"paper has no abstract: {draft.title!r}")
            )
        self._close()
        return self.entries
