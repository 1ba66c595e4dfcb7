"""How topics.yml's settings and rules decide a paper's topics, on small clear cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify, reason_text

from conftest import run_digest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = load_taxonomy("content/topics.yml", (ROOT / "content" / "topics.yml").read_text("utf-8"))

SMALL = """
classifier: {title_weight: 3, abstract_hits_cap: 2, main_min_score: 2, min_score: 6,
             relative_cutoff: 0.25, max_topics: 3}
topics:
  - slug: quantization
    name: Quantization
    description: Fewer bits.
    rules:
      - {phrase: "quantization", weight: 4}
  - slug: inference
    name: Inference
    description: Faster answers.
    rules:
      - {phrase: "latency", weight: 2}
      - {phrase: "throughput", weight: 2}
  - slug: evaluation
    name: Evaluation
    description: Measuring models.
    rules:
      - {kind: benchmark, weight: 6}
"""


def topics_of(title: str, abstract: str, text: str = SMALL) -> list[str]:
    return [s.slug for s in classify(title, abstract, load_taxonomy("t.yml", text))]


def test_one_clear_match_files_a_paper_that_would_be_unsorted() -> None:
    # 2 points: enough for a paper's main topic, not for a second one.
    assert topics_of("A study of serving", "We cut the latency of answers.") == ["inference"]
    assert topics_of("A study of serving", "Nothing here matches.") == []


def test_a_second_topic_needs_more_than_a_passing_mention() -> None:
    title = "Quantization for small models"
    assert topics_of(title, "It lowers latency.") == ["quantization"]
    both = topics_of(title, "It lowers latency and raises throughput twice: latency, throughput.")
    assert both == ["quantization", "inference"]


def test_a_paper_that_introduces_a_benchmark_is_in_evaluation_whatever_else() -> None:
    title = "QuantBench: quantization under test"
    abstract = "We introduce QuantBench, a benchmark of quantization methods."
    assert topics_of(title, abstract) == ["quantization", "evaluation"]
    # Evaluating on a benchmark is not introducing one.
    assert topics_of("Quantization", "We evaluate it on a benchmark.") == ["quantization"]


def test_the_seed_rules_put_a_benchmark_paper_in_evaluation_and_say_why() -> None:
    scores = classify(
        "Low-bit quantization of large language models",
        "We introduce LowBitBench, a benchmark for weight quantization and pruning of large "
        "language models, and report the accuracy of twelve quantization methods.",
        SEEDS,
    )
    by_slug = {s.slug: s for s in scores}
    assert scores[0].slug == "compression"
    assert "evaluation" in by_slug
    assert "it introduces a benchmark (+6)" in reason_text(by_slug["evaluation"])


def test_a_paper_gets_at_most_max_topics() -> None:
    text = SMALL.replace("max_topics: 3", "max_topics: 1")
    abstract = "We introduce a benchmark; quantization lowers latency and throughput twice."
    assert topics_of("Quantization", abstract, text) == ["quantization"]


def test_without_main_min_score_the_best_topic_needs_min_score() -> None:
    text = SMALL.replace("main_min_score: 2, ", "")
    assert topics_of("A study of serving", "We cut the latency of answers.", text) == []


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("{kind: poem, weight: 3}", "a kind rule names one kind of survey, benchmark, dataset"),
        ("{kind: survey, phrase: review}", "a kind rule names one kind"),
        ("{kind: survey, weight: high}", "rule weight must be a number"),
    ],
)
def test_a_bad_kind_rule_is_an_error_naming_the_topic_and_line(rule: str, says: str) -> None:
    text = SMALL.replace("{kind: benchmark, weight: 6}", rule)
    with pytest.raises(DigestError) as caught:
        load_taxonomy("t.yml", text)
    line = text.splitlines().index(f"      - {rule}") + 1
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"t.yml:{line}: error: topic 'evaluation': {says}")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('      - {phrase: "latency", weight: 2}', "      - latency",
         "each rule must be a mapping"),
        ("    rules:\n      - {kind: benchmark, weight: 6}", "    rules: {kind: benchmark}",
         "'rules' must be a list of rules"),
    ],
)  # fmt: skip
def test_a_rule_that_is_no_rule_is_an_error_at_its_topic(old: str, new: str, says: str) -> None:
    text = SMALL.replace(old, new)
    slug = "inference" if "latency" in old else "evaluation"
    with pytest.raises(DigestError) as caught:
        load_taxonomy("t.yml", text)
    line = text.splitlines().index(f"  - slug: {slug}") + 1
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"t.yml:{line}: error: topic {slug!r}: {says}")
    assert "__line__" not in str(problem)


def test_every_topic_a_seed_paper_gets_is_explained() -> None:
    result = run_digest(ROOT, "list", "--json", "--why")
    assert result.returncode == 0, result.stderr
    papers = json.loads(result.stdout)
    assert papers
    for paper in papers:
        assert set(paper["why"]) == set(paper["topics"]), paper["slug"]
        for slug, why in paper["why"].items():
            # Each rule that counted, where it matched and what it gave, or the editor's note.
            assert "(+" in why or why.startswith("set by the editor"), (paper["slug"], slug, why)


BLOCK = """\
# topics
classifier:
  title_weight: 3
  min_score: 6
  max_topics: 3
