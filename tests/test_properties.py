"""Properties of the untrusted-text path, for any input: parsing never fails but as a user's
mistake, well-formed listings read back as written, front matter and slugs survive any
title, and every regular expression runs in linear time on long adversarial lines."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from digest.errors import DigestError, Problem, Severity
from digest.model import Digest, Entry, Listing, SiteSettings, Taxonomy
from digest.papers.kinds import kinds_by_slug
from digest.papers.merge import issues, merge, slug_for
from digest.papers.taxonomy import load_taxonomy
from digest.papers.topics import classify, classify_all
from digest.site.pages.plan import plan_pages
from digest.site.pages.records import record_of
from digest.site.render import environment, front_matter, markdown_text, render_page
from digest.sources.hfapi import parse_daily_papers
from digest.sources.listings import parse_listing
from digest.text import clean, extract_links, plain_text, segments, title_key

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = load_taxonomy("content/topics.yml", (ROOT / "content" / "topics.yml").read_text("utf-8"))
ENV = environment(ROOT / "site_templates", SiteSettings())
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- any input: entries and warnings, or a DigestError naming the file --------------------

# Lines that steer the reader into each of its states, mixed with arbitrary text.
STEERING_LINES = [
    "", " ", "\t", "\r", "\ufeff", "\u200b", "\u202e", "\u0085", "\u2028", "·", "•",
    "  • 3 authors", "1 author", "Jan 5", "Mar 14", "Feb 29 7", "Feb 30, 2024",
    "Dec 31, 1999 1234567", "Sept. 9", "new", "Subscribe", "SubscribeTitle", "Daily Papers",
    "byAK and the research community", "Get trending papers in your email inbox!", "A Title",
    "An abstract. It ends.", "x" * 300, ("An abstract sentence. " * 20).strip(), "Acme Acme",
    "$x$", "\\(", "http://a.b/)",
]  # fmt: skip
listing_text = st.lists(
    st.one_of(st.sampled_from(STEERING_LINES), st.text(max_size=80)), max_size=30
)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
LISTING_NAMES = st.sampled_from(
    ["2026-03-14-x.txt", "2024-02-29-y.txt", "2026-03-14-api.json", "no-date.txt",
     "2026-02-30-x.txt"]
)  # fmt: skip


def check_outcome(name: str, call: Callable[[], tuple[Any, list[Problem]]]) -> None:
    """The call gives entries and warnings, or a DigestError naming the file and a line."""
    try:
        entries, problems = call()
    except DigestError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == name
            assert problem.line is None or problem.line >= 1
            assert problem.severity is Severity.ERROR
        return
    for problem in problems:
        assert problem.path == name and problem.severity is Severity.WARNING
        assert problem.line is None or problem.line >= 1
    for entry in entries:
        assert isinstance(entry, Entry)
        assert entry.title and clean(entry.title) == entry.title  # never an empty title
        assert clean(entry.abstract) == entry.abstract
        assert entry.code_url is None or entry.code_url.lower().startswith(("http://", "https://"))


def listing_entries(name: str, data: bytes) -> tuple[tuple[Entry, ...], list[Problem]]:
    listing, problems = parse_listing(name, data)
    return listing.entries, problems


@FAST
@given(name=LISTING_NAMES, lines=listing_text, newline=NEWLINES)
def test_any_text_listing_parses_or_is_a_digest_error(
    name: str, lines: list[str], newline: str
) -> None:
    data = newline.join(lines).encode("utf-8", "surrogatepass")
    check_outcome(name, lambda: listing_entries(name, data))


@FAST
@given(name=LISTING_NAMES, data=st.one_of(st.binary(), st.text().map(str.encode)))
def test_any_bytes_parse_or_are_a_digest_error(name: str, data: bytes) -> None:
    check_outcome(name, lambda: listing_entries(name, data))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
API_KEYS = ["id", "title", "summary", "authors", "publishedAt", "upvotes", "githubRepo",
            "githubStars", "organization", "name", "fullname"]  # fmt: skip
api_field_values = st.one_of(
    json_values,
    st.sampled_from(
        ["2510.05491v2", "hep-th/9901001", "2026-03-14T00:00:00Z", "2026-02-30", "https://github.com/a/b",
         "javascript:alert(1)", "https://x.org/\"><script>", " ", "\u200b", "NaN"]
    ),
)  # fmt: skip
api_object = st.dictionaries(st.sampled_from(API_KEYS), api_field_values, max_size=8)
api_items = st.lists(
    st.one_of(
        api_object,
        st.builds(lambda paper, top: {**top, "paper": paper}, api_object, api_object),
        json_values,
    ),
    max_size=5,
)


@FAST
@given(items=st.one_of(api_items, json_values), indent=st.sampled_from([None, 1, 2]))
def test_any_api_json_parses_or_is_a_digest_error(items: Any, indent: int | None) -> None:
    data = json.dumps(items, indent=indent, ensure_ascii=False).encode("utf-8", "surrogatepass")
    name = "2026-03-14-api.json"
    check_outcome(name, lambda: parse_daily_papers(name, data, name, date(2026, 3, 14)))


@FAST
@given(data=st.one_of(st.binary(), st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_any_bytes_as_api_json_parse_or_are_a_digest_error(data: bytes) -> None:
    name = "2026-03-14-api.json"
    check_outcome(name, lambda: parse_daily_papers(name, data, name, date(2026, 3, 14)))


# --- well-formed listings read back as written ---------------------------------------------

# Realistic text: words of letters and digits from any script, with the punctuation titles
# and abstracts carry, and a few tokens of the field.
WORD_CHARS = st.characters(categories=("L", "N"))
PUNCTUATION = st.sampled_from([*":-,;()'\"&+/?%$#@*[]{}<>=_~^|\\`", "\u2014", "\u2019"])
TOKENS = st.sampled_from(
    ["GPT-4.5", "v2.0", "3.8B", "(LoRA)", "$x^2$", "\\(\\alpha\\)", "Q&A", "k-NN", "e.g.,", "<b>",
     "{{ x }}", "[link](javascript:x)", "**bold", "https://github.com/a/b", "·x", "•y"]
)  # fmt: skip
word = st.one_of(
    st.builds(
        lambda before, core, after: before + core + after,
        st.text(PUNCTUATION, max_size=1),
        st.text(WORD_CHARS, min_size=1, max_size=12),
        st.text(PUNCTUATION, max_size=2),
    ),
    TOKENS,
)
BOILERPLATE = {"new", "Subscribe", "Daily Papers", "·", "•"}


def reads_as_title(text: str) -> bool:
    """What a listing's reader takes for a title, written apart from listings.py and on the
    safe side: short, no sentence end, nothing that reads as a date, an author count or
    page boilerplate."""
    return (
        len(text) <= 250
        and not text.rstrip("'\")]").endswith((".", "!"))
        and not re.search(r"\.\s", text)
        and not text.startswith(tuple(MONTHS))
        and not re.fullmatch(r"[•·]? ?\d+ authors?", text)
        and text not in BOILERPLATE
        and not text.startswith(("Get trending papers", "byAK", "Subscribe"))
    )


titles = st.lists(word, min_size=1, max_size=10).map(" ".join).filter(reads_as_title)
sentences = st.lists(word, min_size=1, max_size=12).map(lambda words: " ".join(words) + ".")
abstracts = st.lists(sentences, min_size=1, max_size=3).map(" ".join)


def not_doubled(name: str) -> bool:
    words = name.split(" ")
    half = len(words) // 2
    return not (len(words) % 2 == 0 and words[:half] == words[half:])


organizations = (
    st.lists(st.text(WORD_CHARS, min_size=1, max_size=10), min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda org: reads_as_title(org) and not_doubled(org))
)


@dataclass(frozen=True)
class Written:
    title: str
    abstract: str
    authors_count: int | None = None
    organization: str | None = None
    published: date | None = None
    upvotes: int | None = None
    year_shown: bool = True
    doubled_org: bool = False


@st.composite
def card_papers(draw: st.DrawFn, issue: date) -> Written:
    kind = draw(st.sampled_from(["none", "authors", "org", "date"]))
    published = upvotes = None
    if kind != "none" and (kind == "date" or draw(st.booleans())):
        published = issue - timedelta(days=draw(st.integers(0, 300)))
        upvotes = draw(st.none() | st.integers(0, 9_999_999))
    return Written(
        draw(titles),
        draw(abstracts),
        authors_count=draw(st.integers(1, 99_999)) if kind == "authors" else None,
        organization=draw(organizations) if kind == "org" else None,
        published=published,
        upvotes=upvotes,
        year_shown=draw(st.booleans()),
        doubled_org=draw(st.booleans()),
    )


def date_line(paper: Written) -> str:
    day = paper.published
    assert day is not None
    text = f"{MONTHS[day.month - 1]} {day.day}"
    text += f", {day.year}" if paper.year_shown else ""
    return text + (f" {paper.upvotes}" if paper.upvotes is not None else "")


def write_card(issue: date, papers: list[Written], header: bool) -> tuple[list[str], list[int]]:
    lines = ["Daily Papers", "", f"{MONTHS[issue.month - 1]} {issue.day}", ""] if header else []
    starts = []
    for paper in papers:
        starts.append(len(lines) + 1)
        lines += [paper.title, "", paper.abstract, ""]
        if paper.authors_count is not None:
            noun = "author" if paper.authors_count == 1 else "authors"
            lines += [f"  • {paper.authors_count} {noun}", "·"]
        if paper.organization is not None:
            org = paper.organization
            lines += [f"{org} {org}" if paper.doubled_org else org, "·"]
        if paper.published is not None:
            lines.append(date_line(paper))
        lines.append("")
    return lines, starts


def write_compact(papers: list[Written], header: bool) -> tuple[list[str], list[int]]:
    lines = ["Get trending papers in your email inbox!"] if header else []
    first = len(lines)
    for paper in papers:
        lines += [paper.title, paper.abstract]
    glued = header and papers and not re.match(r"[a-z]", papers[0].title)
    if glued:  # the page glues its Subscribe button to the first title
        lines[first] = "Subscribe" + lines[first]
    return lines, [first + 1 + 2 * i for i in range(len(papers))]


def read_back(entries: tuple[Entry, ...]) -> list[tuple[Any, ...]]:
    return [
        (e.title, e.abstract, e.authors_count, e.organization, e.published, e.upvotes)
        for e in entries
    ]


def as_written(papers: list[Written]) -> list[tuple[Any, ...]]:
    return [
        (p.title, p.abstract, p.authors_count, p.organization, p.published, p.upvotes)
        for p in papers
    ]


issue_dates = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))


@SLOW
@given(data=st.data(), issue=issue_dates, header=st.booleans(), newline=NEWLINES)
def test_a_card_listing_reads_back_as_written(
    data: st.DataObject, issue: date, header: bool, newline: str
) -> None:
    papers = data.draw(st.lists(card_papers(issue), min_size=1, max_size=4))
    lines, starts = write_card(issue, papers, header)
    name = f"{issue.isoformat()}-generated.txt"
    listing, problems = parse_listing(name, newline.join(lines).encode("utf-8"))
    assert problems == []
    assert listing.layout == "card"
    assert read_back(listing.entries) == as_written(papers)
    assert [e.line for e in listing.entries] == starts


@SLOW
@given(
    papers=st.lists(st.builds(Written, titles, abstracts), min_size=1, max_size=4),
    header=st.booleans(),
    newline=NEWLINES,
)
def test_a_compact_listing_reads_back_as_written(
    papers: list[Written], header: bool, newline: str
) -> None:
    lines, starts = write_compact(papers, header)
    listing, problems = parse_listing("2026-03-14-generated.txt", newline.join(lines).encode())
    assert problems == []
    assert listing.layout == "compact"
    assert read_back(listing.entries) == as_written(papers)
    assert [e.line for e in listing.entries] == starts


# --- front matter and slugs survive any title ----------------------------------------------

# Any Unicode, with the strings YAML, Markdown and HTML give meaning to mixed in.
YAML_TRAPS = st.sampled_from(
    ["---", "...", "null", "~", "true", "no", "1e3", "0x1F", "2026-03-14", "12:30:00",
     "!!python/object", "*alias", "&anchor", "? key", "- item", "key: value", "# comment",
     "%YAML 1.1", "@", "`", "|", ">", "'", '"', "\\", "{a: 1}", "[1, 2]", "\u0085", "\u2028",
     "\ufeff", "\ufffe", "\U0010ffff", "<b>", "&amp;", "$x$", "\\(", "{{ x }}", "{%", "\t", "  "]
)  # fmt: skip
any_text = st.lists(st.one_of(st.text(max_size=20), YAML_TRAPS), max_size=8).map("".join)
visible_text = any_text.filter(lambda t: clean(t) != "")


def paper_page_of(title: str, abstract: str, organization: str | None) -> tuple[Any, str]:
    entry = Entry(title, abstract, None, organization, None, None, "2026-03-14-x.txt", 1)
    listing = Listing("2026-03-14-x.txt", date(2026, 3, 14), "compact", (entry,))
    papers = merge([listing])
    topics, kinds = classify_all(papers, TAXONOMY), kinds_by_slug(papers)
    digest = Digest(papers, issues([listing], papers), TAXONOMY, topics, kinds=kinds)
    (plan,) = (p for p in plan_pages(digest) if p.path.startswith("papers/"))
    return record_of(plan), render_page(ENV, plan)


@SLOW
@given(title=visible_text, abstract=any_text, organization=st.none() | visible_text)
def test_paper_front_matter_reads_back_as_its_meta(
    title: str, abstract: str, organization: str | None
) -> None:
    record, page = paper_page_of(title, abstract, organization)
    # As MkDocs itself splits and reads a page's front matter.
    body, meta = get_data(page)
    assert meta == record.meta
    assert body.startswith("# ")
    assert page.startswith(front_matter(record.meta))


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@FAST
@given(title=st.one_of(any_text, st.text(min_size=200, max_size=600)))
def test_a_slug_is_path_safe_stable_and_short(title: str) -> None:
    slug = slug_for(title)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= 90
    assert slug_for(title) == slug


@FAST
@given(first=any_text, second=any_text)
def test_titles_that_are_different_papers_get_different_slugs(first: str, second: str) -> None:
    if title_key(first) != title_key(second):
        assert slug_for(first) != slug_for(second)


# --- linear time on long adversarial lines -------------------------------------------------

# Each case is a unit repeated to the length wanted, or a (head, unit) pair. The general
# cases first, then some that target one expression each.
Case = str | tuple[str, str]
ADVERSARIAL: dict[str, Case] = {
    "spaces": " ",
    "dashes": "-",
    "digits": "7",
    "dollars": "$",
    "backslashes": "\\",
    "open-math": "\\(",
    "http": "http://",
    "tildes": "~",
    "backquotes": "`",
    "mixture": "$\\(`~ -7http://a.b/)' \\[$5 ",
    "phrase-words": "low-rank-adapt fine-tuning mixture of ",
}
TARGETED: dict[str, Case] = {
    "dollar-letter": "$a",
    "open-display": "\\[",
    "url-closing": ("http://a.b/", ")"),  # one URL, then a long run of ")"
    "backquote-letter": "`a",
    "quotes": "``''",
    "sentences": ". A",
}


def adversarial(case: Case, size: int) -> str:
    head, unit = case if isinstance(case, tuple) else ("", case)
    return head + (unit * (size // len(unit) + 1))[: size - len(head)]


def api_listing(text: str) -> bytes:
    item = {"paper": {"id": text, "title": text, "summary": text, "publishedAt": text,
                      "githubRepo": text, "organization": {"fullname": text}}}  # fmt: skip
    return json.dumps([item]).encode()


PHRASES = """
topics:
  - slug: adversarial
    name: Adversarial
    description: Phrases with every feature phrase_pattern has.
    rules:
      - {phrase: "low-rank adapt*", weight: 3}
      - {phrase: "a* b* c*", weight: 1}
      - {phrase: "mixture of experts", weight: 1}
      - {phrase: "7 7 7", weight: 1}
      - {phrase: "fine-tuning", weight: 1}
