"""What a word of the text must be, start with, end with or contain for a pattern to
match: from the pattern's parse, as literals.py reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .literals import required_literals, sre_constants, sre_parse

_WORD = re.compile(r"\w+")
_BOUNDARY = (sre_constants.AT, sre_constants.AT_BOUNDARY)
_MANY = 64  # more strings than an acronym's spellings: no word test from them
_CHARS = 16  # the most characters a class may hold and still be spelt out


@dataclass(frozen=True)
class WordTest:
    """A test of a text's words (its runs of word characters) that every text a pattern
    matches passes: one of them `is` one of the strings (then each such word is one
    match, and nothing else is needed), `starts` or `ends` with one, or `contains` one;
    compared lower-cased if `ignore_case` (which holds for text that lowers safely)."""

    how: str
    strings: frozenset[str]
    ignore_case: bool


def word_test(pattern: str) -> WordTest | None:
    """The most selective word test a pattern has, None if it has none.

    Strings of word characters lie within one word. After a `\\b` such a string starts a
    word, before one it ends one, and between two it is the whole word; elsewhere a
    literal of the pattern (required_literals) is in some word."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.ASCII | re.LOCALE):
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    items = list(parsed)
    starts, ends = items[:1] == [_BOUNDARY], items[-1:] == [_BOUNDARY]
    if starts and ends and len(items) > 2:
        whole = _words(_strings(items[1:-1], loose=False), ignore_case)
        if whole:
            return WordTest("is", whole, ignore_case)
    found = []
    if starts:
        found += [_longest("starts", items[1:k], ignore_case) for k in range(len(items), 1, -1)]
    if ends:
        found += [_longest("ends", items[k:-1], ignore_case) for k in range(len(items) - 1)]
    literals, literal_case = required_literals(pattern)
    if literals and all(map(_WORD.fullmatch, literals)):
        found.append(WordTest("contains", literals, literal_case))
    tests = [test for test in found if test is not None]
    rank = {"starts": 1, "ends": 1, "contains": 0}
    return max(tests, key=lambda t: (min(map(len, t.strings)), rank[t.how]), default=None)


def _longest(how: str, items: list[tuple[Any, Any]], ignore_case: bool) -> WordTest | None:
    words = _words(_strings(items, loose=True), ignore_case)
    return WordTest(how, words, ignore_case) if words else None


def _words(strings: set[str] | None, ignore_case: bool) -> frozenset[str] | None:
    """The strings, lower-cased if ignoring case, if all are words (ASCII ones when
    ignoring case: re may match other letters to them then)."""
    if not strings or not all(map(_WORD.fullmatch, strings)):
        return None
    if ignore_case and not all(map(str.isascii, strings)):
        return None
    return frozenset(s.lower() for s in strings) if ignore_case else frozenset(strings)


def _strings(items: list[tuple[Any, Any]], loose: bool) -> set[str] | None:
    """Every string the sequence matches, if they are few and it is made only of
    literals, small classes, plain groups, alternatives and short repeats (and, if
    `loose`, word boundaries, left out: some of the strings may then not match)."""
    found = {""}
    for op, av in items:
        options: set[str] | None = None
        if op is sre_constants.LITERAL:
            options = {chr(av)}
        elif op is sre_constants.IN:
            options = _class(av)
        elif op is sre_constants.AT and loose and av in (sre_constants.AT_BOUNDARY,):
            options = {""}
        elif op is sre_constants.SUBPATTERN and not av[1] and not av[2]:
            options = _strings(list(av[3]), loose)
        elif op is sre_constants.BRANCH:
            branches = [_strings(list(branch), loose) for branch in av[1]]
            if all(b is not None for b in branches):
                options = set().union(*branches)  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[1] <= 3:
            options = _repeats(av[0], av[1], _strings(list(av[2]), loose))
        if options is None:
            return None
        found = {start + end for start in found for end in options}
        if len(found) > _MANY:
            return None
    return found


def _class(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE and av[1] - av[0] < _CHARS:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars if len(chars) <= _CHARS else None


def _repeats(least: int, most: int, once: set[str] | None) -> set[str] | None:
    if once is None:
        return None
    found, times = set(), {""}
    for count in range(most + 1):
        if count >= least:
            found |= times
        times = {start + end for start in times for end in once}
        if len(times) > _MANY:
            return None
    return found
