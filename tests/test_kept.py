"""Papers' topics kept in the rebuild cache (digest/plugin/kept.py): a build classifies
only the papers it has not classified under the same topics.yml, and what it keeps is
what classifying says; a damaged file is never believed."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from digest.model import Paper, Taxonomy
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify_all
from digest.plugin import kept
from digest.plugin.kept import TOPICS_FILE, KeptMemo

from conftest import ROOT

TOPICS = ROOT / "content" / "topics.yml"


@pytest.fixture
def taxonomy() -> Taxonomy:
    return load_taxonomy(str(TOPICS), TOPICS.read_text(encoding="utf-8"))


@pytest.fixture
def classified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs each classify_all call of the kept memo was given, in turn."""
    calls: list[str] = []

    def counted(papers: list[Paper], taxonomy: Taxonomy) -> dict:
        calls.extend(paper.slug for paper in papers)
        return classify_all(papers, taxonomy)

    monkeypatch.setattr(kept, "classify_all", counted)
    return calls


def memo_in(folder: Path) -> KeptMemo:
    memo = KeptMemo()  # a new one each time, as a new build process makes
    memo.folder = folder
    return memo


def test_a_second_build_classifies_only_what_is_new(
    tmp_path: Path, papers: tuple[Paper, ...], taxonomy: Taxonomy, classified: list[str]
) -> None:
    expected = classify_all(papers, taxonomy)
    assert memo_in(tmp_path).classify(papers, taxonomy) == expected
    assert len(classified) == len(papers)
    classified.clear()

    assert memo_in(tmp_path).classify(papers, taxonomy) == expected
    assert classified == []
    edited = dataclasses.replace(papers[3], abstract="We introduce a benchmark of LoRA adapters.")
    changed = (*papers[:3], edited, *papers[4:])
    assert memo_in(tmp_path).classify(changed, taxonomy) == classify_all(changed, taxonomy)
    assert classified == [edited.slug]
    classified.clear()  # written again, kept and new papers together: all are kept
    assert memo_in(tmp_path).classify(changed, taxonomy) == classify_all(changed, taxonomy)
    assert classified == []


def test_a_new_topics_file_classifies_every_paper_again(
    tmp_path: Path, papers: tuple[Paper, ...], taxonomy: Taxonomy, classified: list[str]
) -> None:
    memo_in(tmp_path).classify(papers, taxonomy)
    classified.clear()
    fewer = dataclasses.replace(taxonomy, topics=taxonomy.topics[1:])
    assert memo_in(tmp_path).classify(papers, fewer) == classify_all(papers, fewer)
    assert len(classified) == len(papers)


@pytest.mark.parametrize("damage", ["half-written", "a changed score"])
def test_a_damaged_file_is_never_believed(
    tmp_path: Path,
    papers: tuple[Paper, ...],
    taxonomy: Taxonomy,
    classified: list[str],
    damage: str,
) -> None:
    memo_in(tmp_path).classify(papers, taxonomy)
    path = tmp_path / TOPICS_FILE
    data = path.read_bytes()
    if damage == "half-written":
        path.write_bytes(data[: len(data) // 2])
    else:  # one number of the first entry (a score or a rule's points) changed
        number = re.search(rb'",(\d)', data)
        assert number is not None
        at = number.start(1)
        path.write_bytes(data[:at] + (b"8" if data[at : at + 1] == b"9" else b"9") + data[at + 1 :])
    classified.clear()
    assert memo_in(tmp_path).classify(papers, taxonomy) == classify_all(papers, taxonomy)
    assert len(classified) == len(papers)
