from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import DigestError, Severity
from digest.model import Entry, Listing
from digest.sources.listing_lines import split_lines
from digest.sources.listings import parse_listing
from digest.text import clean

ABSTRACT = (
    "We study a problem that matters. Our method works well on many benchmarks and we "
    "explain why it works, with careful ablations and a long discussion of its limits. "
    "Code is released for everyone to use and to build on in their own research."
)


def entry(listings: list[Listing], title_start: str) -> Entry:
    found = [e for listing in listings for e in listing.entries if e.title.startswith(title_start)]
    assert found, title_start
    return found[0]


def parse(text: str, name: str = "2026-03-14-test.txt") -> tuple[Listing, list]:
    return parse_listing(name, text.encode("utf-8"))


def test_seed_entry_counts(seed_listings: list[Listing]) -> None:
    counts = {listing.name: len(listing.entries) for listing in seed_listings}
    assert counts == {
        "2025-12-11-daily-papers.txt": 41,
        "2026-03-14-daily-papers.txt": 75,
        "2026-03-17-daily-papers.txt": 98,
        "2026-03-20-trending.txt": 80,
        "2026-03-24-trending.txt": 223,
    }


def test_seed_layouts_are_detected_from_content(seed_listings: list[Listing]) -> None:
    layouts = {listing.name: listing.layout for listing in seed_listings}
    assert layouts["2026-03-20-trending.txt"] == "compact"
    assert layouts["2026-03-24-trending.txt"] == "compact"
    assert {layouts[n] for n in layouts if "daily" in n} == {"card"}


def test_seed_metadata(seed_listings: list[Listing]) -> None:
    llama = entry(seed_listings, "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model")
    assert (llama.authors_count, llama.published, llama.upvotes) == (12, date(2023, 4, 28), None)
    tri = entry(seed_listings, "TriAdaptLoRA: ")
    assert (tri.authors_count, tri.published, tri.upvotes) == (3, date(2025, 1, 14), 2)
    ring = entry(seed_listings, "Every Step Evolves: Scaling Reinforcement Learning")
    assert (ring.organization, ring.published, ring.upvotes) == (
        "inclusionAI",
        date(2025, 10, 21),
        3,
    )
    assert ring.authors_count is None
    normuon = entry(seed_listings, "NorMuon: Making Muon more efficient and scalable")
    assert (normuon.authors_count, normuon.organization, normuon.published, normuon.upvotes) == (
        None,
        None,
        None,
        None,
    )


def test_seed_headers_are_not_papers(seed_listings: list[Listing]) -> None:
    titles = {e.title for listing in seed_listings for e in listing.entries}
    boilerplate = {"new", "Subscribe", "Daily Papers", "byAK and the research community", "Dec 11"}
    assert not titles & boilerplate
    assert not any(t.startswith(("Get trending", "Subscribe")) for t in titles)
    first = seed_listings[3].entries[0]
    assert first.title == "One Wide Feedforward is All You Need"
    assert first.line == 3


def test_every_seed_entry_has_title_and_abstract(seed_listings: list[Listing]) -> None:
    for listing in seed_listings:
        for e in listing.entries:
            assert 5 < len(e.title) < 300, e
            assert len(e.abstract) > 300, e


def test_compact_layout_with_glued_subscribe() -> None:
    text = (
        "Get trending papers in your email inbox once a day!\n"
        "Get trending papers in your email inbox!\n"
        f"SubscribeFirst Paper Title\n{ABSTRACT}\nSecond Paper\n{ABSTRACT}\n"
    )
    listing, problems = parse(text)
    assert [e.title for e in listing.entries] == ["First Paper Title", "Second Paper"]
    assert [e.line for e in listing.entries] == [3, 5]
    assert listing.layout == "compact"
    assert problems == []


CARD = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Mar 14

A Card Paper

{abstract}

  • 1 author
·
Dec 20 7

Org Paper

{abstract}

Acme Labs Acme Labs
·
Feb 29, 2024

Bare Paper

