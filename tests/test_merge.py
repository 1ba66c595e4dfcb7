from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slugify import slugify

from digest.model import Entry, Listing, Paper
from digest.papers.merge import _slugify, issues, merge, slug_for
from digest.sources.listings import parse_listing
from digest.text import clean, title_key


def make_listing(day: str, *entries: tuple[str, str], **facts: object) -> Listing:
    name = f"{day}-test.txt"
    return Listing(
        name,
        date.fromisoformat(day),
        "compact",
        tuple(
            Entry(title, abstract, facts.get("authors"), None, None, facts.get("upvotes"), name, i)
            for i, (title, abstract) in enumerate(entries, start=1)
        ),
    )


def test_seeds_give_468_papers_with_unique_slugs(papers: tuple[Paper, ...]) -> None:
    assert len(papers) == 468
    assert len({p.slug for p in papers}) == 468


def test_a_paper_listed_several_times_keeps_every_listing(
    seed_listings: list[Listing], papers: tuple[Paper, ...]
) -> None:
    entries = sum(len(listing.entries) for listing in seed_listings)
    appearances = sum(len(p.appearances) for p in papers)
    assert appearances == entries == 517
    repeated = [p for p in papers if len({a.date for a in p.appearances}) > 1]
    assert repeated
    for paper in repeated:
        assert paper.first_seen == min(a.date for a in paper.appearances)


def test_titles_match_after_normalisation() -> None:
    assert title_key("LoRA:  Low-Rank Adaptation") == title_key("lora - low rank adaptation")
    assert title_key("\uff2c\uff4f\uff32\uff21") == title_key(
        "LoRA"
    )  # NFKC folds full-width letters
    assert title_key("Stra\u00dfe") == title_key("STRASSE")  # case folding, not lowering
    assert title_key("A\u200bB") == title_key("AB")  # invisible characters do not count


def test_facts_come_from_the_newest_listing_that_has_them() -> None:
    old = make_listing("2026-01-01", ("Same Paper", "old abstract"), upvotes=1, authors=4)
    new = make_listing("2026-02-01", ("same paper!", "new abstract"), upvotes=9)
    (paper,) = merge([new, old])
    assert paper.upvotes == 9
    assert paper.authors_count == 4
    assert paper.abstract == "new abstract"
    assert paper.title == "same paper!"
    assert paper.first_seen == date(2026, 1, 1)
    assert [a.date for a in paper.appearances] == [date(2026, 1, 1), date(2026, 2, 1)]


def test_slug_depends_on_the_title_alone() -> None:
    base = [make_listing("2026-01-01", ("Alpha Paper", "a"), ("Beta: Paper", "b"))]
    before = {p.title: p.slug for p in merge(base)}
    more = [*base, make_listing("2026-01-02", ("Alpha-Paper!", "c"), ("Gamma Paper", "d"))]
    after = {p.title: p.slug for p in merge(reversed(more))}
    assert before["Beta: Paper"] == after["Beta: Paper"] == "beta-paper"
    assert after["Gamma Paper"] == "gamma-paper"


def test_titles_that_slugify_alike_get_distinct_stable_slugs() -> None:
    long_a = "Scaling " * 12 + "Laws For Alpha"
    long_b = "Scaling " * 12 + "Laws For Beta"
    slugs = {slug_for(t) for t in (long_a, long_b, "Über Models", "Uber Models")}
    assert len(slugs) == 4
    assert all(len(s) <= 80 for s in slugs)
    assert slug_for("Uber Models") == "uber-models"
    assert slug_for(long_a) == slug_for(long_a + " ")


def test_titles_that_slugify_to_nothing_still_get_a_path_safe_slug() -> None:
    for title in ("???", "\U0001f600\U0001f680", "\u200f\u202e"):
        slug = slug_for(title)
        assert slug.startswith("paper-") and slug.replace("-", "").isalnum()
    assert slug_for("???") != slug_for("!!!")


def test_a_title_that_spells_another_papers_slug_does_not_take_its_page() -> None:
    # "paper a94c581e" reads back as the slug "?!?" gets from its hash; "Foo 2" is the
    # slug the second of two such papers would take.
    hashed = slug_for("?!?")
    older = make_listing("2026-01-01", ("?!?", "the first"), ("Foo 2", "a paper"))
    newer = make_listing("2026-01-02", (hashed.replace("-", " "), "the impostor"))
    for listings in ([older, newer], [newer, older]):
        papers = {p.abstract: p.slug for p in merge(listings)}
        assert papers["the first"] == hashed  # listed first: keeps its address
        assert papers["the impostor"] == f"{hashed}-2"
        assert len(set(papers.values())) == 3
    # Both on one day: the order of their title keys decides, not the listing's.
    entries = [("?!?", "z"), (hashed.replace("-", " "), "w"), ("Foo 2", "x")]
    first = {p.abstract: p.slug for p in merge([make_listing("2026-01-01", *entries)])}
    again = {p.abstract: p.slug for p in merge([make_listing("2026-01-01", *entries[::-1])])}
    assert first == again
    assert len(set(first.values())) == 3


def test_an_organisation_or_paper_named_index_keeps_off_the_list_pages() -> None:
    assert slug_for("Index") != "index"
    assert slug_for("Index").startswith("index-")


def test_issues_keep_listing_order_and_date_order(papers: tuple[Paper, ...], seed_listings) -> None:
    found = issues(seed_listings, papers)
    assert [i.date.isoformat() for i in found] == [
        "2025-12-11",
        "2026-03-14",
        "2026-03-17",
        "2026-03-20",
        "2026-03-24",
    ]
    by_slug = {p.slug: p for p in papers}
    first_titles = [by_slug[s].title for s in found[3].slugs[:2]]
    assert first_titles == [
        "One Wide Feedforward is All You Need",
        "Generalizing Pooling Functions in Convolutional Neural Networks: Mixed, Gated, and Tree",
    ]


def test_same_paper_twice_in_one_listing_is_listed_once() -> None:
    text = "Twice\n" + "An abstract that is long enough. " * 12 + "\n"
    listing, _ = parse_listing("2026-01-01-x.txt", (text * 2).encode())
    papers = merge([listing])
    assert len(papers) == 1
    assert issues([listing], papers)[0].slugs == ("twice",)


# Characters where slugify's passes differ: quotes, commas between digits, entities ("&"
# and "#"), "_", dashes, controls, letters it transliterates or folds.
SLUG_CHARACTERS = "aZ09 ,,'-_.&#;x\t\x00\x7f\u00e9\u00df\u0131\u212a\u200b\uff21"


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.text(st.characters(max_codepoint=127)),
        st.text(SLUG_CHARACTERS),
        st.lists(st.sampled_from(["1,000", "&amp;", "&#39;", "O'Neil", " x ", "A_B"])).map("".join),
    )
)
def test_the_fast_slug_is_slugify_s(title: str) -> None:
    title = clean(title)  # as slug_for gives it
    assert _slugify(title, title_key(title)) == slugify(title)
