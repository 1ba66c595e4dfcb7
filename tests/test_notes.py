"""Editors' notes read from their files: every mistake is one line naming file and line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from digest.model import Paper, Taxonomy, TopicScore
from digest.papers.notes import apply_overrides, parse_note, resolve_notes


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    from pathlib import Path

    from digest.papers.taxonomy import load_taxonomy

    path = Path(__file__).resolve().parent.parent / "content" / "topics.yml"
    return load_taxonomy("content/topics.yml", path.read_text(encoding="utf-8"))


def note_file(front: str, body: str = "Worth reading.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


def test_a_full_note_is_read() -> None:
    note, problems = parse_note(
        "notes/a.md",
        note_file(
            "paper: Some Paper\npick: true\nadd_topics: [peft]\nremove_topics: evaluation\n"
            "tags: [survey, classic]\neditor: Ada\ndate: 2026-03-20\n",
            "<!-- a reminder -->\nGreat **paper**.\n",
        ),
    )
    assert problems == []
    assert note is not None
    assert (note.paper, note.pick, note.hide, note.editor) == ("Some Paper", True, False, "Ada")
    assert (note.add_topics, note.remove_topics, note.topics) == (("peft",), ("evaluation",), None)
    assert note.tags == ("survey", "classic") and note.date == date(2026, 3, 20)
    assert note.body == "Great **paper**."  # the editor's reminders are not published
    assert note.line == 2


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("paper: x\npick: yes please\n", 3, "'pick' must be true or false"),
        ("paper: x\ncolour: blue\n", 3, "unknown key 'colour'"),
        ("pick: true\n", 2, "needs 'paper:'"),
        ("paper: x\ndate: someday\n", 3, "'date' must be a date"),
        ("paper: x\ntopics: {a: b}\n", 3, "'topics' must be a list"),
        ("paper: [unclosed\n", 3, "YAML does not parse"),
        ("paper: x\ndate: 2026-02-30\n", 3, "'2026-02-30' is not a date"),
        ("paper: x\ndate: 2026-03-01 10:00:00+05:00\n", 3, "'date' must be a day"),
        ("paper: x\ndate: 9999-12-31\n", 3, "'date' must be in the years 1991 to 2099"),
        ("paper: x\npick: true\npick: false\n", 4, "'pick' is given twice"),
        ('paper: x\ntags: ["", moe]\n', 3, "'tags' has an empty entry"),
        ("paper: x\ntopics: [peft]\nadd_topics: [data]\n", 4, "'add_topics' does nothing"),
    ],
)
def test_front_matter_mistakes_name_their_line(front: str, line: int, words: str) -> None:
    note, problems = parse_note("content/notes/bad.md", note_file(front))
    # A note that names its paper comes back with its valid fields, for the rest of the
    # checks: the build leaves it out for its problems. (YAML's own mistakes leave none.)
    unread = ("needs 'paper:'", "YAML does not parse", "is not a date", "is given twice")
    assert (note is None) == any(reason in words for reason in unread)
    assert [(p.path, p.line) for p in problems] == [("content/notes/bad.md", line)]
    assert words in problems[0].message
    assert str(problems[0]).startswith(f"content/notes/bad.md:{line}: error: ")


def test_unknown_paper_suggests_the_three_closest_titles(
    papers: tuple[Paper, ...], taxonomy
) -> None:
    note, _ = parse_note("n.md", note_file("paper: Scaling laws for neural language model\n"))
    resolved, problems = resolve_notes([note], papers, taxonomy)
    assert resolved == {}
    (problem,) = problems
    assert problem.line == 2
    assert "did you mean: Scaling Laws for Neural Language Models |" in problem.message
    assert problem.message.count(" | ") == 2


def test_two_notes_for_one_paper_and_unknown_topics_are_errors(papers, taxonomy) -> None:
    first, _ = parse_note("a.md", note_file(f"paper: {papers[0].slug}\n"))
    second, _ = parse_note("b.md", note_file(f"paper: {json.dumps(papers[0].title)}\n"))
    third, _ = parse_note(
        "c.md", note_file(f"paper: {papers[1].slug}\nadd_topics: [peft, pefty]\n")
    )
    resolved, problems = resolve_notes([second, third, first], papers, taxonomy)
    assert list(resolved) == [papers[0].slug]
    assert resolved[papers[0].slug].path == "a.md"
    by_path = {p.path: p for p in problems}
    assert "a second note" in by_path["b.md"].message and "a.md" in by_path["b.md"].message
    assert by_path["c.md"].line == 3 and "unknown topic 'pefty'" in by_path["c.md"].message


def test_overrides_replace_or_adjust_topics() -> None:
    auto = {
        "p1": (TopicScore("evaluation", 9.0, ()), TopicScore("data", 4.0, ())),
        "p2": (TopicScore("evaluation", 9.0, ()),),
    }
    set_note, _ = parse_note("s.md", note_file("paper: p1\ntopics: [peft]\n"))
    adjust, _ = parse_note(
        "t.md", note_file("paper: p2\nadd_topics: [data]\nremove_topics: [evaluation]\n")
    )
    result = apply_overrides(auto, {"p1": set_note, "p2": adjust})
    assert [(s.slug, s.note) for s in result["p1"]] == [("peft", "s.md")]
    assert [(s.slug, s.note) for s in result["p2"]] == [("data", "t.md")]


def test_tags_written_as_one_line_with_commas_are_each_a_tag() -> None:
    note, problems = parse_note("n.md", note_file("paper: x\ntags: data, surveys\n"))
    assert problems == [] and note is not None and note.tags == ("data", "surveys")
