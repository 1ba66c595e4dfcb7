"""Editors' tags as reading lists: a page and a feed per tag, one tag however it is spelled."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import feedparser
import pytest

from digest.model import Note
from digest.papers.tags import reading_lists, tag_warnings

from conftest import copy_project, run_digest


def note(path: str, paper: str, *tags: str, body: str = "Read it.") -> Note:
    return Note(path, 1, paper, body, tags=tags, key_lines=(("tags", 4),))


def test_a_tag_spelled_two_ways_is_one_reading_list_under_its_most_used_name() -> None:
    notes = {
        "a": note("notes/a.md", "a", "power laws", "classic"),
        "b": note("notes/b.md", "b", "Power-laws"),
        "c": note("notes/c.md", "c", "power laws"),
        "d": note("notes/d.md", "d", "classic"),
    }
    tags = {tag.slug: tag for tag in reading_lists(notes, hidden={"d"})}
    assert set(tags) == {"power-laws", "classic"}
    assert tags["power-laws"].name == "power laws"
    assert tags["power-laws"].papers == ("a", "b", "c")
    assert tags["classic"].papers == ("a",)  # d is hidden


def test_check_warns_about_spellings_and_plurals_of_one_tag() -> None:
    notes = [
        note("notes/a.md", "a", "power laws"),
        note("notes/b.md", "b", "Power-laws"),
        note("notes/c.md", "c", "scaling law"),
        note("notes/d.md", "d", "scaling laws"),
        note("notes/e.md", "e", "optimizers", "data"),
    ]
    found = [str(p) for p in tag_warnings(notes)]
    assert found == [
        "notes/b.md:4: warning: tag 'Power-laws' is also written 'power laws' (in notes/a.md):"
        " use one spelling, so that readers find one reading list",
        "notes/d.md:4: warning: tag 'scaling laws' is also written 'scaling law' (in "
        "notes/c.md): use one spelling, so that readers find one reading list",
    ]


NOTE = """---
paper: {paper}
tags: [power laws, {extra}]
---
{first}

A second paragraph that the reading list leaves out.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with a second note tagged "power laws" (the seeds have one)."""
    project = copy_project(tmp_path_factory.mktemp("tags"))
    papers = json.loads(digest(project, "list", "--json").stdout)
    paper = next(p for p in papers if "scaling" in p["title"].lower() and p["slug"] != SEED)
    first = "Compare its exponents with Kaplan's."
    note_file = project / "content" / "notes" / "second.md"
    note_file.write_text(NOTE.format(paper=paper["slug"], extra="data", first=first), "utf-8")
    return project


SEED = "scaling-laws-for-neural-language-models"


def digest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_digest(project, *args)
    assert result.returncode == 0, result.stderr
    return result


def test_a_tag_page_lists_its_papers_with_their_notes(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    digest(project, "build", "--out", str(out))
    page = (out / "tags" / "power-laws.md").read_text(encoding="utf-8")
    second = (project / "content" / "notes" / "second.md").read_text(encoding="utf-8")
    slug = second.split("paper: ", 1)[1].split("\n", 1)[0]
    assert f"(../papers/{SEED}.md)" in page and f"(../papers/{slug}.md)" in page
    assert "Compare its exponents with Kaplan's." in page
    assert "A second paragraph" not in page
    index = (out / "tags" / "index.md").read_text(encoding="utf-8")
    assert "| [power laws](power-laws.md) | 2 |" in index
    assert "| [data](data.md) | 1 |" in index
    feed = feedparser.parse((out / "tags" / "power-laws" / "feed.xml").read_bytes())
    assert {e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries} == {SEED, slug}
    paper = (out / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    assert "**Tags:** [power laws](../tags/power-laws.md), [data](../tags/data.md)" in paper


def test_check_names_the_note_that_spells_a_tag_differently(project: Path) -> None:
    second = project / "content" / "notes" / "second.md"
    text = second.read_text(encoding="utf-8")
    try:
        second.write_text(text.replace("[power laws,", "[Power-Laws,"), encoding="utf-8")
        result = digest(project, "check")
    finally:
        second.write_text(text, encoding="utf-8")
    assert (
        "content/notes/second.md:3: warning: tag 'Power-Laws' is also written 'power laws'"
        in result.stderr
    ), result.stderr
