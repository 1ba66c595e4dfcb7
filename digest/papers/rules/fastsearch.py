"""An expression's search that looks only where its literals are (literals.py), on the
text or, where that is safe, its lower-cased copy."""

from __future__ import annotations

import re
from functools import lru_cache

from .literals import leading_literals, never_spans, required_literals

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
