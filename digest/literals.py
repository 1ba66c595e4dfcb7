"""What every match of a regular expression contains, to skip texts it cannot match.

A search over a whole abstract costs tens of microseconds when the expression does not
start with a literal (`\\b...`, `(?i)...`), and `str.__contains__` a fraction of that. The
literals come from the expression's parse (re's own parser); where they cannot be told
for sure, there are none, and the expression is simply run. Where the parse shows that no
match spans a full stop, only the sentences holding a literal are searched, and there only
from the places where a match can start (Searcher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

try:  # the parser behind re.compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _char_lowers_safely(char: str) -> bool:
    """Whether lower-casing this character keeps every match of a lower-cased ASCII phrase
    where `(?i)` found it: one character, still a word (or space) character or not, and not
    one that matches an ASCII letter case-insensitively (like the Kelvin sign)."""
    lower = char.lower()
    return (
        len(lower) == 1
        and not lower.isascii()
        and bool(re.match(r"\w", char)) == bool(re.match(r"\w", lower))
        and bool(re.match(r"\s", char)) == bool(re.match(r"\s", lower))
        and not re.match(r"(?i)[a-z]", char)
    )


def lowers_safely(text: str) -> bool:
    return text.isascii() or all(map(_char_lowers_safely, set(_NOT_ASCII.findall(text))))


def required_literals(pattern: str, flags: int = 0) -> tuple[frozenset[str], bool]:
    """Literals one of which every match of the pattern contains, and whether they are
    compared ignoring case; no literals when that cannot be told."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return frozenset(), False
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    found = _requirements(list(parsed))
    if ignore_case:  # re may match a non-ASCII letter to an ASCII one: keep ASCII only
        found = [frozenset(s.lower() for s in r) for r in found if all(map(str.isascii, r))]
    return _best(found), ignore_case


def _requirements(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Sets of literals of which each match of the sequence contains one, from its runs of
    literal characters, its groups, repeats of at least one, and alternatives; anything
    else (classes, assertions, flags...) only ends a run."""
    found, run = [], ""
    for op, av in items:
        if op is sre_constants.LITERAL:
            run += chr(av)
            continue
        found += [frozenset([run])] if run else []
        run = ""
        if op is sre_constants.SUBPATTERN and not av[1] and not av[2]:
            found += _requirements(list(av[3]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            found += _requirements(list(av[2]))
        elif op is sre_constants.BRANCH:
            options = [_best(_requirements(list(branch))) for branch in av[1]]
            if all(options):
                found.append(frozenset().union(*options))
    return found + ([frozenset([run])] if run else [])


def _best(requirements: list[frozenset[str]]) -> frozenset[str]:
    """The most selective requirement: the longest shortest literal, then the fewest."""
    return max(requirements, key=lambda r: (min(map(len, r)), -len(r)), default=frozenset())


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


_WINDOW = 16  # the most places before a literal where a match may start, to try each


def anchor(pattern: str) -> tuple[str, bool, int] | None:
    """A literal every match of the pattern contains (compared ignoring case, or not),
    and at most how many characters before it a match starts; None if there is no such
    literal, or matches may start too far before it to try each place."""
    literals, ignore_case = required_literals(pattern)
    if len(literals) != 1:
        return None
    (literal,) = literals
    try:
        longest = sre_parse.parse(pattern).getwidth()[1]
    except (re.error, OverflowError):
        return None
    before = longest - len(literal)
    return (literal, ignore_case, before) if 0 <= before <= _WINDOW else None


_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = tuple(
    getattr(sre_constants, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(sre_constants, name)
)
_EDGES = (sre_constants.AT_BOUNDARY, sre_constants.AT_NON_BOUNDARY)
_FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL


def never_spans(pattern: str, flags: int, char: str) -> bool:
    """Whether no match of the pattern contains `char`, a character that is not a word
    character, and its only assertions are `\\b` and `\\B`: then its matches in a text
    are its matches in the text's runs between two `char`s, searched one by one (with
    `pos` and `endpos`: an edge of the run is a non-word character either way). False
    when that cannot be told for sure."""
    if re.match(r"\w", char):
        return False
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return False
    if parsed.state.flags & re.LOCALE:
        return False
    return _avoids(list(parsed), parsed.state.flags & _FLAGS, char)


def _avoids(items: list[tuple[Any, Any]], flags: int, char: str) -> bool:
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            ok = not av[1] and not av[2] and _avoids(list(av[3]), flags, char)
        elif op is sre_constants.BRANCH:
            ok = all(_avoids(list(branch), flags, char) for branch in av[1])
        elif op in _REPEATS:
            ok = _avoids(list(av[2]), flags, char)
        elif op is sre_constants.AT:
            ok = av in _EDGES
        else:
            one = _one_char(op, av)
            ok = one is not None and not re.fullmatch(one, char, flags)
        if not ok:
            return False
    return True


def _one_char(op: Any, av: Any) -> str | None:
    """The expression for one character that this item is, None if it is not one we
    know: re itself then tells whether a character matches it, case rules and all."""
    if op is sre_constants.LITERAL:
        return re.escape(chr(av))
    if op is sre_constants.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    if op is sre_constants.ANY:
        return "."
    if op is not sre_constants.IN:
        return None
    parts = []
    for kind, value in av:
        if kind is sre_constants.NEGATE and not parts:
            parts.append("^")
        elif kind is sre_constants.LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is sre_constants.RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is sre_constants.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            return None
    return f"[{''.join(parts)}]"


def leading_literals(pattern: str, flags: int = 0) -> frozenset[str]:
    """Literals one of which every match of the pattern starts with (after its leading
    assertions), lower-cased if the pattern ignores case; none when that cannot be told."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return frozenset()
    if parsed.state.flags & re.LOCALE:
        return frozenset()
    leads = _leads(list(parsed))
    if not parsed.state.flags & re.IGNORECASE:
        return leads
    # As in required_literals: re may match a non-ASCII letter to an ASCII one.
    return frozenset(s.lower() for s in leads) if all(map(str.isascii, leads)) else frozenset()


