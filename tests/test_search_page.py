"""The search page (search/) in a real headless Chromium against the built site: a URL
gives its search, results have every property their filters name (checked against
papers.json), sort orders hold, and choosing, typing and the back button keep the URL and
the page in step."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import stay_on_this_site


@pytest.fixture(scope="module")
def papers(built_site: Path) -> dict[str, dict[str, Any]]:
    """papers.json, by the path of each paper's page."""
    records = json.loads((built_site / "papers.json").read_text("utf-8"))
    return {urlsplit(p["url"]).path: p for p in records}


@pytest.fixture
def page(browser, site_url: str) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    stay_on_this_site(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


def has_code(paper: dict[str, Any]) -> bool:
    return paper["code_url"] is not None or any(link["code"] for link in paper["links"])


def results(page: Any, papers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every result, in order, as its papers.json record: "more" clicked until it hides."""
    page.wait_for_function("/paper/.test(document.getElementById('search-status').textContent)")
    while page.is_visible("#search-more"):
        before = page.locator("#search-results > li").count()
        page.click("#search-more")
        grown = f"document.querySelectorAll('#search-results > li').length > {before}"
        page.wait_for_function(grown)
    hrefs = page.eval_on_selector_all(
        "#search-results > li", "items => items.map(li => li.querySelector('a').href)"
    )
    return [papers[urlsplit(href).path] for href in hrefs]


def open_filters(page: Any) -> None:
    """Open the filters, which load every filter's values and counts, and wait for them."""
    page.click("#search-filters-toggle")
    page.wait_for_selector("#search-facets details")


def busiest(papers: dict[str, dict[str, Any]], key: str) -> str:
    return Counter(v for p in papers.values() for v in p[key]).most_common(1)[0][0]


def test_a_shared_url_lists_a_topics_papers_with_code_most_upvoted_first(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    topic = busiest(papers, "topics")
    page.goto(f"{site_url}search/?topic={topic}&code=1&sort=upvotes")
    found = results(page, papers)
    expected = [p for p in papers.values() if topic in p["topics"] and has_code(p)]
    assert len(found) == len(expected) > 10  # more than one screen: "more" was used
    assert sorted(p["slug"] for p in found) == sorted(p["slug"] for p in expected)
    upvotes = [p["upvotes"] or 0 for p in found]
    assert upvotes == sorted(upvotes, reverse=True)
    assert page.input_value("#search-sort") == "upvotes"
    open_filters(page)
    assert page.is_checked(f"#search-facets input[name=topic][value='{topic}']")


def test_without_words_it_browses_newest_first(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    kind = busiest(papers, "kinds")
    page.goto(f"{site_url}search/?kind={kind}")
    found = results(page, papers)
    assert found and all(kind in p["kinds"] for p in found)
    assert len(found) == sum(kind in p["kinds"] for p in papers.values())
    # The site's lists' order: newest, then most upvoted, then by address.
    by_slug = sorted(found, key=lambda p: p["slug"])
    listed = sorted(by_slug, key=lambda p: (p["first_seen"], p["upvotes"] or 0), reverse=True)
    assert [p["slug"] for p in found] == [p["slug"] for p in listed]


@pytest.mark.parametrize("query", ["", "q=MergeKit&"])
def test_an_excerpt_quotes_the_paper_not_its_title_and_facts(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]], query: str
) -> None:
    """Each result shows its title and facts above its excerpt: the excerpt is the text
    the reader has not seen yet, here the abstract's (no seed paper of these has a note)."""
    page.goto(f"{site_url}search/?{query}sort=newest")
    found = results(page, papers)[:5]
    excerpts = page.eval_on_selector_all(
        "#search-results > li", "items => items.map(li => li.lastElementChild.textContent)"
    )
    for paper, excerpt in zip(found, excerpts, strict=False):
        excerpt = excerpt.strip()
        assert not excerpt.startswith(paper["title"][:20]), excerpt
        assert "first listed" not in excerpt and "Topics:" not in excerpt, excerpt
        assert " ".join(excerpt.split()[:4]) in " ".join(paper["abstract"].split()), excerpt


@pytest.mark.parametrize(
    ("excerpt", "shown"),
    [
        ("A Title of Some Length Organisation: Acme Inc. Labs. Abstract. We study x.",
         "We study x."),
        ("of Some Length Organisation: Acme. Abstract. We study <mark>x</mark>.",
         "We study <mark>x</mark>."),
        ("We study x, far from the title.", "We study x, far from the title."),
    ],
)  # fmt: skip
def test_an_excerpt_starts_after_the_title_its_end_and_the_organisation(
    page: Any, site_url: str, excerpt: str, shown: str
) -> None:
    """Pagefind's excerpt window may start at the page's start or in the title: what the
    result shows above it (the title) and the organisation's line are cut, marks kept."""
    page.goto(f"{site_url}search/")
    page.wait_for_function("window.digestSearch !== undefined")
    drawn = page.evaluate(
        """([html, title]) => {
          const box = document.createElement("p");
          box.appendChild(window.digestSearch.excerptNodes(html, title));
          return box.innerHTML;
        }""",
        [excerpt, "A Title of Some Length"],
    )
    assert drawn == shown


def test_browsing_every_paper_downloads_one_word_of_the_index(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]], built_site: Path
) -> None:
    """Pagefind's search without words would download every chunk of the index (18 MB at
    50,000 papers): the page browses by a word only papers hold instead."""
    chunks: list[str] = []
    page.on(
        "request", lambda request: chunks.append(request.url) if "/index/" in request.url else None
    )
    page.goto(f"{site_url}search/?sort=newest")
    found = results(page, papers)
    assert len(found) == len(papers)  # every paper, and no other page
    # The site's lists' order: newest, then most upvoted, then by address.
    by_slug = sorted(found, key=lambda p: p["slug"])
    listed = sorted(by_slug, key=lambda p: (p["first_seen"], p["upvotes"] or 0), reverse=True)
    assert [p["slug"] for p in found] == [p["slug"] for p in listed]
    every = list((built_site / "pagefind" / "index").glob("*.pf_index"))
    assert len(every) > 5 and 1 <= len(chunks) <= 2, chunks