{abstract}
"""


def test_card_layout_metadata_and_year_inference() -> None:
    listing, problems = parse(CARD.format(abstract=ABSTRACT))
    assert problems == []
    assert listing.layout == "card"
    first, org, bare = listing.entries
    # "Dec 20" in a March 2026 listing is the latest Dec 20 not after it.
    assert (first.authors_count, first.published, first.upvotes) == (1, date(2025, 12, 20), 7)
    assert (org.organization, org.published, org.upvotes) == ("Acme Labs", date(2024, 2, 29), None)
    assert (bare.published, bare.authors_count, bare.organization) == (None, None, None)
    assert first.line == 13 and first.listing == "2026-03-14-test.txt"


@pytest.mark.parametrize(
    ("facts", "authors", "published", "upvotes"),
    [
        ("  • 12 authors\n·\nApr 28, 2023 1.2k", 12, date(2023, 4, 28), 1200),
        ("  • 12 authors\n·\nApr 28, 2023 1,234", 12, date(2023, 4, 28), 1234),
        ("  •\u00a012 authors\n·\nApr 28,  2023", 12, date(2023, 4, 28), None),
        ("  • 3 authors\n·\napr 28, 2023\n57", 3, date(2023, 4, 28), 57),
    ],
)
def test_card_facts_as_the_page_may_print_them(
    facts: str, authors: int | None, published: date, upvotes: int | None
) -> None:
    text = f"by AK and the research community\n\nPaper One\n\n{ABSTRACT}\n\n{facts}\n\n"
    listing, problems = parse(text + f"Paper Two\n\n{ABSTRACT}\n")
    assert [e.title for e in listing.entries] == ["Paper One", "Paper Two"], problems
    first = listing.entries[0]
    assert (first.authors_count, first.published, first.upvotes) == (authors, published, upvotes)
    assert first.organization is None
    assert problems == []


@pytest.mark.parametrize(
    "abstract",
    [
        "Can small models reason? We ask whether they can and find that they can with data?",
        "We show that small models reason when the data is right, and we study why and wh…",
        "我们提出了一种面向长文本的高效注意力机制，在保持精度的同时将计算量降低一半。实验表明该方法在多个基准上优于现有方法。",  # noqa: RUF001
        "長文向けの効率的な注意機構を提案する。精度を保ちつつ計算量を半減する",
    ],
)
def test_a_short_abstract_that_asks_or_is_cut_is_no_title(abstract: str) -> None:
    listing, problems = parse(f"Paper One\n{abstract}\nPaper Two\n{ABSTRACT}\n")
    assert [(e.title, e.abstract) for e in listing.entries] == [
        ("Paper One", abstract),
        ("Paper Two", ABSTRACT),
    ]
    assert problems == []


def test_page_date_must_agree_with_file_name() -> None:
    listing, problems = parse(CARD.format(abstract=ABSTRACT), name="2026-03-15-test.txt")
    assert len(listing.entries) == 3
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("2026-03-15-test.txt", 11, Severity.WARNING)
    ]
    assert "Mar 14" in problems[0].message


def test_crlf_bom_trailing_spaces_and_blank_lines() -> None:
    text = (
        "\ufeffFirst Paper  \r\n   \r\n"
        + ABSTRACT
        + " \r\n\t\r\nSecond Paper\r\n"
        + ABSTRACT
        + "\r\n"
    )
    listing, problems = parse(text)
    assert [e.title for e in listing.entries] == ["First Paper", "Second Paper"]
    assert listing.entries[0].abstract == ABSTRACT
    assert [e.line for e in listing.entries] == [1, 5]
    assert problems == []


def test_last_entry_without_abstract_is_kept_with_a_warning() -> None:
    listing, problems = parse(f"First Paper\n{ABSTRACT}\nLast Paper Alone\n")
    assert [e.title for e in listing.entries] == ["First Paper", "Last Paper Alone"]
    assert listing.entries[1].abstract == ""
    assert [(p.line, p.severity) for p in problems] == [(3, Severity.WARNING)]
    assert "no abstract" in problems[0].message


def test_missing_abstract_in_the_middle_does_not_shift_the_rest() -> None:
    listing, problems = parse(
        f"Zero Paper\n{ABSTRACT}\nFirst Paper\nSecond Paper Without Abstract\nThird Paper\n"
        f"{ABSTRACT}\n"
    )
    assert [e.title for e in listing.entries] == [
        "Zero Paper",
        "First Paper",
        "Second Paper Without Abstract",
        "Third Paper",
    ]
    assert listing.entries[3].abstract == ABSTRACT
    assert {p.line for p in problems} == {3, 4}
    assert all("no abstract" in p.message for p in problems)


def test_title_lines_before_the_first_paper_are_the_pages_own_and_warned() -> None:
    """A week's or a month's page, or a heading nobody expected: a line with no abstract
    before the first paper is the page's, ignored with a warning naming it."""
    listing, problems = parse(
        f"Weekly Papers\n\nWeek 12\n\nTue, Mar 18\n\nOne Idea\n\n{ABSTRACT}\n\n"
        f"Two Ideas\n\n{ABSTRACT}\n"
    )
    assert [e.title for e in listing.entries] == ["One Idea", "Two Ideas"]
    assert [(p.line, "before the first paper ignored" in p.message) for p in problems] == [
        (1, True),
        (3, True),
        (5, True),
    ]


