"""How well content/topics.yml files papers, measured on a hand-labelled set.

tests/data/topic_labels.yml holds papers an editor labelled by reading them:
"seed" papers come from content/sources, "outside" papers never appeared in the
seeds and check that the rules describe topics rather than fit particular papers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.model import Taxonomy
from digest.papers.topics import classify, load_taxonomy

HERE = Path(__file__).parent
TOPICS_PATH = HERE.parent / "content" / "topics.yml"
LABELS_PATH = HERE / "data" / "topic_labels.yml"

# The editorial taxonomy: every one of these topics must be defined, with rules.
TAXONOMY_SLUGS = (
    "peft",
    "fine-tuning",
    "compression",
    "efficient-inference",
    "model-merging",
    "mixture-of-experts",
    "scaling-laws",
    "optimization",
    "hyperparameters",
    "training-systems",
    "alignment",
    "reinforcement-learning",
    "evaluation",
    "data",
    "llm-behavior",
    "architectures",
    "vision-multimodal",
    "theory",
    "statistics",
    "applications",
    "privacy-security",
    "time-series",
    "retrieval",
)

# Lowest acceptable micro-F1 of assigned topic sets against the labels, per source.
MIN_F1 = {"seed": 0.85, "outside": 0.8}


@dataclass(frozen=True)
class Labelled:
    title: str
    abstract: str
    topics: frozenset[str]
    source: str


@dataclass
class Tally:
    """Set-based counts: true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(str(TOPICS_PATH), TOPICS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    raw: list[dict[str, Any]] = yaml.safe_load(LABELS_PATH.read_text(encoding="utf-8"))
    return [
        Labelled(item["title"], item["abstract"], frozenset(item["topics"] or ()), item["source"])
        for item in raw
    ]


def _score(items: list[Labelled], taxonomy: Taxonomy) -> tuple[Tally, dict[str, Tally]]:
    overall = Tally()
    per_topic: dict[str, Tally] = {}
    for item in items:
        predicted = {score.slug for score in classify(item.title, item.abstract, taxonomy)}
        gold = set(item.topics)
        overall.add(predicted, gold)
        for slug in predicted | gold:
            per_topic.setdefault(slug, Tally()).add(predicted & {slug}, gold & {slug})
    return overall, per_topic


def _report(source: str, overall: Tally, per_topic: dict[str, Tally]) -> str:
    lines = [
        f"{source}: micro-F1 {overall.f1:.3f} (precision {overall.precision:.3f}, "
        f"recall {overall.recall:.3f}, tp={overall.tp} fp={overall.fp} fn={overall.fn})",
        f"  {'topic':24} {'P':>5} {'R':>5} {'F1':>5}  tp  fp  fn",
    ]
    for slug, tally in sorted(per_topic.items(), key=lambda kv: kv[1].f1):
        lines.append(
            f"  {slug:24} {tally.precision:5.2f} {tally.recall:5.2f} {tally.f1:5.2f}"
            f" {tally.tp:3} {tally.fp:3} {tally.fn:3}"
        )
    return "\n".join(lines)


def test_labelled_set_is_well_formed(labelled: list[Labelled]) -> None:
    sources = Counter(item.source for item in labelled)
    assert set(sources) == set(MIN_F1), f"unexpected sources: {dict(sources)}"
    for item in labelled:
        assert item.title.strip() and item.abstract.strip(), item
        assert len(item.topics) <= 3, f"{item.title!r} has more than 3 topics"
        unknown = item.topics - set(TAXONOMY_SLUGS)
        assert not unknown, f"{item.title!r} uses unknown topics {sorted(unknown)}"
    covered = {slug for item in labelled for slug in item.topics}
    assert covered == set(TAXONOMY_SLUGS), (
        f"topics without labelled papers: {set(TAXONOMY_SLUGS) - covered}"
    )


def test_every_taxonomy_topic_has_rules(taxonomy: Taxonomy) -> None:
    defined = {topic.slug: topic for topic in taxonomy.topics}
    missing = [slug for slug in TAXONOMY_SLUGS if slug not in defined]
    assert not missing, f"topics.yml lacks topics {missing}"
    empty = [slug for slug in TAXONOMY_SLUGS if not defined[slug].rules]
    assert not empty, f"topics without rules: {empty}"
    assert [t.slug for t in taxonomy.topics] == list(TAXONOMY_SLUGS), "topics are out of order"


@pytest.mark.parametrize("source", sorted(MIN_F1))
def test_topic_quality(source: str, taxonomy: Taxonomy, labelled: list[Labelled]) -> None:
    items = [item for item in labelled if item.source == source]
    assert items, f"no {source} papers in {LABELS_PATH.name}"
    overall, per_topic = _score(items, taxonomy)
    print(_report(source, overall, per_topic))
    assert overall.f1 >= MIN_F1[source], _report(source, overall, per_topic)