def test_choosing_a_month_and_going_back_keep_the_url_and_results_in_step(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    months = Counter(p["first_seen"][:7] for p in papers.values())
    month = months.most_common()[-1][0]  # the month with fewest papers: a real narrowing
    in_month = {k: p for k, p in papers.items() if p["first_seen"].startswith(month)}
    topic = busiest(in_month, "topics")
    page.goto(f"{site_url}search/?topic={topic}")
    everything = results(page, papers)
    open_filters(page)
    page.click("#search-facets details[data-filter=month] summary")
    page.check(f"#search-facets input[name=month][value='{month}']")
    page.wait_for_url(f"**month={month}**")
    narrowed = results(page, papers)
    assert narrowed and all(p["first_seen"].startswith(month) for p in narrowed)
    assert all(topic in p["topics"] for p in narrowed) and len(narrowed) < len(everything)
    page.go_back()
    page.wait_for_function("!location.search.includes('month')")
    assert len(results(page, papers)) == len(everything)
    assert not page.is_checked(f"#search-facets input[name=month][value='{month}']")
    page.go_forward()
    page.wait_for_url(f"**month={month}**")
    assert len(results(page, papers)) == len(narrowed)


def test_typed_words_go_into_the_url_and_find_the_paper(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/")
    results(page, papers)
    page.fill("#search-words", "MergeKit")
    page.wait_for_url("**q=MergeKit**")
    found = results(page, papers)
    assert "MergeKit" in found[0]["title"]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["MergeKit"]}  # relevance is the default with words: not written


def test_a_quoted_phrase_with_a_common_word_finds_its_paper(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/?q=%22capital%20of%20Poland%22")  # see test_visitor.py
    assert results(page, papers)[0]["title"].startswith("Characterizing Mechanisms for Factual")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_the_search_page(
    browser, site_url: str, papers: dict[str, dict[str, Any]], color_scheme: str
) -> None:
    from test_visitor import axe_violations

    page = browser.new_page(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    try:
        stay_on_this_site(page)
        page.goto(f"{site_url}search/?q=model&topic={busiest(papers, 'topics')}")
        results(page, papers)
        open_filters(page)
        page.click("#search-facets details[data-filter=year] summary")
        assert axe_violations(page) == []
    finally:
        page.close()


def test_on_a_phone_the_filters_fold_behind_a_button_and_nothing_is_too_wide(
    browser, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    from test_visitor import PHONE

    page = browser.new_page(viewport=PHONE)
    try:
        stay_on_this_site(page)
        page.goto(f"{site_url}search/?q=model")
        results(page, papers)
        assert not page.is_visible("#search-facets")
        open_filters(page)
        assert page.is_visible("#search-facets")
        assert page.get_attribute("#search-filters-toggle", "aria-expanded") == "true"
        page.click("#search-facets details[data-filter=topic] summary")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] + 1
    finally:
        page.close()


def test_the_filters_and_results_work_from_the_keyboard(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/")
    results(page, papers)
    page.focus("#search-words")
    page.keyboard.type("MergeKit")
    page.wait_for_url("**q=MergeKit**")
    results(page, papers)
    page.focus("#search-filters-toggle")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-facets details")
    page.focus("#search-facets details[data-filter=code] summary")
    page.keyboard.press("Enter")  # opens the filter
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "code"
    page.keyboard.press("Space")
    page.wait_for_url("**code=1**")
    assert all(has_code(p) for p in results(page, papers))  # the list drawn again, then
    # The filters were drawn again with their new counts: the box ticked keeps the focus.
    page.wait_for_function("document.activeElement.name === 'code'")
    assert page.evaluate("document.activeElement.checked")
    page.focus("#search-results a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/**")
    assert "MergeKit" in page.locator("article h1").inner_text()


FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1;
}"""


def test_the_keyboard_sees_where_it_is_among_the_words_and_filters(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    """Material draws no focus ring on form fields: the words box and each filter's
    boxes need one of their own. A filter's legend is for screen readers only."""
    page.goto(f"{site_url}search/")
    results(page, papers)
    page.focus("#search-sort")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "search-words"
    assert page.evaluate(FOCUS_RING), "the words box shows no focus"
    page.focus("#search-filters-toggle")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-facets details")
    page.focus("#search-facets details[data-filter=topic] summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "topic"
    assert page.evaluate(FOCUS_RING), "a filter's box shows no focus"
    legend = page.locator("#search-facets details[data-filter=topic] legend")
    assert legend.bounding_box()["height"] <= 1, "the filter's name is shown twice"


def test_the_header_search_box_offers_all_results_on_the_search_page(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.type("MergeKit")
    page.locator(".md-search-result__item").first.wait_for()
    page.click(".digest-search__all a")
    page.wait_for_url("**/search/?q=MergeKit")
    assert "MergeKit" in results(page, papers)[0]["title"]
    assert page.input_value("#search-words") == "MergeKit"


def shown_counts(page: Any, filter_name: str) -> dict[str, int]:
    """Each value of a filter, with the count its label shows."""
    found = page.eval_on_selector_all(
        f"#search-facets input[name={filter_name}]",
        "inputs => inputs.map(i => [i.value, i.parentElement.textContent])",
    )
    return {value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, text in found}


def test_each_filter_counts_its_values_with_the_other_filters(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    topic = busiest(papers, "topics")
    page.goto(f"{site_url}search/?topic={topic}&code=1")
    results(page, papers)
    open_filters(page)
    with_code = [p for p in papers.values() if has_code(p)]
    in_topic = [p for p in with_code if topic in p["topics"]]
    # A topic's count: papers with code in that topic (choosing it adds them).
    topics = Counter(t for p in with_code for t in p["topics"])
    assert shown_counts(page, "topic") == {t: topics.get(t, 0) for t in shown_counts(page, "topic")}
    # A month's count: papers in the chosen topic, with code, that month.
    months = Counter(p["first_seen"][:7] for p in in_topic)
    assert shown_counts(page, "month") == {m: months.get(m, 0) for m in shown_counts(page, "month")}
    assert sum(shown_counts(page, "year").values()) == len(in_topic)


def test_the_organisation_filter_shows_names_and_narrows_to_their_papers(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    by_slug = Counter(p["organization_slug"] for p in papers.values() if p["organization_slug"])
    slug, count = by_slug.most_common(1)[0]
    name = next(p["organization"] for p in papers.values() if p["organization_slug"] == slug)
    page.goto(f"{site_url}search/?org={slug}")
    found = results(page, papers)
    assert len(found) == count
    assert {p["organization_slug"] for p in found} == {slug}
    open_filters(page)
    labels = page.eval_on_selector_all(
        "#search-facets input[name=org]",
        "inputs => inputs.map(i => [i.value, i.checked, i.parentElement.textContent.trim()])",
    )
    # The name the organisation's page shows, not its slug, with its count.
    assert [slug, True, f"{name} ({count})"] in labels
    assert len(labels) == len(by_slug)


def test_pages_that_are_not_papers_are_offered_on_a_line_of_their_own(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    # The About page (an editor's page) says "listing"; so do many papers.
    page.goto(f"{site_url}search/?q=listing")
    found = results(page, papers)  # each result is a paper's page, or this fails
    assert found
    line = page.locator("#search-pages")
    line.wait_for()
    hrefs = line.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert f"{site_url}pages/about/" in hrefs
    assert all(urlsplit(href).path not in papers for href in hrefs)
    assert 1 <= len(hrefs) <= 5
    # Browsing without words offers no pages.
    page.goto(f"{site_url}search/?sort=newest")
    results(page, papers)
    assert page.locator("#search-pages").is_hidden()


def test_a_sort_or_filter_chosen_just_after_typing_keeps_the_words(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/")
    results(page, papers)
    page.focus("#search-words")
    page.keyboard.type("merging", delay=30)
    page.select_option("#search-sort", "upvotes")  # before the pause that searches
    page.wait_for_url("**sort=upvotes**")
    found = results(page, papers)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["merging"]
    assert page.input_value("#search-words") == "merging" and 0 < len(found) < len(papers)


def test_a_pause_while_typing_keeps_the_space_and_makes_one_history_entry(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/")
    results(page, papers)
    before = page.evaluate("history.length")
    words = page.locator("#search-words")
    words.click()
    words.type("mixture ")
    page.wait_for_url("**q=mixture")  # searched during the pause, the space still typed
    page.wait_for_timeout(400)
    words.type("of experts", delay=400)  # a pause after every key: a search each time
    page.wait_for_url("**q=mixture+of+experts")
    assert words.input_value() == "mixture of experts"
    assert page.evaluate("history.length") == before + 1
    page.go_back()  # to the page as it was before the typing
    page.wait_for_function("!location.search.includes('q=')")
    assert len(results(page, papers)) == len(papers)


def test_the_sites_name_is_a_word_like_any_other(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]], built_site: Path
) -> None:
    """Pagefind takes each word as a prefix: none a reader types may match the word every
    paper's search metadata holds for browsing ("q" and "qz" did, when it was "qzx...")."""
    for words in ("digest", "dig", "q", "qz", "transfer q"):
        page.goto(f"{site_url}search/?q={words}")
        found = results(page, papers)
        assert len(found) < len(papers) / 2, words
        if words == "qz":  # no word starts so: Pagefind finds the words "q" instead
            continue
        for paper in found:  # each says the word in what search reads of its page
            html = (built_site / "papers" / paper["slug"] / "index.html").read_text("utf-8")
            indexed = html[html.index("data-pagefind-body") : html.index("</article>")]
            assert all(word in indexed.lower() for word in words.split()), (words, paper["title"])


def test_an_unknown_filter_value_from_a_link_can_be_unticked(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/?q=model&topic=no-such-topic")
    page.wait_for_function("/No papers/.test(document.getElementById('search-status').textContent)")
    open_filters(page)
    unknown = page.locator("#search-facets input[name=topic][value='no-such-topic']")
    assert unknown.is_checked()
    unknown.click()  # (the filters are drawn anew at once: no check of the box itself)
    page.wait_for_function("!location.search.includes('topic=')")
    assert len(results(page, papers)) > 10


def test_after_the_last_more_results_the_keyboard_goes_on_from_the_new_ones(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{site_url}search/?q=lora")
    page.wait_for_function("/paper/.test(document.getElementById('search-status').textContent)")
    pressed = 0
    while page.is_visible("#search-more"):
        before = page.locator("#search-results > li").count()
        page.focus("#search-more")
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"document.querySelectorAll('#search-results > li').length > {before}"
        )
        pressed += 1
    assert pressed >= 1
    focused = "document.activeElement.closest('#search-results > li')"
    assert (
        page.evaluate(
            f"Array.from(document.querySelectorAll('#search-results > li')).indexOf({focused})"
        )
        == before
    )


def test_enter_in_the_header_box_opens_the_first_result_of_the_words_typed(
    page: Any, site_url: str
) -> None:
    page.goto(f"{site_url}topics/")
    box = page.locator("input.md-search__input")
    box.click()
    box.type("lora")
    page.locator(".md-search-result__item").first.wait_for()
    box.press("Control+a")
    box.type("MergeKit", delay=10)
    box.press("Enter")  # at once: the results on screen are still those of "lora"
    page.wait_for_url("**/papers/**")
    assert "MergeKit" in page.locator("article h1").inner_text()


def test_escape_in_the_header_box_leaves_no_focus_in_the_hidden_results(
    page: Any, site_url: str
) -> None:
    page.goto(f"{site_url}topics/")
    page.keyboard.press("/")
    page.keyboard.type("lora")
    page.locator(".md-search-result__item").first.wait_for()
    in_results = "Boolean(document.activeElement.closest('.md-search__output'))"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(in_results)
    page.keyboard.press("Escape")
    assert not page.evaluate(in_results)
    for _ in range(3):
        page.keyboard.press("Tab")
        assert not page.evaluate(in_results)


def test_on_a_phone_the_behind_banner_leaves_the_header_results_reachable(
    browser, site_url: str
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    stay_on_this_site(page)
    try:
        page.goto(f"{site_url}topics/")
        page.locator(".digest-behind").wait_for()  # the default content is long past
        page.click("label.md-header__button[for=__search]")
        page.keyboard.type("merging")
        page.locator(".md-search-result__item").first.wait_for()
        page.eval_on_selector(
            ".md-search__scrollwrap", "wrap => wrap.scrollTo(0, wrap.scrollHeight)"
        )
        link = page.locator(".digest-search__all a")
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] > 719  # where the banner lies
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.digest-search__all') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top
        link.click()
        page.wait_for_url("**/search/?q=merging")
    finally:
        page.close()


def test_filter_values_read_in_the_order_of_their_names_the_chosen_first(
    page: Any, site_url: str, papers: dict[str, dict[str, Any]]
) -> None:
    topic = sorted({t for p in papers.values() for t in p["topics"]})[-1]  # last by slug
    page.goto(f"{site_url}search/?topic={topic}")
    results(page, papers)
    open_filters(page)
    boxes = page.locator("#search-facets details[data-filter=topic] label")
    shown = [text.rsplit(" (", 1)[0].strip() for text in boxes.all_inner_texts()]
    assert page.is_checked("#search-facets details[data-filter=topic] input >> nth=0")
    assert shown[1:] == sorted(shown[1:], key=str.casefold) and len(shown) > 10


def test_a_micro_sign_finds_the_greek_mu(page: Any, site_url: str, papers: dict) -> None:
    """A keyboard's micro sign (µ, U+00B5) is read as the Greek mu (μ) texts write."""
    page.goto(f"{site_url}search/?q=%CE%BCP")
    greek = results(page, papers)
    page.goto(f"{site_url}search/?q=%C2%B5P")
    assert greek and results(page, papers) == greek


def test_best_match_without_words_lists_the_newest_first(page: Any, site_url: str, papers: dict):
    """Without words "best match" means nothing: a link asking for it lists the newest
    first, says so, and the choice is not offered until there are words."""
    page.goto(f"{site_url}search/?sort=relevance&code=1")
    dates = [p["first_seen"] for p in results(page, papers)]
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)
    assert page.input_value("#search-sort") == "newest"
    assert page.is_disabled("#search-sort option[value=relevance]")
    page.fill("#search-words", "lora")
    page.press("#search-words", "Enter")
    page.wait_for_function(
        "!document.querySelector('#search-sort option[value=relevance]').disabled"
    )
    assert page.input_value("#search-sort") == "relevance"
