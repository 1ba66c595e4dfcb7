"""What kind of paper it is, besides its topics: a survey, a benchmark, a dataset."""

from __future__ import annotations

import re

from ..text import plain_text
from .rules.fastsearch import Searcher, safe_lower

# Said in the title, or said of the paper's own contribution in its abstract ("we
# introduce ... a benchmark"): a paper that merely evaluates on a benchmark is not one.
# Every gap is bounded and excludes '.', so a long abstract is scanned in linear time.
_OWN = (
    r"\b(?:we|this (?:paper|work|survey|article|report))\s+"
    r"(?:(?:also|further|then|first|additionally|newly|carefully|publicly) )?"
)
_MAKE = r"(?:introduc|present|propos|releas|construct|build|buil|curat|creat|provid|offer)\w{0,3}\b"
KIND_RULES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "survey": (
        re.compile(r"(?i)\b(?:survey|review|overview|tutorial|primer|guide)\b"),
        re.compile(
            r"(?i)"
            + _OWN
            + r"(?:survey|review)s?\b|\b(?:comprehensive|systematic) (?:survey|review)\b"
        ),
    ),
    "benchmark": (
        re.compile(r"(?i)\bbenchmark(?:s|ing)?\b|\w-?bench\b"),
        re.compile(r"(?i)" + _OWN + _MAKE + r"[^.]{0,120}?\bbenchmarks?\b"),
    ),
    "dataset": (
        # "Dataset selection" or "dataset distillation" is a method, not a dataset.
        re.compile(
            r"(?i)\b(?:dataset|data set|corpus|corpora)\b"
            r"(?! (?:selection|distillation|pruning|condensation|ablation))"
        ),
        re.compile(r"(?i)" + _OWN + _MAKE + r"[^.]{0,120}?\b(?:dataset|data set|corpus)\b"),
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


# The same searches, skipped on the many abstracts that lack the words they need, and
# made only in the sentences that have them (fastsearch.Searcher).
_SEARCHERS = {
    kind: (Searcher(in_title), Searcher(in_abstract))
    for kind, (in_title, in_abstract) in KIND_RULES.items()
}


def kinds_of(title: str, abstract: str) -> tuple[str, ...]:
    """The kinds a paper is, in a fixed order."""
    title, abstract = plain_text(title), plain_text(abstract)
    # Lower-cased once for the six searches rather than once by each.
    lowered_title, lowered_abstract = safe_lower(title), safe_lower(abstract)
    return tuple(
        kind
        for kind, (in_title, in_abstract) in _SEARCHERS.items()
        if in_title.search_lowered(title, lowered_title)
        or in_abstract.search_lowered(abstract, lowered_abstract)
    )
