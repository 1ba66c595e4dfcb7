"""A visitor in a real headless Chromium against the built site on 127.0.0.1: searching,
clicking around, reading on a phone, and what axe-core finds about accessibility."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.model import Paper
from digest.papers.merge import slug_for
from digest.tools.screenshots import pick_pages

from conftest import stay_on_this_site

# ---------------------------------------------------------------------------------------
# Search: what a reader types, and the paper they mean. Written from the seed listings in
# content/sources/*.txt, across topics: a distinctive word of the title, an acronym or a
# name, a phrase from the abstract. The paper must be among Material's first three results.

TITLE_WORDS = [
    (
        "Dolma",
        "Dolma: an Open Corpus of Three Trillion Tokens for Language Model Pretraining Research",
    ),
    ("MergeKit", "Arcee's MergeKit: A Toolkit for Merging Large Language Models"),
    ("miniCTX", "miniCTX: Neural Theorem Proving with (Long-)Contexts"),
    ("GFlowNets", "Multi-Objective GFlowNets"),
    (
        "hyperplane reflections",
        "ETHER: Efficient Finetuning of Large-Scale Models with Hyperplane Reflections",
    ),
    ("Chinchilla replication", "Chinchilla Scaling: A replication attempt"),
    ("upcycling", "Scaling Laws for Upcycling Mixture-of-Experts Language Models"),
]
ACRONYMS = [
    ("FLAML", "FLAML: A Fast and Lightweight AutoML Library"),
    ("N-HiTS", "N-HiTS: Neural Hierarchical Interpolation for Time Series Forecasting"),
    (
        "FedPara",
        "FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning",
    ),
    ("Curry-DPO", "Curry-DPO: Enhancing Alignment using Curriculum Learning & Ranked Preferences"),
    ("ZeRO", "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models"),
    (
        "LLaVA-Gemma",
        "LLaVA-Gemma: Accelerating Multimodal Foundation Models with a Compact Language Model",
    ),
]
ABSTRACT_PHRASES = [
    ("benchmark dataset leakage", "Benchmarking Benchmark Leakage in Large Language Models"),
    ("neuron-wise normalized Muon", "NorMuon: Making Muon more efficient and scalable"),
    ("galaxy postage stamp", "AstroPT: Scaling Large Observation Models for Astronomy"),
    ("replay memories", "Small batch deep reinforcement learning"),
    (
        "cherry parameters",
        "Cherry on Top: Parameter Heterogeneity and Quantization in Large Language Models",
    ),
    (
        "serving context length",
        "The CAP Principle for LLM Serving: A Survey of Long-Context Large Language Model Serving",
    ),
]
# An acronym a reader knows from the abstract, where it stands in parentheses: "close-book
# Question Answering (CBQA)," must be found as "CBQA" (Material's default search kept
# "(cbqa)," as one word and found nothing).
PARENTHESISED_ACRONYM = ("CBQA", "Distinguishing Ignorance from Error in LLM Hallucinations")
SEARCHES = [*TITLE_WORDS, *ACRONYMS, *ABSTRACT_PHRASES, PARENTHESISED_ACRONYM]


@pytest.fixture(scope="module")
def search_page(browser, site_url: str) -> Iterator[Any]:
    """One page for all the searches: the search loads its entry files once."""
    page = browser.new_page()
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        yield page
    finally:
        page.close()


def search(page: Any, query: str) -> list[str]:
    """The hrefs of the search box's results for `query`, best first.

    The query is put in the box at once, as a paste would; the result count and the list
    change together, so once the count says "matching" the list is this query's.
    """
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.click()
    box.fill("")
    box.press("End")
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('matching')"
    )
    box.fill(query)
    box.press("End")
    # "N matching documents", "1 matching document" or "No matching documents".
    meta.filter(has_text="matching").wait_for(timeout=30_000)
    links = page.locator(".md-search-result__item > a")
    return links.evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize(("query", "title"), SEARCHES)
def test_search_finds_the_paper_in_the_first_three(
    search_page: Any, site_url: str, query: str, title: str
) -> None:
    hrefs = search(search_page, query)
    expected = f"papers/{slug_for(title)}/"
    first_three = [h.removeprefix(site_url) for h in hrefs[:3]]
    assert any(h.startswith(expected) for h in first_three), (query, expected, first_three)


def test_a_quoted_phrase_with_a_common_word_finds_its_paper(
    search_page: Any, site_url: str
) -> None:
    """A quoted phrase of an abstract with a word on most pages ("of"), whose places in
    the text the index does not keep (digest/site/search_words.py), is searched as words."""
    hrefs = search(search_page, '"capital of Poland"')
    title = "Characterizing Mechanisms for Factual Recall in Language Models"
    assert hrefs and hrefs[0].removeprefix(site_url).startswith(f"papers/{slug_for(title)}/")


def test_the_searches_are_about_seed_papers_on_many_topics(
    built_site: Path, papers: tuple[Paper, ...]
) -> None:
    seed_titles = {p.title for p in papers}
    titles = [title for _, title in SEARCHES]
    assert len(titles) == len(SEARCHES) == 20
    assert not [t for t in titles if t not in seed_titles]
    records = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    topics = {p["title"]: p["topics"] for p in records}
    assert len({topics[t][0] for t in titles if topics[t]}) >= 12


# ---------------------------------------------------------------------------------------
# Clicking around.


def heading(page: Any) -> str:
    """The page's h1, without its permalink sign."""
    return page.locator("article h1").first.inner_text().rstrip("¶").strip()


