"""What the generator computed, kept in the rebuild cache (digest/plugin/kept.py): a
build classifies only the papers it has not classified under the same topics.yml, and
relates papers only when some paper's text differs; what it keeps is what classifying and
relating say; a damaged file is never believed."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.model import Paper, Taxonomy
from digest.papers.related import related_papers, texts_of
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify_all
from digest.plugin import kept
from digest.plugin.kept import RELATED_FILE, TOPICS_FILE, KeptMemo

from conftest import ROOT

TOPICS = ROOT / "content" / "topics.yml"


@pytest.fixture
def taxonomy() -> Taxonomy:
    return load_taxonomy(str(TOPICS), TOPICS.read_text(encoding="utf-8"))


@pytest.fixture
def classified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs each classify_all call of the kept memo was given, in turn."""
    calls: list[str] = []

    def counted(papers: list[Paper], taxonomy: Taxonomy, kinds: Any = None) -> dict:
        calls.extend(paper.slug for paper in papers)
        return classify_all(papers, taxonomy, kinds)

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


@pytest.fixture
def related(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many papers each time the memo related papers, in turn."""
    calls: list[int] = []
    relate = pipeline.related_texts

    def counted(texts: list[tuple[str, str, str]]) -> dict:
        calls.append(len(texts))
        return relate(texts)

    monkeypatch.setattr(pipeline, "related_texts", counted)
    return calls


@pytest.mark.parametrize("damage", [None, "half-written", "a related paper changed"])
def test_papers_are_related_again_only_when_a_text_changed(
    tmp_path: Path, papers: tuple[Paper, ...], related: list[int], damage: str | None
) -> None:
    expected = related_papers(papers)
    assert memo_in(tmp_path).relate(texts_of(papers)) == expected
    assert related == [len(papers)]
    path = tmp_path / RELATED_FILE
    data = path.read_bytes()
    if damage == "half-written":
        path.write_bytes(data[: len(data) // 2])
    elif damage:  # one related paper's slug, a letter changed
        at = data.index(b'"]') - 1
        path.write_bytes(data[:at] + (b"x" if data[at : at + 1] != b"x" else b"y") + data[at + 1 :])
    assert memo_in(tmp_path).relate(texts_of(papers)) == expected
    assert len(related) == (1 if damage is None else 2)

    edited = dataclasses.replace(papers[3], title="A benchmark of LoRA adapters")
    changed = (*papers[:3], edited, *papers[4:])
    assert memo_in(tmp_path).relate(texts_of(changed)) == related_papers(changed)
    assert related[-1] == len(papers)
    assert memo_in(tmp_path).relate(texts_of(changed)) == related_papers(changed)
    assert len(related) == (2 if damage is None else 3)
