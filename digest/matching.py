"""Count a list of rules' hits in a text: exactly what each rule's expression finds, fast.

Trying 450 case-insensitive expressions on every abstract cost some 3 ms a paper: `re` tries
such an expression at every position of the text. Three shortcuts give the same counts:

- A phrase's expression starts with its first word at the start of a word, so only phrases
  whose first word begins some word of the text are tried: a few dictionary look-ups per
  distinct word, remembered across texts.
- When lower-casing the text changes nothing that matters (it keeps every character's place,
  word and space characters, and makes no letter ASCII; true of ASCII text), a phrase made
  of ASCII is matched case-sensitively on the lower-cased text by an expression that starts
  with a literal word, which `re` finds with a fast search instead of trying every position.
- A pattern is tried only on text containing a literal that each of its matches contains
  (literals.py).

Anything else goes the plain way: the rule's hint, then its expression on the text as is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice

from .literals import lowers_safely, required_literals
from .model import Rule

_WORD = re.compile(r"\w+")
# ASCII text's words, as `\w+` finds them, by a faster way: other characters become spaces.
_SPACES = {c: " " for c in range(128) if not re.match(r"\w", chr(c))}


def phrase_words(phrase: str) -> list[str]:
    """A phrase's words (a trailing '*' kept) and punctuation characters, in order."""
    return re.findall(r"\w+\*?|[^\w\s*-]", phrase.strip())


def phrase_pattern(phrase: str) -> str:
    """A phrase matches case-insensitively as whole words, with '-', ' ' or nothing
    between its words, each of which may take a plural ending ("mixtures of experts");
    a trailing '*' on a word matches any ending."""
    return rf"(?i)(?<!\w){_phrase_body(phrase_words(phrase))}(?!\w)"


def _phrase_body(words: list[str]) -> str:
    parts = [
        re.escape(w[:-1]) + r"\w{0,40}" if w.endswith("*") else re.escape(w) + "(?:s|es)?"
        for w in words
    ]
    return r"[\s\-]?".join(parts)


def phrase_hint(phrase: str) -> str:
    """The phrase's first word, which every text that matches it contains."""
    first = re.match(r"\w+", phrase.strip())
    return first.group(0).casefold() if first and first.group(0).isascii() else ""


def _fast_phrase(rule: Rule) -> tuple[str, str, tuple[str, ...]] | None:
    """A phrase rule's first word, the rest of its expression for lower-cased text and its
    other words (every match contains them), or None for a pattern rule or a phrase re
    might match with non-ASCII letters."""
    if not rule.label.isascii() or rule.pattern != phrase_pattern(rule.label):
        return None
    words = [w.lower() for w in phrase_words(rule.label)]
    first = words[0].rstrip("*") if words else ""
    if not _WORD.fullmatch(first):
        return None
    rest = tuple(w.rstrip("*") for w in words[1:])
    return first, _phrase_body(words)[len(re.escape(first)) :] + r"(?!\w)", rest


def _starting_with(first: str, tails: list[str]) -> re.Pattern[str]:
    """`(?<!\\w)first...` as `first(?<!\\wfirst)...`: the same test of the character
    before, made after the literal, so that the expression starts with it."""
    word = re.escape(first)
    return re.compile(rf"{word}(?<!\w{word})(?:{'|'.join(tails)})")


@dataclass(frozen=True)
class _Plain:
    """A rule tried the plain way: its hint, then its expression on the text as is."""

    regex: re.Pattern[str]
    hint: str

    def hits(self, text: str, folded: str, cap: int) -> int:
        return _count(self.regex, text, cap) if self.hint in folded else 0


@dataclass(frozen=True, eq=False)  # hashed by identity: groups are gathered in sets
class _Group:
    """Phrases with the same first word, and an expression that matches wherever one of
    them does: most texts with the word have none of them, which one search tells."""

    any_of: re.Pattern[str]
    members: tuple[_Member, ...]


@dataclass(frozen=True)
class _Member:
    index: int
    regex: re.Pattern[str]
    rest: tuple[str, ...]  # its other words: a text without one of them has no match

    def hits(self, lower: str, cap: int) -> int:
        return _count(self.regex, lower, cap) if all(w in lower for w in self.rest) else 0


class _Starts(dict[str, tuple[_Group, ...]]):
    """Per word, the groups whose first word begins it: a cache of a pure function, which
    grows with the vocabulary of the texts; one index serves one classification."""

    def __init__(self, groups: dict[str, _Group]) -> None:
        super().__init__()
        self._groups = groups
        self._lengths = sorted({len(first) for first in groups})

    def __missing__(self, word: str) -> tuple[_Group, ...]:
        prefixes = (word[:n] for n in self._lengths if n <= len(word))
        found = self[word] = tuple(self._groups[p] for p in prefixes if p in self._groups)
        return found


class RuleIndex:
    """Rules compiled for counting their hits in many texts."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._plain = [_Plain(re.compile(rule.pattern), rule.hint) for rule in rules]
        tails: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for index, rule in enumerate(rules):
            fast = _fast_phrase(rule)
            if fast is not None:
                tails.setdefault(fast[0], []).append((index, *fast[1:]))
        groups = {
            first: _Group(
                _starting_with(first, [tail for _, tail, _ in found]),
                tuple(_Member(i, _starting_with(first, [tail]), rest) for i, tail, rest in found),
            )
            for first, found in tails.items()
        }
        self._starts = _Starts(groups)
        fast = {i for found in tails.values() for i, _, _ in found}
        self._always: list[int] = []  # the other rules: by the literals their matches contain
        self._literals: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for i, rule in enumerate(rules):
            if i not in fast:
                literals, ignore_case = required_literals(rule.pattern)
                for literal in literals:
                    self._literals[ignore_case].setdefault(literal, []).append(i)
                if not literals:
                    self._always.append(i)

    def hits(self, text: str, cap: int) -> dict[int, int]:
        """Each rule's number of matches in the text, up to `cap`, when not zero; a rule
        with a hint counts only where the case-folded text contains it."""
        if cap <= 0:
            return {}
        lower, folded = text.lower(), text.casefold()
        if not lowers_safely(text):
            counts = ((i, plain.hits(text, folded, cap)) for i, plain in enumerate(self._plain))
            return {i: n for i, n in counts if n}
        found = {}
        for group in self._candidates(lower):
            if group.any_of.search(lower):
                found.update((m.index, m.hits(lower, cap)) for m in group.members)
        for i in self._others(text, lower):
            found[i] = self._plain[i].hits(text, folded, cap)
        return {i: n for i, n in found.items() if n}

    def _candidates(self, lower: str) -> set[_Group]:
        """The groups whose first word begins a word of the text."""
        words = lower.translate(_SPACES).split() if lower.isascii() else _WORD.findall(lower)
        return set(chain.from_iterable(map(self._starts.__getitem__, set(words))))

    def _others(self, text: str, lower: str) -> set[int]:
        """The rules not in a group that may match: no literal known, or one in the text
        (lower-cased text stands for text in any case, as it lowers safely)."""
        case, no_case = self._literals
        found = set(self._always)
        found.update(*(rules for literal, rules in case.items() if literal in text))
        found.update(*(rules for literal, rules in no_case.items() if literal in lower))
        return found


def _count(regex: re.Pattern[str], text: str, cap: int) -> int:
    if cap == 1:  # a title: whether it matches at all
        return 1 if regex.search(text) else 0
    return sum(1 for _ in islice(regex.finditer(text), cap))
