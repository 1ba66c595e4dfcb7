"""The fast rule matcher finds exactly what each rule's own expression finds: the same
topics, scores and reasons as trying every rule's regular expression on the text."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.model import RuleMatch, Taxonomy, TopicScore
from digest.papers.kinds import KIND_REASONS, kinds_of
from digest.papers.rules.fastsearch import lowers_safely
from digest.papers.rules.literals import required_literals
from digest.papers.rules.matching import RuleIndex
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = load_taxonomy("content/topics.yml", (ROOT / "content" / "topics.yml").read_text("utf-8"))
EDGES = load_taxonomy(
    "edges.yml",
    """
classifier: {min_score: 0, title_weight: 2, abstract_hits_cap: 3, max_topics: 9}
topics:
  - slug: phrases
    name: Phrases
    description: Every feature a phrase has.
    rules:
      - {phrase: "low-rank adapt*", weight: 3}
      - {phrase: "a* b* c*", weight: 1}
      - {phrase: "mixture of experts", weight: 1}
      - {phrase: "7 7 7", weight: 1}
      - {phrase: "fine-tuning", weight: 1}
      - {phrase: "k", weight: 1}
      - {phrase: "is", weight: 1}
      - {phrase: "C++", weight: 2}
      - {phrase: "-x y", weight: 1}
      - {phrase: "(a b", weight: 1}
      - {phrase: "ab_c", weight: 1}
      - {phrase: "straße", weight: 1}
      - {phrase: "μP", weight: 1}
  - slug: patterns
    name: Patterns
    description: Patterns with and without literals.
    rules:
      - {pattern: '\\bLoRA\\b', weight: 2}
      - {pattern: '(?i)\\bKV\\W{0,3}cach', weight: 2}
      - {pattern: '\\b(?:DPO|KTO)s?\\b', weight: -1}
      - {pattern: '(?:\\bmu|μ|µ)P\\b', weight: 1}
      - {pattern: '(?i)\u017f?is\\b', weight: 1}
      - {pattern: '[A-Z]{2,}\\d', weight: 1}
      - {pattern: '(?i:ab)c', weight: 1}
      - {pattern: 'x(?=yz)', weight: 1}
  - slug: empty
    name: Empty
    description: A topic no text matches.
    rules:
      - {phrase: "never ever", weight: 1}
""",
)


def reference(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicScore, ...]:
    """The classifier as it was: every rule's hint, then its expression, on every text."""
    s = taxonomy.settings
    scores = []
    for topic in taxonomy.topics:
        matches = []
        for rule in topic.rules:
            regex = re.compile(rule.pattern)
            if rule.hint in title.casefold() and regex.search(title):
                matches.append(RuleMatch(rule.label, "title", rule.weight * s.title_weight))
            if rule.hint in abstract.casefold():
                hits = len(list(islice(regex.finditer(abstract), s.abstract_hits_cap)))
                if hits:
                    matches.append(RuleMatch(rule.label, "abstract", rule.weight * hits))
        kinds = kinds_of(title, abstract)
        matches += [
            RuleMatch(KIND_REASONS[kind], "paper", weight)
            for kind, weight in topic.kinds
            if kind in kinds
        ]
        points = round(sum(m.points for m in matches), 3)
        scores.append(TopicScore(topic.slug, points, tuple(matches)))
    least = min(s.main_bar, s.min_score)
    ranked = sorted((x for x in scores if x.score >= least), key=lambda x: (-x.score, x.slug))
    if not ranked or ranked[0].score < s.main_bar:
        return ()
    bar = max(ranked[0].score * s.relative_cutoff, s.min_score)
    return (ranked[0], *(x for x in ranked[1 : s.max_topics] if x.score >= bar))


