"""A topic rule's phrase: its words, its regular expression, and the faster forms the
matcher runs (on lower-cased text, starting with the phrase's first word)."""

from __future__ import annotations

import re

from ...model import Rule

_WORD = re.compile(r"\w+")


def phrase_words(phrase: str) -> list[str]:
    """A phrase's words (a trailing '*' kept) and punctuation characters, in order."""
    return re.findall(r"\w+\*?|[^\w\s*-]", phrase.strip())


def phrase_pattern(phrase: str) -> str:
    """A phrase matches case-insensitively as whole words, with '-', ' ' or nothing
    between its words, each of which may take a plural ending ("mixtures of experts");
    a trailing '*' on a word matches any ending."""
    return rf"(?i)(?<!\w){phrase_body(phrase_words(phrase))}(?!\w)"


def phrase_body(words: list[str]) -> str:
    parts = [
        re.escape(w[:-1]) + r"\w{0,40}" if w.endswith("*") else re.escape(w) + "(?:s|es)?"
        for w in words
    ]
    return r"[\s\-]?".join(parts)


def phrase_hint(phrase: str) -> str:
    """The phrase's first word, which every text that matches it contains."""
    first = re.match(r"\w+", phrase.strip())
    return first.group(0).casefold() if first and first.group(0).isascii() else ""


def simple_phrase(rule: Rule) -> tuple[tuple[str, ...], bool] | None:
    """A phrase rule's lower-cased words and whether the last ends in '*', when it is
    ASCII, made only of words and has no other '*'; else None (a pattern rule too)."""
    if not rule.label.isascii() or rule.pattern != phrase_pattern(rule.label):
        return None
    words = [w.lower() for w in phrase_words(rule.label)]
    bare = tuple(w.removesuffix("*") for w in words)
    if not words or not all(map(_WORD.fullmatch, bare)) or "*" in "".join(words[:-1]):
        return None
    return bare, words[-1].endswith("*")


def plurals(word: str) -> tuple[str, str, str]:
    return word, word + "s", word + "es"


def _starting_with(first: str, tails: list[str]) -> str:
    """`(?<!\\w)first...` as `first(?<!\\wfirst)...`: the same test of the character
    before, made after the literal, so that the expression starts with it."""
    word = re.escape(first)
    return rf"{word}(?<!\w{word})(?:{'|'.join(tails)})"


def lowered_phrase(words: tuple[str, ...], star: bool) -> str:
    """A phrase's expression for lower-cased text, starting with its first word."""
    marked = [*words[:-1], words[-1] + "*" if star else words[-1]]
    return _starting_with(words[0], [phrase_body(marked)[len(re.escape(words[0])) :] + r"(?!\w)"])