def test_a_reader_clicks_from_home_to_topic_paper_issue_related_and_back(
    browser, site_url: str
) -> None:
    page = browser.new_page()
    try:
        stay_on_this_site(page)
        page.goto(site_url)

        # The home page's topic list.
        topic_link = page.locator("h2#topics + ul a[href*='topics/']").first
        topic_name = topic_link.inner_text().strip()
        topic_link.click()
        page.wait_for_url(re.compile(r"/topics/[a-z0-9-]+/$"))
        assert heading(page) == topic_name
        topic_url = page.url

        # A paper on it.
        paper_link = page.locator("article a[href*='papers/']").first
        paper_title = paper_link.inner_text().strip()
        paper_link.click()
        page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
        assert heading(page) == paper_title
        paper_url = page.url
        topic_slug = topic_url.rstrip("/").rsplit("/", 1)[1]
        assert page.locator(f"article a[href$='topics/{topic_slug}/']").count() >= 1

        # Its issue, from "Listed in".
        issue_link = page.locator("h2#listed-in + ul a").first
        issue_link.click()
        page.wait_for_url(re.compile(r"/issues/\d{4}-\d{2}-\d{2}/"))
        day = re.search(r"/issues/(\d{4}-\d{2}-\d{2})/", page.url)
        assert day and day.group(1) in heading(page)
        page.go_back()
        page.wait_for_url(paper_url)
        assert heading(page) == paper_title

        # A related paper, and back.
        # Related papers link to their sibling folders: "../<slug>/".
        related_link = page.locator("h2#related-papers + ul li > a").first
        related_title = related_link.inner_text().strip()
        related_link.click()
        page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
        assert page.url != paper_url
        assert heading(page) == related_title
        page.go_back()
        page.wait_for_url(paper_url)
        assert heading(page) == paper_title
        page.go_back()
        page.wait_for_url(topic_url)
        assert heading(page) == topic_name
    finally:
        page.close()


def test_a_reader_reaches_a_topic_from_the_sidebar(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        link = page.locator(".md-sidebar--primary a.md-nav__link[href*='topics/']:visible")
        link.first.wait_for()
        href = link.first.get_attribute("href") or ""
        link.first.click()
        page.wait_for_url(re.compile(r"/topics/"))
        assert page.url.endswith(href.lstrip("./")), (page.url, href)
        assert heading(page)
    finally:
        page.close()


def scheme(page: Any) -> str | None:
    return page.locator("body").get_attribute("data-md-color-scheme")


def test_the_light_dark_toggle_works_and_is_remembered(browser, site_url: str) -> None:
    page = browser.new_page(color_scheme="light")
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        assert scheme(page) == "default"
        toggle = page.locator("form[data-md-component=palette] label:visible")
        toggle.first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        stored = page.evaluate("localStorage.getItem('/.__palette')")
        assert stored and json.loads(stored)["color"]["scheme"] == "slate", stored
        page.reload()
        assert scheme(page) == "slate"
        # Another page of the site remembers it too.
        page.goto(site_url + "statistics/")
        assert scheme(page) == "slate"
        toggle.first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
        page.reload()
        assert scheme(page) == "default"
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# The pages every test below visits: one of each kind, from the built site itself.


def sample_pages(built_site: Path, papers: tuple[Paper, ...]) -> dict[str, str]:
    """Site-relative paths of one page of each kind. The paper is the one with the longest
    title, the likeliest to be too wide for a phone."""
    issues = sorted(p.name for p in (built_site / "issues").iterdir() if p.is_dir())
    topics = sorted(
        p.name
        for p in (built_site / "topics").iterdir()
        if (p / "index.html").is_file() and p.name != "statistics"
    )
    longest = max(papers, key=lambda p: len(p.title))
    pages = {
        "home": "",
        "topic": f"topics/{'peft' if 'peft' in topics else topics[0]}/",
        "issue": f"issues/{issues[-1]}/",
        "paper": f"papers/{longest.slug}/",
        "statistics": "statistics/",
        "status": "status/",
    }
    for name, path in pages.items():
        assert (built_site / path / "index.html").is_file(), (name, path)
    return pages


@pytest.fixture(scope="module")
def pages(built_site: Path, papers: tuple[Paper, ...]) -> dict[str, str]:
    return sample_pages(built_site, papers)


# ---------------------------------------------------------------------------------------
# On a phone.

PHONE = {"width": 375, "height": 812}


def test_no_page_scrolls_sideways_on_a_phone(browser, site_url: str, pages: dict[str, str]) -> None:
    page = browser.new_page(viewport=PHONE)
    try:
        stay_on_this_site(page)
        too_wide = {}
        for name, path in pages.items():
            page.goto(site_url + path)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1] + 1:
                culprits = page.evaluate(WIDER_THAN_THE_SCREEN)
                too_wide[name] = (path, widths, culprits)
        assert not too_wide, too_wide
    finally:
        page.close()