topics:
  - slug: inference
    name: Inference
    description: Serving models.
    rules:
      - {phrase: "latency", weight: 2}
      - {kind: benchmark, weight: 6}
"""


MAX_TOPICS = "classifier setting 'max_topics'"


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        ("  max_topics: 3", "  max_topics: -1", 5, f"{MAX_TOPICS} must be a number >= 0"),
        ("  max_topics: 3", "  max_topics: .nan", 5, f"{MAX_TOPICS} must be a number >= 0"),
        ("  max_topics: 3", "  max_topics: .inf", 5, f"{MAX_TOPICS} must be a number >= 0"),
        ("  max_topics: 3", "  max_topics: 2.7", 5, f"{MAX_TOPICS} must be a whole number"),
        ("  min_score: 6", "  min_scor: 6", 4, "unknown classifier setting 'min_scor'"),
        ("classifier:\n  title_weight: 3\n  min_score: 6\n  max_topics: 3",
         "classifier: [1, 2]", 2, "'classifier' must be a mapping of settings"),
        ("classifier:", "classifer:", 2, "unknown key 'classifer'"),
        ("    name: Inference", "    name: Inference\n    2026-01-01: x", 7,
         "topic 'inference': unknown key '2026-01-01'"),
        ('{phrase: "latency", weight: 2}', '{phrase: "latency", weight: .nan}', 11,
         "topic 'inference': rule weight must be a number"),
        ('{phrase: "latency", weight: 2}', '{phrase: "latency", 1: 2}', 11,
         "topic 'inference': unknown rule key '1'"),
        ("{kind: benchmark, weight: 6}", "{kind: [survey], weight: 6}", 12,
         "topic 'inference': a kind rule names one kind"),
        ("{kind: benchmark, weight: 6}", "{kind: benchmark, wieght: 6}", 12,
         "topic 'inference': unknown rule key 'wieght'"),
        ("  max_topics: 3", "  max_topics: 3" + "0" * 400, 5, f"{MAX_TOPICS} must be a number"),
    ],
)  # fmt: skip
def test_a_setting_or_key_of_the_wrong_kind_is_an_error_at_its_line(
    old: str, new: str, line: int, says: str
) -> None:
    """YAML gives dates, numbers, lists, NaN and infinity where text or a number is due:
    each is one line naming the file and the line, never a traceback."""
    text = BLOCK.replace(old, new)
    assert text != BLOCK
    with pytest.raises(DigestError) as caught:
        load_taxonomy("t.yml", text)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"t.yml:{line}: error: {says}"), str(problem)


def test_a_huge_value_is_named_in_a_short_line() -> None:
    """Ten levels of YAML aliases make a list of 10 billion items: its repr would not end."""
    levels = "\n".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10))
    text = f"l0: &l0 [x]\n{levels}\ntopics:\n  - *l9\n"
    with pytest.raises(DigestError) as caught:
        load_taxonomy("t.yml", text)
    assert all(len(str(problem)) < 200 for problem in caught.value.problems)
