"""Counting topics.yml's rules' hits in a text: what each rule's expression finds, fast.

A text's words are its runs of word characters (`\\w+`). A rule is one of three kinds:

- phrase: words compared after Unicode case folding, joined in the text by a space, a
  hyphen or nothing, each allowing a plural "s"/"es", a trailing "*" allowing any ending.
  Its expression (phrase_expression) runs on the case-folded text, and only on texts
  where some word starts with the phrase's first word and its other words appear.
- word: an expression a whole word must match (re.fullmatch), as written: acronyms and
  spellings.
- pattern: an expression searched for in the whole text, as written. The slow way: every
  such rule runs on every text.

What a word tells (the phrases it may start, the word rules it matches) is worked out the
first time the word is met and remembered: a text then costs a few set operations on its
words, and a search for each phrase it may hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from ..model import Rule

_WORD = re.compile(r"\w+")
# An ASCII text's words, as `\w+` finds them, the faster way: other bytes become spaces.
_SPACES = bytes(c if re.match(r"\w", chr(c)) else ord(" ") for c in range(256))


def words_of(text: str) -> list[str] | list[bytes]:
    """The text's runs of word characters (as bytes when the text is ASCII)."""
    if text.isascii():
        return text.encode("ascii").translate(_SPACES).split()
    return _WORD.findall(text)


def phrase_items(phrase: str) -> list[str]:
    """A phrase's words (a trailing '*' kept) and punctuation characters, in order."""
    return re.findall(r"\w+\*?|[^\w\s*-]", phrase.strip())


def phrase_expression(phrase: str) -> str:
    """The phrase's expression on case-folded text: whole words, '-', ' ' or nothing
    between them, each taking a plural ending ("mixtures of experts") or, after '*', any
    ending of up to 40 characters. A phrase starting with a word starts with it and only
    then checks that no word character comes before, so that `re` finds the phrase's
    places by a fast search for that word rather than by trying every place."""
    items = phrase_items(phrase.casefold())
    body = r"[\s\-]?".join(
        re.escape(item[:-1]) + r"\w{0,40}" if item.endswith("*") else re.escape(item) + "(?:s|es)?"
        for item in items
    )
    first = _first_word(items)
    if first is None:
        return rf"(?<!\w){body}(?!\w)"
    return rf"{re.escape(first)}(?<!\w{re.escape(first)}){body[len(re.escape(first)) :]}(?!\w)"


def _first_word(items: list[str]) -> str | None:
    """The word every match of a phrase starts with, if it starts with one."""
    first = items[0].removesuffix("*") if items else ""
    return first if _WORD.fullmatch(first) else None


class RuleIndex:
    """A list of rules compiled for counting their hits in many texts."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.regexes = [re.compile(rule.pattern) for rule in rules]
        self.by_first_word: dict[str, list[int]] = {}  # phrases, by their first word
        self.other_words: dict[int, tuple[str, ...]] = {}  # ... and the words after it
        self.word_rules: list[int] = []
        self.searched: list[tuple[int, bool]] = []  # the rest; a phrase in folded text
        for i, rule in enumerate(rules):
            items = phrase_items(rule.label.casefold()) if rule.kind == "phrase" else []
            first = _first_word(items)
            if first is not None:
                self.by_first_word.setdefault(first, []).append(i)
                self.other_words[i] = tuple(item.removesuffix("*") for item in items[1:])
            elif rule.kind == "word":
                self.word_rules.append(i)
            else:
                self.searched.append((i, rule.kind == "phrase"))
        self.first_word_lengths = sorted({len(word) for word in self.by_first_word})
        self.any_word_rule = _any_of([rules[i].pattern for i in self.word_rules])
        # Every word met, as written: the phrases that may start at it, and the word rules
        # it matches. Words that tell either are also in `telling`, to intersect with.
        self._told: dict[str | bytes, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._telling: set[str | bytes] = set()

    def hits(self, text: str, cap: int) -> dict[int, int]:
        """Each rule's number of matches in the text, up to `cap`, when not zero."""
        if cap <= 0:
            return {}
        folded = text.casefold()
        words = words_of(text)
        distinct = set(words)
        for word in distinct.difference(self._told):  # words never met before
            self._learn(word)
        telling = distinct & self._telling
        counts = {}
        for word in telling:
            rules = self._told[word][1]
            n = min(words.count(word), cap) if rules else 0  # type: ignore[arg-type]
            for i in rules:
                counts[i] = min(counts.get(i, 0) + n, cap)
        for i in self._phrases_in(text, folded, telling):
            counts[i] = _count(self.regexes[i], folded, cap)
        for i, in_folded in self.searched:
            counts[i] = _count(self.regexes[i], folded if in_folded else text, cap)
        return {i: n for i, n in counts.items() if n}

    def _phrases_in(self, text: str, folded: str, telling: set[str | bytes]) -> list[int]:
        """The phrases the text may hold: some word starts with the first word, and the
        text holds the others. An ASCII text's words, lower-cased, are the words of its
        lower-cased (folded) text; any other text is searched for the first words."""
        if text.isascii():
            phrases = set().union(*[self._told[word][0] for word in telling])
        else:
            firsts = [ids for first, ids in self.by_first_word.items() if first in folded]
            phrases = set().union(*firsts)
        needed = set().union(*[self.other_words[i] for i in phrases])
        present = set(filter(folded.__contains__, needed))
        return [i for i in phrases if present.issuperset(self.other_words[i])]

    def _learn(self, word: str | bytes) -> None:
        text = word.decode("ascii") if isinstance(word, bytes) else word
        folded = text.casefold()
        phrases = tuple(
            i
            for length in self.first_word_lengths
            if length <= len(folded)
            for i in self.by_first_word.get(folded[:length], ())
        )
        rules: tuple[int, ...] = ()
        if self.any_word_rule is None or self.any_word_rule.fullmatch(text):
            rules = tuple(i for i in self.word_rules if self.regexes[i].fullmatch(text))
        self._told[word] = (phrases, rules)
        if phrases or rules:
            self._telling.add(word)


def _count(regex: re.Pattern[str], text: str, cap: int) -> int:
    return sum(1 for _ in islice(regex.finditer(text), cap))


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One expression a word fully matches when it fully matches any of the patterns:
    a quick no for most words. None (no shortcut) if they do not combine, as when one
    sets a flag for the whole expression."""
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    except re.error:
        return None