# The elements whose right edge is past the screen's, to say what makes a page too wide.
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : ''));
}"""


def test_the_navigation_drawer_opens_on_a_phone(browser, site_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        nav = page.locator(".md-sidebar--primary")
        left = "() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left"
        assert page.evaluate(left) < 0, "the drawer is open before anyone opened it"
        # The header's menu button; the other label for the drawer is the overlay.
        page.locator(".md-header label[for=__drawer]").click()
        page.wait_for_function(f"({left})() >= 0")
        assert nav.is_visible()
        link = nav.locator("a.md-nav__link[href*='topics/']").first
        assert link.is_visible()
        box = link.bounding_box()
        assert box and 0 <= box["x"] < PHONE["width"], box
    finally:
        page.close()


# The colours of the statistics page's bars and of the page behind them: axe does not look
# inside SVG, and graphics need 3:1 (WCAG 1.4.11).
BAR_AND_BACKGROUND = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const bar = document.querySelector('.digest-chart rect');
  return [rgb(getComputedStyle(bar).fill), rgb(getComputedStyle(document.body).backgroundColor)];
}"""


def contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        c = [x / 255 for x in rgb]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_chart_bars_stand_out_from_the_page(browser, site_url: str, color_scheme: str) -> None:
    page = browser.new_page(color_scheme=color_scheme)
    try:
        stay_on_this_site(page)
        page.goto(site_url + "statistics/")
        bar, background = page.evaluate(BAR_AND_BACKGROUND)
        assert contrast(bar, background) >= 3, (bar, background)
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# Accessibility: axe-core, as the axe-playwright-python wheel ships it (the test extra).

# Rules of axe that Material's own theme breaks and that digest cannot fix: none so far.
# Each entry says which rule, where, and why it is Material's.
EXCLUDED_RULES: dict[str, str] = {}


def axe_script() -> str:
    from importlib.resources import files

    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    page.evaluate(axe_script())
    rules = {rule: {"enabled": False} for rule in EXCLUDED_RULES}
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"resultTypes": ["violations"], "rules": rules},
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:10],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(
    browser, site_url: str, pages: dict[str, str], color_scheme: str
) -> None:
    page = browser.new_page(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    try:
        stay_on_this_site(page)
        found = {}
        for name, path in pages.items():
            if name == "status":
                continue
            page.goto(site_url + path)
            violations = axe_violations(page)
            if violations:
                found[name] = violations
        # The search results, open over the home page.
        page.goto(site_url)
        search(page, "low-rank adaptation")
        violations = axe_violations(page)
        if violations:
            found["search results"] = violations
        assert not found, json.dumps(found, indent=1)
    finally:
        page.close()


def test_the_screenshots_script_picks_pages_that_exist(built_site: Path) -> None:
    """`python -m digest.screenshots` photographs the home page, a topic and a paper."""
    chosen = pick_pages(built_site)
    assert list(chosen) == ["home", "topic", "paper"]
    assert chosen["topic"].startswith("topics/") and chosen["paper"].startswith("papers/")
    for path in chosen.values():
        assert (built_site / path / "index.html").is_file(), path
