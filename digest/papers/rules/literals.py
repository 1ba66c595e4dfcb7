"""What every match of a regular expression contains, to skip texts it cannot match.

A search over a whole abstract costs tens of microseconds when the expression does not
start with a literal (`\\b...`, `(?i)...`), and `str.__contains__` a fraction of that. The
literals come from the expression's parse (re's own parser); where they cannot be told
for sure, there are none, and the expression is simply run. Where the parse shows that no
match spans a full stop, only the sentences holding a literal are searched, and there only
from the places where a match can start (fastsearch.Searcher). What a pattern needs of a
text's words is wordtests.py's.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse


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
