"""What every match of a regular expression contains, to skip texts it cannot match.

A search over a whole abstract costs tens of microseconds when the expression does not
start with a literal (`\\b...`, `(?i)...`), and `str.__contains__` a fraction of that. The
literals come from the expression's parse (re's own parser); where they cannot be told
for sure, there are none, and the expression is simply run.
"""

from __future__ import annotations

import re
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


class Searcher:
    """An expression's search, skipped when the text has none of the literals each of its
    matches contains (ignoring case only where lower-casing the text is safe)."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.literals, self.ignore_case = required_literals(regex.pattern, regex.flags)

    def search(self, text: str) -> bool:
        if self.literals and (not self.ignore_case or lowers_safely(text)):
            within = text.lower() if self.ignore_case else text
            if not any(literal in within for literal in self.literals):
                return False
        return self.regex.search(text) is not None
