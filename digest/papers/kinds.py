"""What kind of paper it is, besides its topics: a survey, a benchmark, a dataset."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Paper
from ..text import plain_text

# Said in the title, or said of the paper's own contribution in its abstract ("we
# introduce ... a benchmark"): a paper that merely evaluates on a benchmark is not one.
# The expressions run on case-folded text. None spans a full stop, so only the abstract's
# sentences holding one of the kind's words need searching, and every gap is bounded, so a
# long abstract is scanned in linear time.
_OWN = (
    r"\b(?:we|this (?:paper|work|survey|article|report))\s+"
    r"(?:(?:also|further|then|first|additionally|newly|carefully|publicly) )?"
)
_MAKE = r"(?:introduc|present|propos|releas|construct|build|buil|curat|creat|provid|offer)\w{0,3}\b"


@dataclass(frozen=True)
class KindRule:
    words: tuple[str, ...]  # one of which every match of either expression contains
    in_title: re.Pattern[str]
    in_abstract: re.Pattern[str]

    def matches(self, title: str, abstract: str) -> bool:
        """Whether the case-folded title or abstract says the paper is of this kind."""
        if self._holds_a_word(title) and self.in_title.search(title):
            return True
        return self._holds_a_word(abstract) and any(
            self.in_abstract.search(sentence)
            for sentence in abstract.split(".")
            if self._holds_a_word(sentence)
        )

    def _holds_a_word(self, text: str) -> bool:
        return any(map(text.__contains__, self.words))


KIND_RULES: dict[str, KindRule] = {
    "survey": KindRule(
        ("survey", "review", "overview", "tutorial", "primer", "guide"),
        re.compile(r"\b(?:survey|review|overview|tutorial|primer|guide)\b"),
        re.compile(
            _OWN + r"(?:survey|review)s?\b|\b(?:comprehensive|systematic) (?:survey|review)\b"
        ),
    ),
    "benchmark": KindRule(
        ("bench",),
        re.compile(r"\bbenchmark(?:s|ing)?\b|\w-?bench\b"),
        re.compile(_OWN + _MAKE + r"[^.]{0,120}?\bbenchmarks?\b"),
    ),
    "dataset": KindRule(
        ("dataset", "data set", "corpus", "corpora"),
        # "Dataset selection" or "dataset distillation" is a method, not a dataset.
        re.compile(
            r"\b(?:dataset|data set|corpus|corpora)\b"
            r"(?! (?:selection|distillation|pruning|condensation|ablation))"
        ),
        re.compile(_OWN + _MAKE + r"[^.]{0,120}?\b(?:dataset|data set|corpus)\b"),
    ),
}
KIND_NAMES = {"survey": "Surveys", "benchmark": "Benchmarks", "dataset": "Datasets"}
# Why a kind rule of topics.yml gave a paper its topic, as "why" says it.
KIND_REASONS = {
    "survey": "it is a survey",
    "benchmark": "it introduces a benchmark",
    "dataset": "it introduces a dataset",
}
KIND_BLURBS = {
    "survey": "surveys and reviews of a field, newest first.",
    "benchmark": "each introduces a way to evaluate models, newest first.",
    "dataset": "each introduces a dataset or corpus, newest first.",
}


def kinds_by_slug(papers: Iterable[Paper]) -> dict[str, tuple[str, ...]]:
    """Each paper's kinds, found once for the pages and the data files."""
    return {paper.slug: kinds_of(paper.title, paper.abstract) for paper in papers}


def kinds_of(title: str, abstract: str) -> tuple[str, ...]:
    """The kinds a paper is, in a fixed order."""
    title, abstract = plain_text(title).casefold(), plain_text(abstract).casefold()
    return tuple(kind for kind, rule in KIND_RULES.items() if rule.matches(title, abstract))
