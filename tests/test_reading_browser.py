"""Reading the built site in Chromium: math drawn by the browser, with nothing from another
host; charts readable on a phone; the "behind" banner appearing without moving the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_visitor import PHONE, WIDER_THAN_THE_SCREEN

from digest.model import Paper

from conftest import stay_on_this_site


@pytest.fixture
def tab(browser) -> Iterator[Any]:
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()


def watch(page: Any) -> tuple[list[str], list[str]]:
    """Block everything outside 127.0.0.1, as the other browser tests do, but remember what
    was asked for; and collect the page's errors, except Chromium's "Failed to load
    resource" for what was blocked on purpose."""
    asked: list[str] = []
    errors: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    def console(message: Any) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not (
            "Failed to load resource" in message.text and where in asked
        ):
            errors.append(f"{message.text} ({where})")

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return asked, errors


def math_papers(papers: tuple[Paper, ...]) -> list[Paper]:
    return [
        next(p for p in papers if "GrayHawk" in p.title),
        next(p for p in papers if "Fairy2i" in p.title),
        next(p for p in papers if r"\(\Delta W\)" in p.abstract),
    ]


# ---------------------------------------------------------------------------------------
# Math.


def test_math_is_drawn_by_the_browser_with_nothing_from_another_host(
    tab: Any, site_url: str, papers: tuple[Paper, ...]
) -> None:
    asked, errors = watch(tab)
    for paper in math_papers(papers):
        tab.goto(f"{site_url}papers/{paper.slug}/")
        tab.wait_for_load_state("load")
        formula = tab.locator("article math").first
        box = formula.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, paper.slug
        # MathML, not its TeX: no backslash is left to read.
        assert "\\" not in (formula.text_content() or ""), paper.slug
        assert tab.locator("article h1").count() == 1
    grayhawk = math_papers(papers)[0]
    tab.goto(f"{site_url}papers/{grayhawk.slug}/")
    assert "GrayHawk" in (tab.locator("article h1 math").text_content() or "")
    tab.wait_for_timeout(300)
    assert asked == [] and errors == []


# ---------------------------------------------------------------------------------------
# Charts on a phone.

# The on-screen height of each chart's smallest text, and whether the chart's figure
# scrolls sideways.
CHART_TEXT = """() => [...document.querySelectorAll('figure.digest-chart')].map(figure => {
  const heights = [...figure.querySelectorAll('svg text')]
    .map(text => text.getBoundingClientRect().height);
  return {
    smallest: heights.length ? Math.min(...heights) : null,
    scrolls: figure.scrollWidth > figure.clientWidth,
    left: figure.querySelector('svg').getBoundingClientRect().left,
  };
})"""


def test_chart_labels_stay_readable_on_a_phone(browser, site_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    try:
        stay_on_this_site(page)
        for path in ("statistics/", "topics/peft/"):
            page.goto(site_url + path)
            charts = page.evaluate(CHART_TEXT)
            assert charts, path
            for chart in charts:
                assert chart["smallest"] is None or chart["smallest"] >= 10, (path, chart)
                assert chart["left"] >= 0, (path, chart)  # its start is on the screen
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1] + 1, (path, widths, page.evaluate(WIDER_THAN_THE_SCREEN))
        # The statistics page's charts are wider than a phone: they scroll, the page does not.
        page.goto(site_url + "statistics/")
        assert any(chart["scrolls"] for chart in page.evaluate(CHART_TEXT))
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# The "behind" banner.

# Layout shifts from the first moment of the page on; the page cannot reset this.
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("path", ["", "papers/normuon-making-muon-more-efficient-and-scalable/"])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_behind_banner_moves_nothing_when_it_shows(
    browser, site_url: str, path: str, viewport: dict[str, int]
) -> None:
    page = browser.new_page(viewport=viewport)
    try:
        stay_on_this_site(page)
        months_later = (date(2026, 12, 1) - date(1970, 1, 1)).days * 86400000
        page.add_init_script(f"Date.now = () => {months_later};")
        page.add_init_script(RECORD_SHIFTS)
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        page.locator(".digest-behind").wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(300)
        assert sum(page.evaluate("window.__shifts")) < 0.01
    finally:
        page.close()


def test_on_a_phone_the_keyboard_skips_the_closed_drawer_and_can_open_it(
    browser, site_url: str, papers: tuple[Paper, ...]
) -> None:
    """The closed drawer's links are off the left edge: Tab walked through them, its
    focus out of sight, and the menu button (a label) did not answer the keyboard."""
    page = browser.new_page(viewport=PHONE)
    stay_on_this_site(page)
    try:
        page.goto(f"{site_url}papers/{papers[0].slug}/")
        page.wait_for_load_state("load")
        out_of_sight = "(el => { const r = el.getBoundingClientRect(); return r.right <= 0; })"
        for _ in range(20):
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            assert not page.evaluate(out_of_sight, focused), page.evaluate(
                "el => el.outerHTML", focused
            )
        menu = page.locator(".md-header label[for=__drawer]")
        menu.focus()
        page.keyboard.press("Enter")
        assert page.is_checked("#__drawer")
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
        page.wait_for_function(
            "document.activeElement.getBoundingClientRect().left >= 0"
        )  # the drawer slid in
        page.keyboard.press("Escape")
        assert not page.is_checked("#__drawer")
        assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_keyboard_leaving_the_search_closes_it(browser, site_url: str, width: int) -> None:
    """Tab reaches the header's search box, which opens the search over the page; Tab on
    past its results, or Shift+Tab back, must close it, or the keyboard walks the page's
    links under it (under a full-screen layer on a phone)."""
    page = browser.new_page(viewport={"width": width, "height": 812})
    stay_on_this_site(page)
    in_search = "document.activeElement.closest('.digest-search') !== null"
    try:
        page.goto(f"{site_url}topics/peft/")
        page.wait_for_load_state("load")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate(in_search):
                break
        assert page.is_checked("#__search"), "Tab did not reach the search box"
        page.keyboard.press("Shift+Tab")
        assert not page.evaluate(in_search)
        assert not page.is_checked("#__search"), "Shift+Tab left the search open"
        page.keyboard.press("Tab")
        assert page.is_checked("#__search")
        for _ in range(15):
            page.keyboard.press("Tab")
            if not page.evaluate(in_search):
                break
        assert not page.evaluate(in_search), "Tab never left the search"
        assert not page.is_checked("#__search"), "Tab left the search open over the page"
    finally:
        page.close()
