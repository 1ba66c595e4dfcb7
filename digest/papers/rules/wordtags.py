"""What each distinct word of a text tells the matcher (matching.RuleIndex): the tags of
the rules and phrase requirements a word passes, in tables by word test and in tries of
starts and ends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .phrases import plurals

STAR = 40  # the word characters a '*' stands for, at most (phrases.phrase_body)


_HOWS = ("is", "starts", "ends", "contains")
_Test = tuple[str, Iterable[str]]  # a word test: how, and the strings


class WordTables:
    """Per word test (how, ignore case) and string, the tags of the words that pass it.

    A tag is a number: a rule's number i, when the text may match it; -1 - i, when each
    such word is one match of it; n (the number of rules) or more, one of phrases'
    requirements (`require`)."""

    def __init__(self, n: int) -> None:
        self.tests: dict[tuple[str, bool], dict[str, list[int]]] = {
            (how, case): {} for how in _HOWS for case in (False, True)
        }
        self.stars: dict[str, list[int]] = {}  # a word starting so, up to 40 more: one match
        self.n = n
        self.requirements: dict[tuple[str, tuple[tuple[str, frozenset[str]], ...]], int] = {}
        self.of: dict[str, dict[int, int]] = {"first": {}, "second": {}, "last": {}}  # rule: tag

    def add(self, how: str, strings: Iterable[str], tag: int, ignore_case: bool = True) -> None:
        table = self.tests[how, ignore_case]
        for string in strings:
            table.setdefault(string, []).append(tag)

    def require(self, i: int, kind: str, *tests: _Test) -> None:
        """Rule i matches no text without a word passing one of the tests."""
        key = (kind, tuple((how, frozenset(strings)) for how, strings in tests))
        if key not in self.requirements:
            tag = self.requirements[key] = self.n + len(self.requirements)
            for how, strings in key[1]:
                self.add(how, strings, tag)
        self.of[kind][i] = self.requirements[key]

    def phrase(self, i: int, words: tuple[str, ...], star: bool) -> None:
        """A one-word phrase's match is a word. A longer one's starts at a word that is its
        first word, the next word being its second or starting with the second and the
        third run together; or at a word starting with its first two words run together.
        Its last word ends a word. (Every word may take a plural ending: only a '*' one
        ends the match with other characters.)"""
        first, n = words[0], len(words)
        if n == 1:
            if star:
                self.stars.setdefault(first, []).append(-1 - i)
            else:
                self.add("is", plurals(first), -1 - i)
            return
        self.require(i, "first", ("is", plurals(first)))
        two = [start + words[1] for start in plurals(first)]
        if n == 2 and not star:
            self.require(i, "second", ("is", plurals(words[1])))
            self.add("is", [w + end for w in two for end in plurals("")], i)
        elif n == 2:
            self.require(i, "second", ("starts", [words[1]]))
            self.add("starts", two, i)
        else:
            then = [w + words[2] for w in plurals(words[1])]
            self.require(i, "second", ("is", plurals(words[1])), ("starts", then))
            self.add("starts", two, i)
            if not star:
                self.require(i, "last", ("ends", plurals(words[-1])))


class KnownWords(dict[Any, frozenset[Any]]):
    """Every word met, and its tags: worked out (`learn`) the first time it is met."""

    def __init__(self, learn: Callable[[Any], frozenset[Any]]) -> None:
        super().__init__()
        self.learn = learn

    def __missing__(self, word: str | bytes) -> frozenset[Any]:
        tags = self[word] = self.learn(word)
        return tags


class Affixes:
    """Strings a word may start (or end) with, in a trie of characters: the tags of a word
    that does. `stars` are a start the word has at most 40 characters after."""

    def __init__(
        self, table: dict[str, list[int]], lower: bool, ends: bool, stars: dict[str, list[int]]
    ) -> None:
        self.lower, self.ends = lower, ends
        self.upper = all(string != string.lower() for string in table)  # see RuleIndex.__init__
        self.trie: dict[str, Any] = {}
        for mark, strings in (("", table), ("*", stars)):  # no character of a word
            for string, tags in strings.items():
                node = self.trie
                for char in reversed(string) if ends else string:
                    node = node.setdefault(char, {})
                node[mark] = tags

    def tags(self, word: str) -> list[int]:
        found: list[int] = []
        node = self.trie
        for depth, char in enumerate(reversed(word) if self.ends else word, 1):
            node = node.get(char)
            if node is None:
                break
            found += node.get("", ())
            if "*" in node and len(word) - depth <= STAR:
                found += node["*"]
        return found
