"""The rule matcher finds what each rule's own definition finds: a phrase's expression
searched in the whole case-folded text, a word rule matched against every word, a
pattern searched in the text; the same topics, scores and reasons as trying every rule
on every text the plain way."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import DigestError
from digest.model import Paper, RuleMatch, Taxonomy, TopicScore
from digest.papers.kinds import KIND_REASONS, kinds_by_slug, kinds_of
from digest.papers.matching import RuleIndex
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify, classify_all

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
      - {phrase: "KV cach*", weight: 2}
  - slug: words
    name: Words
    description: Whole words, as written.
    rules:
      - {word: '\\w*LoRA', weight: 2}
      - {word: '(?:DPO|KTO)s?', weight: -1}
      - {word: 'muP|\\w*[μµ]P', weight: 1}
      - {word: '(?i)is', weight: 1}
      - {word: '[A-Z]{2,}\\d', weight: 1}
  - slug: patterns
    name: Patterns
    description: Expressions searched anywhere.
    rules:
      - {pattern: '(?i:ab)c', weight: 1}
      - {pattern: 'x(?=yz)', weight: 1}
      - {pattern: 'C\\+\\+', weight: 1}
  - slug: empty
    name: Empty
    description: A topic no text matches.
    rules:
      - {phrase: "never ever", weight: 1}
""",
)
WORD = re.compile(r"\w+")


def plain_hits(text: str, rule_kind: str, pattern: str, cap: int) -> int:
    """A rule's hits by its definition, the slow way."""
    regex = re.compile(pattern)
    if rule_kind == "word":
        return min(sum(1 for word in WORD.findall(text) if regex.fullmatch(word)), cap)
    searched = text.casefold() if rule_kind == "phrase" else text
    return len(list(islice(regex.finditer(searched), cap)))


def reference(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicScore, ...]:
    """The classifier the plain way: every rule on every text."""
    s = taxonomy.settings
    scores = []
    for topic in taxonomy.topics:
        matches = []
        for rule in topic.rules:
            if plain_hits(title, rule.kind, rule.pattern, 1):
                matches.append(RuleMatch(rule.label, "title", rule.weight * s.title_weight))
            hits = plain_hits(abstract, rule.kind, rule.pattern, s.abstract_hits_cap)
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
# final sigma, iota subscript), so that random text meets every edge of a rule.
PIECES = [
    "low", "rank", "adapt", "adaptation", "LOW-RANK", "mixture", "mixtures", "of", "experts",
    "fine", "tuning", "finetuning", "Fine-Tuning", "7", "a", "b", "c", "abc", "k", "K", "is",
    "IS", "\u0131s", "\u0130s", "\u017f", "\u212a", "ß", "straße", "STRASSE", "Σ", "ς",
    "\u0345", "μP", "µP", "muP", "P", "LoRA", "lora", "QLoRA", "KV", "kv-cache", "KV cach",
    "DPO", "KTOs", "C++", "c+", "x y", "-x", "(a b", "ab_c", "AB1", "abc", "ABc", "xyz", "é",
    "_", "-", " ", "  ", "\n", "\t", ".", ",", "(", ")", "+", "\u00a0", "\u2028", "ǅ",
    "x" * 45, "s", "es",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)
CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECK
@given(texts, texts)
def test_edge_rules_find_what_their_definitions_find(title: str, abstract: str) -> None:
    assert classify(title, abstract, EDGES) == reference(title, abstract, EDGES)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_topics_yml_finds_what_its_definitions_find(title: str, abstract: str) -> None:
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


def rules_of(taxonomy: Taxonomy) -> list:
    return [rule for topic in taxonomy.topics for rule in topic.rules]


def test_a_phrase_counts_its_spellings_up_to_the_cap() -> None:
    index = RuleIndex(rules_of(EDGES))
    fine_tuning = [r.label for r in rules_of(EDGES)].index("fine-tuning")
    assert index.hits("fine-tuning, Fine Tuning, FINETUNING, fine_tuning", 2) == {fine_tuning: 2}
    assert index.hits("fine-tuning, Fine Tuning, FINETUNING, fine_tuning", 5) == {fine_tuning: 3}
    assert index.hits("fine-tuning", 0) == {}


def test_a_word_rule_matches_whole_words_as_written() -> None:
    labels = [r.label for r in rules_of(EDGES)]
    index = RuleIndex(rules_of(EDGES))
    lora = labels.index("\\w*LoRA")
    assert index.hits("LoRA, QLoRA and LoRA-FA", 9) == {lora: 3}
    assert index.hits("lora, LoRAs, xLoRA_y", 9) == {}


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("{word: 'a(', weight: 1}", "bad word 'a('"),
        ("{word: 'x?', weight: 1}", "the word 'x?' matches empty text"),
        ("{phrase: 'a', word: 'b', weight: 1}", "one of 'phrase', 'word' or 'pattern'"),
    ],
)
def test_a_bad_word_rule_is_an_error_with_its_line(rule: str, says: str) -> None:
    text = f"topics:\n  - slug: t\n    name: T\n    description: D.\n    rules:\n      - {rule}\n"
    with pytest.raises(DigestError) as raised:
        load_taxonomy("topics.yml", text)
    assert "topics.yml:6" in str(raised.value) and says in str(raised.value)


def test_kinds_found_already_give_the_topics_found_anew(papers: tuple[Paper, ...]) -> None:
    """The generator finds each paper's kinds once, for the pages, and classifies with
    them: the topics are those classifying alone finds, and the kinds given are used."""
    kinds = kinds_by_slug(papers)
    assert sum(1 for found in kinds.values() if found) > 20
    assert classify_all(papers, TAXONOMY, kinds) == classify_all(papers, TAXONOMY)
    plain = next(p for p in papers if not kinds[p.slug])
    said = classify_all([plain], TAXONOMY, {plain.slug: ("benchmark",)})[plain.slug]
    reasons = [m.rule for score in said for m in score.matches]
    assert KIND_REASONS["benchmark"] in reasons
