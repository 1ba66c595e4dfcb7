"""How well content/topics.yml files papers, measured on hand-labelled sets.

Each set holds papers labelled by reading them, with every topic a reader expects them
under: "seed" papers come from content/sources, "outside" papers never appeared in the
seeds. The sets differ in how much the rules have seen of them:

- topic_labels.yml: the rules were written while looking at these papers;
- topic_labels_fresh.yml: labelled later, and used to tune the rules since;
- topic_labels_heldout.yml: labelled at the same time as the fresh set and split from it
  once, by a hash of each title; nobody looks at its papers or their results while
  changing rules or code. Its figures are the ones that say how the next day's listing
  will be filed;
- topic_labels_unseen.yml: every other seed paper, labelled by a second reader and never
  used for tuning: the largest measure of how the rules file papers they were not written
  for.

The floors below guard against regressions; they are not the goals (see README).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.model import Taxonomy
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify
from digest.text import title_key

from conftest import run_digest

HERE = Path(__file__).parent
TOPICS_PATH = HERE.parent / "content" / "topics.yml"
LABEL_SETS = {
    "tuned": HERE / "data" / "topic_labels.yml",
    "fresh": HERE / "data" / "topic_labels_fresh.yml",
    "held-out": HERE / "data" / "topic_labels_heldout.yml",
    "unseen": HERE / "data" / "topic_labels_unseen.yml",
}
LABELS_PATH = LABEL_SETS["tuned"]

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

# Lowest acceptable micro-F1 of assigned topic sets against the labels, per set and source.
# Each a little under what was measured when the held-out set was first scored (tuned 0.855
# and 0.851, fresh 0.524 and 0.792, held-out 0.734 and 0.772, seed and outside).
MIN_F1 = {
    ("tuned", "seed"): 0.84,
    ("tuned", "outside"): 0.84,
    ("fresh", "seed"): 0.5,
    ("fresh", "outside"): 0.76,
    ("held-out", "seed"): 0.7,
    ("held-out", "outside"): 0.74,
    ("unseen", "seed"): 0.66,  # 0.692 when the set was added
}
SOURCES = ("outside", "seed")
# At most this share of the seed papers fits no topic (readers leave about 4% unsorted).
MAX_UNSORTED = 0.03


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


def read_labels(path: Path) -> list[Labelled]:
    raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Labelled(item["title"], item["abstract"], frozenset(item["topics"] or ()), item["source"])
        for item in raw
    ]


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return read_labels(LABELS_PATH)


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
    assert set(sources) == set(SOURCES), f"unexpected sources: {dict(sources)}"
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


@pytest.mark.parametrize(("label_set", "source"), sorted(MIN_F1))
def test_topic_quality(label_set: str, source: str, taxonomy: Taxonomy) -> None:
    path = LABEL_SETS[label_set]
    items = [item for item in read_labels(path) if item.source == source]
    assert items, f"no {source} papers in {path.name}"
    overall, per_topic = _score(items, taxonomy)
    report = _report(f"{label_set}, {source} ({len(items)} papers)", overall, per_topic)
    print(report)
    assert overall.f1 >= MIN_F1[label_set, source], report


def test_the_label_sets_do_not_share_papers() -> None:
    seen: dict[str, str] = {}
    for name, path in LABEL_SETS.items():
        for item in read_labels(path):
            key = title_key(item.title)
            assert key not in seen, f"{item.title!r} is in {seen[key]} and {name}"
            seen[key] = name


def test_almost_every_seed_paper_has_a_topic() -> None:
    listed = run_digest(HERE.parent, "list", "--unsorted", "--json")
    everything = run_digest(HERE.parent, "list", "--json")
    assert listed.returncode == everything.returncode == 0, listed.stderr + everything.stderr
    unsorted, papers = json.loads(listed.stdout), json.loads(everything.stdout)
    assert len(papers) >= 400
    assert len(unsorted) <= MAX_UNSORTED * len(papers), [p["title"] for p in unsorted]
