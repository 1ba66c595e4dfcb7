"""The generator as one call: a serve rebuild reuses the costly stages only while their
inputs are unchanged, and the process is left as it was found."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest

from digest.papers.merge import slug_for
from digest.pipeline import Memo, generate

from conftest import copy_project

NEW_TITLE = "Memoised Stages Meet A Freshly Listed Paper"
NEW_ABSTRACT = "We study whether a rebuild sees a listing added while serving. " * 6


def build(project: Path, memo: Memo):
    return generate(project / "content", project / "site_templates", memo=memo)


def test_a_note_edit_reuses_the_papers_and_shows_the_edit(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    memo = Memo()
    before = build(project, memo)
    note = sorted((project / "content" / "notes").glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nA line added while serving.\n")
    after = build(project, memo)
    assert after.digest.papers is before.digest.papers  # not parsed, merged again
    assert after.digest.related is before.digest.related
    slug = next(s for s, n in after.digest.notes.items() if n.path.endswith(note.name))
    assert "A line added while serving." in after.pages[f"papers/{slug}.md"]
    assert after.pages == build(project, Memo()).pages  # exactly a build from scratch


def test_a_listing_edit_is_seen(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    memo = Memo()
    build(project, memo)
    listing = sorted((project / "content" / "sources").glob("*.txt"))[-1]
    listing.write_text(
        listing.read_text(encoding="utf-8") + f"\n{NEW_TITLE}\n{NEW_ABSTRACT}\n", encoding="utf-8"
    )
    after = build(project, memo)
    assert f"papers/{slug_for(NEW_TITLE)}.md" in after.pages
    assert after.pages == build(project, Memo()).pages


def test_a_topics_edit_reclassifies(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    memo = Memo()
    before = build(project, memo)
    topics = project / "content" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    # Both bars (main_min_score and min_score) out of reach: every paper is unsorted.
    raised = re.sub(r"min_score: [\d.]+", "min_score: 500", text)
    assert raised != text
    topics.write_text(raised, encoding="utf-8")
    after = build(project, memo)
    edited = sum(1 for s in after.digest.papers if not after.digest.topics_of.get(s.slug))
    unsorted = sum(1 for s in before.digest.papers if not before.digest.topics_of.get(s.slug))
    assert edited > unsorted
    assert after.pages == build(project, Memo()).pages


def test_hiding_a_paper_recomputes_related_papers(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    memo = Memo()
    before = build(project, memo)
    notes = before.digest.notes
    slug, hidden = next(
        (s, r) for s, related in before.digest.related.items() for r in related if r not in notes
    )
    (project / "content" / "notes" / "hide-it.md").write_text(
        f"---\npaper: {hidden}\nhide: true\n---\n", encoding="utf-8"
    )
    after = build(project, memo)
    assert hidden in after.digest.hidden
    assert hidden not in after.digest.related[slug]
    assert after.pages == build(project, Memo()).pages


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """The generator leaves Python's cycle collector as it found it; a long `mkdocs serve`
    would grow without bound if a build left it off."""
    project = copy_project(tmp_path)
    (gc.enable if enabled else gc.disable)()
    try:
        build(project, Memo())
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
