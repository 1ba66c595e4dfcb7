"""Listings from the Hugging Face daily papers API: parsing, problems, and merging with text."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from digest.errors import DigestError, Severity
from digest.model import Entry, Listing
from digest.papers.merge import merge
from digest.sources.hfapi import parse_daily_papers
from digest.sources.listings import parse_listing
from digest.text import title_key

RECORDED = Path(__file__).parent / "data" / "hf" / "2026-03-26-hf-daily.json"
NAME = RECORDED.name
ISSUE = date(2026, 3, 26)
NORMUON = "NorMuon: Making Muon more efficient and scalable"


def parse(data: bytes | str, name: str = NAME) -> tuple[list[Entry], list[Any]]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_daily_papers(name, raw, f"content/sources/{name}", ISSUE)


def api_item(pid: str, title: str, **paper: Any) -> dict[str, Any]:
    """One item as the API sends it, with only the fields a test cares about."""
    return {
        "paper": {"id": pid, "title": title, "summary": f"About {title}.", **paper},
        "title": title,
        "numComments": 0,
    }


def api_listing(name: str, items: list[dict[str, Any]]) -> Listing:
    listing, problems = parse_listing(name, json.dumps(items, indent=2).encode())
    assert problems == []
    return listing


# --- the recorded answer --------------------------------------------------------------


def test_recorded_answer_reads_every_paper_with_its_fields() -> None:
    entries, problems = parse(RECORDED.read_bytes())
    assert problems == []
    assert len(entries) == 7
    normuon = next(e for e in entries if e.arxiv_id == "2510.05491")
    assert normuon.title == NORMUON
    assert normuon.abstract.startswith("The choice of optimizer significantly impacts")
    assert normuon.authors == ("Zichong Li", "Liming Liu", "Chen Liang", "Weizhu Chen", "Tuo Zhao")
    assert normuon.authors_count == 5
    assert normuon.organization == "Microsoft"  # the full name, not the handle
    assert normuon.published == date(2025, 10, 7)
    assert normuon.upvotes == 64
    assert normuon.code_url == "https://github.com/zichongli5/NorMuon"
    assert normuon.stars == 145
    assert normuon.listing == NAME


def test_each_entry_records_the_line_its_item_starts_on() -> None:
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    entries, _ = parse(RECORDED.read_bytes())
    for entry in entries:
        assert lines[entry.line - 1] == "  {"
        assert f'"id": "{entry.arxiv_id}"' in "\n".join(lines[entry.line : entry.line + 12])
    assert [e.line for e in entries] == sorted({e.line for e in entries})


def test_optional_fields_may_be_missing_or_odd() -> None:
    entries, problems = parse(
        json.dumps(
            [
                api_item("2603.00001", "Bare"),
                api_item(
                    "2603.00002v3",
                    "Odd",
                    authors="nobody",
                    organization={"name": "acme"},
                    publishedAt="2026-02-30T00:00:00Z",
                    upvotes="12",
                    githubRepo="git@github.com:acme/odd.git",
                    githubStars=-4,
                ),
                api_item("../../etc", "Junk id", upvotes=12.0, githubStars=True),
                api_item("2603.00004", "Absurd", upvotes=1e300, githubStars=10**400),
            ]
        )
    )
    assert problems == []
    bare, odd, junk, absurd = entries
    assert (bare.authors, bare.authors_count, bare.organization) == ((), None, None)
    assert (bare.published, bare.upvotes, bare.code_url, bare.stars) == (None, None, None, None)
    assert odd.arxiv_id == "2603.00002"  # versions of one paper are one paper
    assert (odd.authors_count, odd.organization, odd.published) == (None, "acme", None)
    assert (odd.upvotes, odd.code_url, odd.stars) == (None, None, None)
    assert (junk.arxiv_id, junk.upvotes, junk.stars) == (None, 12, None)
    assert (absurd.upvotes, absurd.stars) == (None, None)  # not counts: shown as none


def test_top_level_copies_stand_in_for_a_missing_paper_object() -> None:
    item = {
        "title": "Only at the top",
        "summary": "Text.",
        "publishedAt": "2026-03-25T10:00:00.000Z",
        "organization": {"name": "org", "fullname": "An Org"},
    }
    (entry,), problems = parse(json.dumps([item]))
    assert problems == []
    assert (entry.title, entry.abstract, entry.published) == (
        "Only at the top",
        "Text.",
        date(2026, 3, 25),
    )
    assert entry.organization == "An Org"
    assert entry.arxiv_id is None
    # Every field of the paper may be the item's own: an id, upvotes, authors, code.
    item.update(
        id="2603.22222v2",
        upvotes=33,
        authors=[{"name": "A. Author"}, "B. Author"],
        githubRepo="https://github.com/o/r",
        githubStars=5,
    )
    (entry,), problems = parse(json.dumps([item]))
    assert problems == []
    assert (entry.arxiv_id, entry.upvotes, entry.authors) == (
        "2603.22222",
        33,
        ("A. Author", "B. Author"),
    )
    assert (entry.code_url, entry.stars, entry.authors_count) == ("https://github.com/o/r", 5, 2)
    # ... and the paper object's, when it has them, win; its 0 upvotes too.
    (entry,), _ = parse(json.dumps([{**item, "paper": {"id": "2603.11111", "upvotes": 0}}]))
    assert (entry.arxiv_id, entry.upvotes) == ("2603.11111", 0)


def test_titles_and_abstracts_are_cleaned_but_otherwise_kept_as_data() -> None:
    title = "  <script>alert(1)</script>\n  {{ x }} \u202eevil\u200b  "
    (entry,), _ = parse(json.dumps([api_item("2603.00003", title, summary="a\n\n  b\tc")]))
    assert entry.title == "<script>alert(1)</script> {{ x }} evil"
    assert entry.abstract == "a b c"


def test_only_http_links_are_code_links() -> None:
    repos = ["javascript:alert(1)", "https://", "https://github.com/a/b c", "HTTPS://GitLab.com/x"]
    entries, _ = parse(
        json.dumps([api_item(f"2603.0001{i}", f"P{i}", githubRepo=r) for i, r in enumerate(repos)])
    )
    assert [e.code_url for e in entries] == [None, None, None, "HTTPS://GitLab.com/x"]


def test_parse_listing_reads_json_files_as_api_listings() -> None:
    listing, problems = parse_listing(NAME, RECORDED.read_bytes(), "content/sources/" + NAME)
    assert problems == []
    assert (listing.name, listing.date, listing.layout) == (NAME, ISSUE, "api")
    assert len(listing.entries) == 7


def test_a_day_without_papers_is_an_empty_listing_with_a_warning() -> None:
    assert parse("[]\n") == ([], [])
    listing, problems = parse_listing(NAME, b"[]")
    assert listing.entries == ()
    assert [p.severity for p in problems] == [Severity.WARNING]


# --- bad input ------------------------------------------------------------------------


def error_of(data: bytes | str) -> Any:
    with pytest.raises(DigestError) as caught:
        parse(data)
    (problem,) = caught.value.problems
    assert problem.severity is Severity.ERROR
    assert problem.path == f"content/sources/{NAME}"
    return problem


def test_invalid_utf8_is_an_error_naming_the_file() -> None:
    problem = error_of(b'[{"title": "caf\xe9"}]')
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[\n  {"title": "a"},\n  {oops}\n]', 3),
        ('[\n  {"title": "a"}\n  {"title": "b"}\n]', 3),  # a missing comma
        ('[\n  {"title": "a"},\n]', 3),  # a trailing comma
        ('[\n  {"title": "a"}\n]\n[]', 4),  # something after the list
        ("", 1),
        ("<!doctype html>\n<html>", 1),
        ('[\n  {"title": "a"', 2),  # cut short
    ],
)
def test_json_that_does_not_parse_is_an_error_with_its_line(text: str, line: int) -> None:
    problem = error_of(text)
    assert problem.line == line
    assert problem.message.startswith("not valid JSON")


@pytest.mark.parametrize("text", ['{"error": "Invalid date"}', '"papers"', "null", "  42\n"])
def test_a_top_level_other_than_a_list_is_an_error(text: str) -> None:
    problem = error_of("\n" + text)
    assert "expected a JSON list" in problem.message
    assert problem.line == 2


def test_nesting_too_deep_or_numbers_too_long_are_errors_not_crashes() -> None:
    error_of("[" * 100_000 + "]" * 100_000)
    with contextlib.suppress(DigestError):  # Python 3.11+ refuses integers this long
        parse('[{"title": "t", "paper": {"upvotes": ' + "9" * 50_000 + "}}]")


def test_bad_items_are_warnings_with_their_line_and_the_rest_still_parses() -> None:
    text = (
        "[\n"
        '  {"paper": {"id": "2603.00004", "title": "Good", "summary": "Fine."}},\n'
        "  42,\n"
        '  {"paper": {"id": "2603.00005", "title": "  ", "summary": "No title."}},\n'
        '  {"paper": {"id": "2603.00006", "title": "No abstract"}},\n'
        '  ["a", "list"],\n'
        '  {"paper": {"id": "2603.00007", "title": "Also good", "summary": "Fine."}}\n'
        "]\n"
    )
    entries, problems = parse(text)
    assert [(e.title, e.line) for e in entries] == [
        ("Good", 2),
        ("No abstract", 5),
        ("Also good", 7),
    ]
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (f"content/sources/{NAME}", line, Severity.WARNING) for line in (3, 4, 5, 6)
    ]
    assert "not a JSON object" in problems[0].message
    assert "no title" in problems[1].message
    assert "no abstract" in problems[2].message


def test_no_cut_of_the_recorded_answer_raises_anything_but_digest_error() -> None:
    data = RECORDED.read_bytes()
    for end in range(0, len(data), 331):
        with contextlib.suppress(DigestError):
            parse(data[:end])


# --- merging with text listings and with each other -----------------------------------


def test_a_paper_in_a_text_and_an_api_listing_is_one_paper(
    seed_listings: list[Listing],
) -> None:
    api, _ = parse_listing(NAME, RECORDED.read_bytes())
    papers = merge([*seed_listings, api])
    (normuon,) = [p for p in papers if title_key(NORMUON) in p.keys]
    assert sorted({a.date for a in normuon.appearances}) == [date(2025, 12, 11), ISSUE]
    assert normuon.arxiv_id == "2510.05491"
    assert normuon.code_url == "https://github.com/zichongli5/NorMuon"
    assert normuon.authors_count == 5
    assert len(papers) == len(merge(seed_listings)) + 6  # NorMuon is not new


def test_api_entries_with_the_same_arxiv_id_are_one_paper_under_both_titles() -> None:
    first = api_listing("2026-03-25-hf-daily.json", [api_item("2603.00008", "Old Title")])
    second = api_listing("2026-03-26-hf-daily.json", [api_item("2603.00008", "A New Title")])
    (paper,) = merge([first, second])
    assert paper.title == "A New Title"
    assert set(paper.keys) == {title_key("Old Title"), title_key("A New Title")}
    assert len(paper.appearances) == 2


def test_a_title_listed_with_two_ids_makes_one_paper_of_both() -> None:
    """ "Gamma" is listed once as 2603.00001 (Alpha's id) and once as 2603.00002 (Beta's):
    one paper holds all three titles, so no two pages claim one arXiv id."""
    days = [
        ("2026-03-23", "2603.00001", "Alpha"),
        ("2026-03-24", "2603.00002", "Beta"),
        ("2026-03-25", "2603.00001", "Gamma"),
        ("2026-03-26", "2603.00002", "Gamma"),
    ]
    listings = [
        api_listing(f"{day}-hf-daily.json", [api_item(arxiv_id, title)])
        for day, arxiv_id, title in days
    ]
    (paper,) = merge(listings)
    assert paper.title == "Gamma" and paper.arxiv_id == "2603.00002"
    assert set(paper.keys) == {title_key("Alpha"), title_key("Beta"), title_key("Gamma")}
    assert [a.date.isoformat() for a in paper.appearances] == [day for day, _, _ in days]


def test_an_arxiv_id_joins_a_text_title_to_a_renamed_api_title(
    seed_listings: list[Listing],
) -> None:
    same = api_listing("2026-03-25-hf-daily.json", [api_item("2510.05491", NORMUON)])
    renamed = api_listing("2026-03-26-hf-daily.json", [api_item("2510.05491", "NorMuon v2")])
    papers = merge([*seed_listings, same, renamed])
    (normuon,) = [p for p in papers if p.arxiv_id == "2510.05491"]
    assert set(normuon.keys) == {title_key(NORMUON), title_key("NorMuon v2")}
    assert len({a.date for a in normuon.appearances}) == 3
