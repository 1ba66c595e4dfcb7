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
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ...model import Rule
from .fastsearch import lowers_safely
from .literals import anchor, required_literals
from .phrases import lowered_phrase, simple_phrase
from .wordtags import Affixes, KnownWords, WordTables
from .wordtests import word_test

_WORD = re.compile(r"\w+")
# ASCII text's words, as `\w+` finds them, by a faster way: other characters become spaces.
_SPACES = bytes(c if re.match(r"\w", chr(c)) else ord(" ") for c in range(256))
_NONE: frozenset[str | bytes | int] = frozenset()


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    """Expressions are compiled when first run: most never are, on most texts."""
    return re.compile(pattern)


class RuleIndex:
    """Rules compiled for counting their hits in many texts.

    A text is cut into its words once. What each distinct word tells is worked out the
    first time it is met and kept as a set of tags (WordTables): their union over the text's
    words picks the few rules whose expressions are tried, and counts the matches of rules
    whose every match is a word."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._plain = [(rule.pattern, rule.hint) for rule in rules]
        runs: dict[
            tuple[str, str | None, str], _Run
        ] = {}  # rules with the same expression share it
        self._runs = []
        tables = WordTables(len(rules))
        self._always: list[int] = []  # rules tried on every text
        self._literals: list[tuple[str, bool, int]] = []  # ... containing such a literal
        for i, rule in enumerate(rules):
            simple = simple_phrase(rule)
            test = None if rule.hint else word_test(rule.pattern)
            regex, first, hint = rule.pattern, None, rule.hint
            if simple is not None:
                tables.phrase(i, *simple)
                regex, first, hint = lowered_phrase(*simple), simple[0][0], ""
            elif test is not None:
                tag = -1 - i if test.how == "is" else i
                tables.add(test.how, test.strings, tag, test.ignore_case)
            else:
                self._by_literals(i, rule)
            key = (regex, first, hint)
            self._runs.append(runs.get(key) or runs.setdefault(key, _Run(regex, first, hint)))
        self._maybe = set(range(len(rules)))
        self._phrase_tags(tables)
        tests = tables.tests
        self._is = tests["is", False], tests["is", True]
        stars = {("starts", True): tables.stars}  # lower-cased words starting so
        self._affixes = [
            Affixes(tests[key], key[1], key[0] == "ends", stars.get(key, {}))
            for key in (("starts", False), ("starts", True), ("ends", False), ("ends", True))
            if tests[key] or stars.get(key)
        ]
        self._contains = {case: list(tests["contains", case].items()) for case in (False, True)}
        # whether every string a word as written is compared with has a capital letter:
        # then a word without one passes none of those tests
        self._upper = all(s != s.lower() for s in [*tests["is", False], *tests["contains", False]])
        self._tags = KnownWords(self._learn)  # every word met: its tags
        # a word: the rules it is one match of, and the word as a str
        self._certain: dict[str | bytes, tuple[tuple[int, ...], str]] = {}
        self._certain_words: set[str | int] = set()  # the same words, to intersect with

    def _phrase_tags(self, tables: WordTables) -> None:
        """A phrase is looked at when a word of the text meets its first or its second
        requirement, whichever fewer phrases share (the fewer looked at); then each of
        its other requirements is checked (its last is its second if it has no other)."""
        first, second, last = tables.of["first"], tables.of["second"], tables.of["last"]
        shared = Counter([*first.values(), *second.values()])
        # a tag: the phrases it picks, each with its other two requirements
        self._needs: dict[int, list[tuple[int, int, int]]] = {}
        for i in first:
            by, other = sorted((first[i], second[i]), key=lambda tag: (shared[tag], tag))
            self._needs.setdefault(by, []).append((i, other, last.get(i, second[i])))
        self._triggers = set(self._needs)

    def _by_literals(self, i: int, rule: Rule) -> None:
        """A rule tried on text containing a literal that each of its matches contains."""
        literals, ignore_case = required_literals(rule.pattern)
        if literals:
            self._literals += [(literal, ignore_case, i) for literal in literals]
        else:
            self._always.append(i)

    def hits(self, text: str, cap: int) -> dict[int, int]:
        """Each rule's number of matches in the text, up to `cap`, when not zero; a rule
        with a hint counts only where the case-folded text contains it."""
        if cap <= 0:
            return {}
        if not lowers_safely(text):
            folded = text.casefold()
            counts = (
                (i, _count(_compiled(pattern), text, cap) if hint in folded else 0)
                for i, (pattern, hint) in enumerate(self._plain)
            )
            return {i: n for i, n in counts if n}
        spaced = text.encode("ascii").translate(_SPACES) if text.isascii() else None
        words = spaced.split() if spaced is not None else _WORD.findall(text)
        tags = set().union(*set(map(self._tags.__getitem__, words)))
        certain = tags.intersection(self._certain_words)
        found = self._certainly(text, spaced, words, certain, cap) if certain else {}
        maybe = tags.intersection(self._maybe)
        if self._always or self._literals:
            maybe.update(self._always, self._with_literals(text))
        if not tags.isdisjoint(self._triggers):
            maybe.update(self._phrases(tags))
        if maybe:
            found.update(self._counts(text, maybe, cap))
        return found

    def _certainly(
        self,
        text: str,
        spaced: bytes | None,
        words: list[str] | list[bytes],
        certain: set[str | bytes | int],
        cap: int,
    ) -> dict[int, int]:
        """The matches of rules whose every match is a word: the words that are one. A
        word in the text once at most (str.count, fast) is one such word at most."""
        found: dict[int, int] = {}
        padded = None
        for word in certain:
            rules, spelt = self._certain[word]  # type: ignore[index]
            n = 1 if cap == 1 else text.count(spelt)
            if n > 1:
                if spaced is None:
                    n = words.count(word)  # type: ignore[arg-type]
                else:
                    padded = padded or b" " + spaced + b" "
                    n = _word_count(padded, words, word, cap)  # type: ignore[arg-type]
            for i in rules:
                total = found.get(i, 0) + n
                found[i] = cap if total > cap else total
        return found

    def _phrases(self, tags: set[str | bytes | int]) -> list[int]:
        """The phrases that may match: a word of the text meets each of their requirements."""
        needs = self._needs
        return [
            i
            for tag in tags.intersection(self._triggers)
            for i, other, last in needs[tag]  # type: ignore[index]
            if other in tags and last in tags
        ]

    def _with_literals(self, text: str) -> list[int]:
        lower = text.lower()
        return [i for literal, case, i in self._literals if literal in (lower if case else text)]

    def _counts(self, text: str, rules: set[int], cap: int) -> dict[int, int]:
        """The rules' matches, by their expressions (a phrase's on lower-cased text); an
        expression two rules share is run once."""
        lower, folded = text.lower(), ""
        found: dict[int, int] = {}
        done: dict[_Run, int] = {}
        for i in rules:
            run = self._runs[i]
            n = done.get(run)
            if n is None:
                if run.hint and not folded:
                    folded = text.casefold()
                n = done[run] = run.count(text, lower, cap) if run.hint in folded else 0
            if n:
                found[i] = n
        return found

    def _learn(self, key: str | bytes) -> frozenset[str | bytes | int]:
        """Work out a word's tags and remember them."""
        word = key.decode("ascii") if isinstance(key, bytes) else key
        low = word.lower()
        tags = [*self._is[True].get(low, ())]
        for affixes in self._affixes:
            if affixes.lower:
                tags += affixes.tags(low)
            elif word != low or not affixes.upper:  # else no string of it is in the word
                tags += affixes.tags(word)
        if word != low or not self._upper:
            tags += self._is[False].get(word, ())
            tags += [t for string, found in self._contains[False] if string in word for t in found]
        tags += [t for string, found in self._contains[True] if string in low for t in found]
        if not tags:
            return _NONE
        certain = tuple(dict.fromkeys(-1 - t for t in tags if t < 0))
        if certain:
            self._certain[key] = certain, word
            self._certain_words.add(key)
        return frozenset([t for t in tags if t >= 0] + ([key] if certain else []))