"""
PHRASE_TAXONOMY: Taxonomy = load_taxonomy("phrases.yml", PHRASES)

PUBLIC: dict[str, Callable[[str], object]] = {
    "parse_listing": lambda text: parse_listing(
        "2026-03-14-x.txt", f"Title\n{text}\n{text}\n·\n".encode()
    ),
    "parse_listing (api)": lambda text: parse_listing("2026-03-14-x.json", api_listing(text)),
    "segments": segments,
    "plain_text": plain_text,
    "extract_links": extract_links,
    "markdown_text": markdown_text,
    "classify": lambda text: classify(text, text, TAXONOMY),
    "classify (phrases)": lambda text: classify(text, text, PHRASE_TAXONOMY),
}


def seconds(call: Callable[[str], object], text: str, runs: int) -> float:
    """The call's best CPU time: this process's own, which other work on a busy machine
    does not add to, as it does to the time on the clock."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        call(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("function", list(PUBLIC))
def test_regular_expressions_run_in_linear_time(function: str) -> None:
    call = PUBLIC[function]
    # classify runs some 400 expressions over the text: the general cases are enough.
    cases = ADVERSARIAL if function.startswith("classify") else {**ADVERSARIAL, **TARGETED}
    slow = []
    for name, case in cases.items():
        small = seconds(call, adversarial(case, 10_000), runs=2)
        large = seconds(call, adversarial(case, 100_000), runs=3)  # best of three: less noise
        # Ten times the text may take ten times as long; quadratic would be a hundred.
        # Below 5 ms timer noise dominates, so the small run counts as at least that.
        if large > 3.0 or large / max(small, 0.005) > 30:
            slow.append(f"{name}: {small:.3f}s at 10,000 chars, {large:.3f}s at 100,000")
    assert slow == []