def test_stray_metadata_lines_warn_and_parsing_goes_on() -> None:
    text = (
        f"·\nFirst Paper\n\n{ABSTRACT}\n\n  • 3 authors\n  • 4 authors\n·\nMar 1\n\n"
        f"Next Paper\n\n{ABSTRACT}\n"
    )
    listing, problems = parse(text)
    assert [e.title for e in listing.entries] == ["First Paper", "Next Paper"]
    assert listing.entries[0].authors_count == 3
    assert sorted(p.line for p in problems) == [1, 7]
    assert all(p.severity is Severity.WARNING for p in problems)


def test_bad_utf8_is_an_error_naming_file_line_and_byte_offset() -> None:
    with pytest.raises(DigestError) as caught:
        parse_listing("2026-03-14-bad.txt", b"Title\nAbstract \xff here\n")
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("2026-03-14-bad.txt", 2)
    assert "byte offset 15" in problem.message


@pytest.mark.parametrize("name", ["daily-papers.txt", "2026-13-40-x.txt", "26-03-14-x.txt"])
def test_file_name_without_a_date_prefix_is_an_error(name: str) -> None:
    with pytest.raises(DigestError) as caught:
        parse_listing(name, b"Title\n" + ABSTRACT.encode())
    message = str(caught.value)
    assert name in message and "YYYY-MM-DD-name.txt" in message


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("README.md", "no date prefix in the file name"),
        ("2026-03-28.txt", "no name after the date in the file name"),
        ("2026-03-28-x.TXT", "not a .txt or .json file"),
        ("2026-03-28-x.txt~", "not a .txt or .json file"),
    ],
)
def test_a_bad_file_name_is_an_error_that_says_what_is_wrong(name: str, says: str) -> None:
    with pytest.raises(DigestError) as caught:
        parse_listing(name, b"Title\n" + ABSTRACT.encode())
    assert f"{name}: error: {says}: " in str(caught.value)


LINE_TEXT = st.one_of(
    # The joiners clean keeps between letters, and a flag's tags, are tested elsewhere.
    st.text(
        st.characters(blacklist_characters="\u200c\u200d\U0001f3f4", blacklist_categories=("Cs",))
    ),
    st.text(" a\t\r\n\x0b\x0c\x1c\x85\xa0\u2028\u200b\u202e.\ufdd0\uffff"),
)
CHECK = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECK
@given(LINE_TEXT)
def test_lines_are_split_as_the_regular_expression_splits_them(text: str) -> None:
    assert split_lines(text) == re.split(r"\r\n|\r|\n", text)