def _word_count(padded: bytes, words: list[bytes], word: bytes, cap: int) -> int:
    """How many of the words are this one, or at least `cap`. `padded` is the text with
    non-word characters made spaces and a space either side: bytes.count of the word with a
    space either side (several times faster than list.count, which compares every word)
    misses only places sharing their space with one it counted ("w w"), which are seen."""
    key = b" " + word + b" "
    n = padded.count(key)
    if n < cap and key + word + b" " in padded:
        return words.count(word)
    return n


class _Run:
    """A rule's expression as it is run on a text (or its lower-cased copy).

    A phrase's expression starts with its first word: `re` searches from the first place
    str.find finds it (far faster). Where every match of an expression contains a literal
    and starts at most a few characters before it, only those places are tried."""

    def __init__(self, pattern: str, first: str | None, hint: str) -> None:
        self.pattern, self.first, self.hint = pattern, first, hint
        self.anchor = None if first is not None else anchor(pattern)
        self.regex: re.Pattern[str] | None = None  # compiled when first run

    def count(self, text: str, lower: str, cap: int) -> int:
        """Its matches in the text, up to `cap`: what finditer finds."""
        if self.regex is None:
            self.regex = _compiled(self.pattern)
        if self.first is not None:
            start = lower.find(self.first)
            return 0 if start < 0 else _count(self.regex, lower, cap, start)
        if self.anchor is None:
            return _count(self.regex, text, cap)
        literal, ignore_case, before = self.anchor
        seen = lower if ignore_case else text  # where matches show the literal
        found, place, at = 0, 0, seen.find(literal)
        while at >= 0:  # each place a match may start, in order: the next match
            place = max(place, at - before)
            while place <= at:
                match = self.regex.match(text, place)
                if match is None:
                    place += 1
                    continue
                found += 1
                if found == cap:
                    return found
                place = match.end()  # > place: a match contains the literal
            at = seen.find(literal, at + 1)
        return found


def _count(regex: re.Pattern[str], text: str, cap: int, start: int = 0) -> int:
    """The expression's matches from `start` on, up to `cap` (it looks behind `start`)."""
    if cap == 1:  # a title: whether it matches at all
        return 1 if regex.search(text, start) else 0
    found = len(regex.findall(text, start))
    return cap if found > cap else found  # not min(): a call to it costs more