# Words of the rules, joiners, and the characters where lower-casing, case folding and
# re's case-insensitive matching part ways (dotted and dotless i, long s, Kelvin sign, ß,
# final sigma), so that random text meets every edge of a rule.
PIECES = [
    "low", "rank", "adapt", "adaptation", "LOW-RANK", "mixture", "mixtures", "of", "experts",
    "fine", "tuning", "finetuning", "Fine-Tuning", "7", "a", "b", "c", "abc", "k", "K", "is",
    "IS", "\u0131s", "\u0130s", "\u017f", "\u212a", "ß", "straße", "STRASSE", "Σ", "ς",
    "μP", "µP", "muP", "P", "LoRA", "lora", "QLoRA", "KV", "kv-cache", "KV cach", "DPO",
    "KTOs", "C++", "c+", "x y",
    "-x", "(a b", "ab_c", "AB1", "abc", "ABc", "xyz", "é", "_", "-", " ", "  ", "\n", "\t",
    ".", ",", "(", ")", "+", "\u00a0", "\u2028", "ǅ", "x" * 45, "s", "es",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)
CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECK
@given(texts, texts)
def test_edge_rules_find_what_their_expressions_find(title: str, abstract: str) -> None:
    assert classify(title, abstract, EDGES) == reference(title, abstract, EDGES)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_topics_yml_finds_what_its_expressions_find(title: str, abstract: str) -> None:
    assert classify(title, abstract, TAXONOMY) == reference(title, abstract, TAXONOMY)


@pytest.mark.parametrize(
    "text",
    [
        "LoRA and QLoRA adapters for low-rank adaptation; LOW-RANK ADAPTERS",
        "Fine-tuning, finetuning and fine tuning; fine--tuning is not one",
        "mixtures of experts (MoE), a mixture-of-experts, mixtureofexperts",
        "\u017fis Kelvin \u212a \u0130s \u0131s straße STRASSE μP µP muP",
        "A KV-cache, kv  cach, KV cache; DPOs and KTO",
        "x" * 50 + " lowrankadapt" + "a" * 41 + " lowrankadapt" + "a" * 40,
    ],
)
def test_known_texts(text: str) -> None:
    for taxonomy in (EDGES, TAXONOMY):
        assert classify(text, text, taxonomy) == reference(text, text, taxonomy)


def test_hits_count_up_to_the_cap() -> None:
    index = RuleIndex([rule for topic in EDGES.topics for rule in topic.rules])
    assert index.hits("fine-tuning, fine tuning, finetuning, fine_tuning", 2) == {4: 2}
    assert index.hits("fine-tuning", 0) == {}


@pytest.mark.parametrize(
    ("pattern", "literals", "ignore_case"),
    [
        (r"\bPEFT\b", {"PEFT"}, False),
        (r"\b(?:PTQ|QAT)\b", {"PTQ", "QAT"}, False),
        (r"\bRLA?I?HF\b", {"RL", "HF"}, False),  # either is required; one is kept
        (r"(?i)\bKV\W{0,3}cach", {"cach"}, True),
        (r"(?:\bmu|μ|µ)P\b", {"P"}, False),  # as short as "mu|μ|µ", and one literal
        (r"(?i)(?:\bmu|μ)P", {"p"}, True),  # a non-ASCII literal ignoring case is no test
        (r"(?:ab)+c", {"ab"}, False),
        (r"(?:ab)*c", {"c"}, False),
        (r"a|bc", {"a", "bc"}, False),
        (r"(?:a|)b", {"b"}, False),
        (r"(?i:ab)c", {"c"}, False),  # scoped flags: their literals are not used
        (r"x(?=yz)", {"x"}, False),
        (r"[ab]\d+", set(), False),
        (r"(", set(), False),
    ],
)
def test_required_literals(pattern: str, literals: set[str], ignore_case: bool) -> None:
    found, case = required_literals(pattern)
    if pattern == r"\bRLA?I?HF\b":
        assert len(found) == 1 and found <= literals
    else:
        assert found == literals
    assert case == ignore_case


def test_lowering_is_safe_except_where_case_rules_differ() -> None:
    assert lowers_safely("Plain ASCII")
    assert lowers_safely("Straße, Σίσυφος, é, μ")
    for odd in ("\u0130", "\u0131", "\u017f", "\u212a"):  # dotted I, dotless i, long s, Kelvin
        assert not lowers_safely(f"text {odd}")
