"""papers.json and topics/<slug>/papers.json: what readers who build on the data get.

Each file is JSON that parses to every visible paper's record (a topic's file: that topic's
records), however hostile the text, with one record a line, so that a changed paper is a
changed line in a diff."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from digest.model import Digest, Note
from digest.pipeline import gather
from digest.site.data_files import data_files, paper_record
from digest.sources.content_folder import read_content

from conftest import ROOT

# Text a JSON writer must escape, or a reader could take for a line break or for markup.
HOSTILE = [
    'A "quoted" title', "Two\nlines\r\nand a\ttab", "Line\u2028and\u2029paragraph\x85next",
    "</script><script>alert(1)</script>", "Controls \x00\x01\x1b\x7f\x9f end", "back\\slash",
    "\ufeffBOM, \u200b zero width, \U0001f600 emoji", "",
]  # fmt: skip


def url_for(src_path: str) -> str:
    return "https://d.example/" + src_path.removesuffix(".md") + "/"


@pytest.fixture(scope="module")
def digest() -> Digest:
    """The seed digest with hostile titles and abstracts, and one paper hidden."""
    seeds, _ = gather(read_content(ROOT / "content"))
    papers = tuple(
        dataclasses.replace(p, title=HOSTILE[i % len(HOSTILE)] + p.title,
                            abstract=p.abstract + HOSTILE[(i + 3) % len(HOSTILE)])
        if i < 3 * len(HOSTILE) else p
        for i, p in enumerate(seeds.papers)
    )  # fmt: skip
    hidden = papers[1].slug
    notes = {**seeds.notes, hidden: Note("notes/x.md", 1, hidden, "", hide=True)}
    return dataclasses.replace(seeds, papers=papers, notes=notes)


@pytest.fixture(scope="module")
def files(digest: Digest) -> dict[str, bytes]:
    return data_files(digest, url_for)


def lines_of(data: bytes) -> list[str]:
    """The file's lines; only "\\n" breaks them, whatever a reader counts as a break."""
    text = data.decode("utf-8")
    assert text.endswith("\n")
    assert text.splitlines() == text[:-1].split("\n")
    return text[:-1].split("\n")


def record_lines(lines: list[str]) -> list[str]:
    """The lines that hold one record each, without the comma between records."""
    start = lines.index("[") if "[" in lines else lines.index('"papers": [')
    return [line.removesuffix(",") for line in lines[start + 1 : lines.index("]")]]


def test_papers_json_holds_every_visible_paper_once(digest: Digest, files: dict) -> None:
    records = json.loads(files["papers.json"])
    visible = [p for p in digest.papers if p.slug not in digest.hidden]
    assert digest.hidden and len(visible) == len(digest.papers) - 1
    assert [r["slug"] for r in records] == [p.slug for p in visible]
    assert records == [paper_record(p, digest, url_for) for p in visible]
    titles = {r["title"] for r in records}
    assert all(any(t.startswith(h) for t in titles) for h in HOSTILE)  # back as they were


def test_papers_json_has_one_record_a_line(files: dict) -> None:
    lines = lines_of(files["papers.json"])
    assert lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line) for line in record_lines(lines)] == json.loads(files["papers.json"])


def test_each_topic_file_holds_exactly_its_records(digest: Digest, files: dict) -> None:
    records = json.loads(files["papers.json"])
    lines = record_lines(lines_of(files["papers.json"]))
    line_of = dict(zip((r["slug"] for r in records), lines, strict=True))
    for topic in digest.taxonomy.topics:
        data = files[f"topics/{topic.slug}/papers.json"]
        payload: dict[str, Any] = json.loads(data)
        assert payload == {
            "slug": topic.slug, "name": topic.name, "description": topic.description,
            "papers": [r for r in records if topic.slug in r["topics"]],
        }  # fmt: skip
        # The very line papers.json has: a changed paper changes one line in each file.
        assert record_lines(lines_of(data)) == [line_of[r["slug"]] for r in payload["papers"]]
    assert any(json.loads(files[f"topics/{t.slug}/papers.json"])["papers"]
               for t in digest.taxonomy.topics)  # fmt: skip


def test_files_without_papers_are_valid_json(digest: Digest) -> None:
    empty = dataclasses.replace(digest, papers=(), topics_of={})
    files = data_files(empty, url_for)
    assert json.loads(files["papers.json"]) == []
    for topic in digest.taxonomy.topics:
        assert json.loads(files[f"topics/{topic.slug}/papers.json"])["papers"] == []


def test_data_files_are_the_same_bytes_every_time(digest: Digest, files: dict) -> None:
    assert data_files(digest, url_for) == files