def clean_per_character(text: str) -> str:
    """clean as it was written: invisible characters and Unicode's noncharacters (U+FDD0
    to U+FDEF, U+xFFFE and U+xFFFF) dropped one by one, spaces collapsed."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace()
        or (
            unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs"}
            and not 0xFDD0 <= ord(ch) <= 0xFDEF
            and ord(ch) & 0xFFFE != 0xFFFE
        )
    )
    return " ".join(kept.split())


@CHECK
@given(LINE_TEXT)
def test_clean_is_the_per_character_clean(text: str) -> None:
    assert clean(text) == clean_per_character(text)


@pytest.mark.parametrize("name", ["2026-03-28-empty.txt", "2026-03-28-empty.json"])
def test_an_empty_listing_is_named_by_its_path(name: str) -> None:
    path = f"content/sources/{name}"
    _, problems = parse_listing(name, b"[]" if name.endswith(".json") else b"", path)
    assert [(p.path, p.message) for p in problems] == [(path, "no papers found in this listing")]


def test_the_pages_own_lines_are_known_after_a_line_nobody_expected() -> None:
    """One unknown line above the header made "new", "Subscribe" and the glued title of
    the trending layout into papers."""
    inbox = "Get trending papers in your email inbox!"
    listing, problems = parse(f"Trending Papers\n\n{inbox}\nSubscribeOne Idea\n{ABSTRACT}\n")
    assert [e.title for e in listing.entries] == ["One Idea"] and problems == []
    listing, problems = parse(
        f"A Heading\n\nnew\n\nSubscribe\n\nDaily Papers\n\nOne Idea\n{ABSTRACT}\n"
    )
    assert [e.title for e in listing.entries] == ["One Idea"]
    assert [(p.line, "before the first paper ignored" in p.message) for p in problems] == [
        (1, True)
    ]


def card(title: str, abstract: str, details: str) -> str:
    return f"{title}\n\n{abstract}\n\n{details}\n\n"


@pytest.mark.parametrize("shown", ["1.2K", "1.2k"])
def test_upvotes_in_thousands_read_in_either_case(shown: str) -> None:
    """Some browsers copy the page's "1.2k" as "1.2K": it crashed every command."""
    listing, problems = parse(
        card("One Idea", ABSTRACT, f"  • 3 authors\n·\nMar 12 {shown}")
        + card("Two Ideas", ABSTRACT, f"  • 3 authors\n·\nMar 12\n{shown}")
    )
    assert [e.upvotes for e in listing.entries] == [1200, 1200] and problems == []


def test_a_short_last_paragraph_stays_in_its_abstract() -> None:
    """An abstract's last paragraph ("Code is at ...") became a paper of its own, and took
    the real paper's date, upvotes and authors."""
    code = "Code and models are available at https://github.com/alpha/routing."
    listing, problems = parse(
        card("One Idea", f"{ABSTRACT}\n\n{code}", "  • 12 authors\n·\nMar 12 40")
        + card("Two Ideas", ABSTRACT, "  • 3 authors\n·\nMar 11 4")
    )
    first, second = listing.entries
    assert (first.title, first.abstract) == ("One Idea", f"{ABSTRACT} {code}")
    assert (first.upvotes, first.authors_count, str(first.published)) == (40, 12, "2026-03-12")
    assert second.title == "Two Ideas" and problems == []
    # A title that reads as a sentence is still a title, with its abstract or without.
    listing, _ = parse(f"One Idea\n{ABSTRACT}\nDr. LLaMA: Doctors. Agents\n{ABSTRACT}\n")
    assert [e.title for e in listing.entries] == ["One Idea", "Dr. LLaMA: Doctors. Agents"]
    listing, problems = parse(f"One Idea\n{ABSTRACT}\nYes, We Can.\nTwo Ideas\n{ABSTRACT}\n")
    assert [e.title for e in listing.entries] == ["One Idea", "Yes, We Can.", "Two Ideas"]
    assert [p.line for p in problems] == [3]


def test_card_details_copied_onto_one_line_are_read() -> None:
    listing, problems = parse(
        card("One Idea", ABSTRACT, "• 12 authors · Mar 12 40")
        + card("Two Ideas", ABSTRACT, "Google Google · Mar 11 4")
        + card("Three · Ideas", ABSTRACT, "  • 3 authors")
    )
    assert [(e.title, e.authors_count, e.organization, e.upvotes) for e in listing.entries] == [
        ("One Idea", 12, None, 40),
        ("Two Ideas", None, "Google", 4),
        ("Three · Ideas", 3, None, None),
    ]
    assert problems == []


def test_a_detail_line_given_again_is_warned_once() -> None:
    details = "  • 3 authors\n·\nMar 12 40\nMar 12 1,234"
    listing, problems = parse(card("One Idea", ABSTRACT, details))
    assert listing.entries[0].upvotes == 40
    assert [(p.line, p.message) for p in problems] == [
        (8, "stray metadata line ignored: 'Mar 12 1,234'")
    ]