def _leads(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """Strings one of which every match of the sequence starts with: its first run of
    literal characters, or its first group's, repeat's (of at least one) or
    alternatives'; none if it starts with anything else."""
    while items and items[0][0] is sre_constants.AT:  # takes no characters
        items = items[1:]
    run = ""
    for op, av in items:
        if op is not sre_constants.LITERAL:
            break
        run += chr(av)
    if run or not items:
        return frozenset([run]) if run else frozenset()
    op, av = items[0]
    if op is sre_constants.SUBPATTERN and not av[1] and not av[2]:
        return _leads(list(av[3]))
    if op in _REPEATS and av[0] >= 1:
        return _leads(list(av[2]))
    if op is sre_constants.BRANCH:
        options = [_leads(list(branch)) for branch in av[1]]
        return frozenset().union(*options) if all(options) else frozenset()
    return frozenset()


def safe_lower(text: str) -> str | None:
    """The text lower-cased where that keeps each character in its place and every
    ignore-case match of an ASCII literal (lowers_safely), else None."""
    return text.lower() if lowers_safely(text) else None


# The kinds' expressions never match across a full stop, so of a whole abstract (some 50
# microseconds a search, 4 seconds at 50,000 papers) only the sentences that hold one of
# their literals need searching: a sentence or two of a few hundred characters.
_SENTENCE_END = "."


class Searcher:
    """An expression's search, skipped when the text has none of the literals each of its
    matches contains (ignoring case only where lower-casing the text is safe), and made
    only around those literals where its matches never span a full stop."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.literals, self.ignore_case = required_literals(regex.pattern, regex.flags)
        self.sentences = bool(self.literals) and never_spans(
            regex.pattern, regex.flags, _SENTENCE_END
        )
        self.leads = leading_literals(regex.pattern, regex.flags)

    def search(self, text: str) -> bool:
        if self.literals and self.ignore_case:
            return self.search_lowered(text, safe_lower(text))
        return self.search_lowered(text, text)

    def search_lowered(self, text: str, lowered: str | None) -> bool:
        """The search, given safe_lower(text) (made once for several searchers)."""
        within = lowered if self.ignore_case else text
        if not self.literals or within is None:
            return self.regex.search(text) is not None
        if self.sentences:
            return self._in_sentences(text, within)
        if not any(literal in within for literal in self.literals):
            return False
        return self.regex.search(text) is not None

    def _in_sentences(self, text: str, within: str) -> bool:
        """Search each sentence that holds a literal, once; `within` has the text's
        characters at the same places (safe_lower keeps them there)."""
        searched = set()
        search, stop = self._search_run, _SENTENCE_END
        for literal in self.literals:
            at = within.find(literal)
            while at >= 0:
                start = within.rfind(stop, 0, at) + 1
                end = within.find(stop, at + len(literal))
                end = len(text) if end < 0 else end
                if start not in searched:
                    searched.add(start)
                    if search(text, within, start, end):
                        return True
                at = within.find(literal, end)  # the sentence's other ones: searched
        return False

    def _search_run(self, text: str, within: str, start: int, end: int) -> bool:
        """The search of text[start:end], tried only where `within` has a literal that
        every match starts with: a search tries every place, at some 40 ns a place."""
        if not self.leads:
            return self.regex.search(text, start, end) is not None
        match = self.regex.match
        for lead in self.leads:
            at = within.find(lead, start, end)
            while at >= 0:
                if match(text, at, end):
                    return True
                at = within.find(lead, at + 1, end)
        return False
