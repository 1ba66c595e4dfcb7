"""What a visitor does, in a real headless Chromium against the built site on 127.0.0.1."""

from __future__ import annotations

import pytest

from digest.model import Paper

from conftest import stay_on_this_site


@pytest.mark.parametrize(
    ("query", "title_start"),
    [
        ("TriAdaptLoRA", "TriAdaptLoRA"),
        ("NorMuon", "NorMuon"),
        ("GrayHawk", "GrayHawk"),
    ],
)
def test_search_box_finds_a_paper(
    browser, site_url: str, papers: tuple[Paper, ...], query: str, title_start: str
) -> None:
    paper = next(p for p in papers if title_start in p.title)
    page = browser.new_page()
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        search = page.locator("input.md-search__input")
        search.click()
        search.type(query)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        first_three = results.all_inner_texts()[:3]
        links = results.locator("a.md-search-result__link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(min(3, links.count()))]
        assert any(f"papers/{paper.slug}/" in (h or "") for h in hrefs), (first_three, hrefs)
    finally:
        page.close()


def test_a_reader_clicks_from_home_to_a_topic_and_a_paper(browser, site_url: str) -> None:
    page = browser.new_page()
    try:
        stay_on_this_site(page)
        page.goto(site_url)
        page.locator("article a[href$='topics/peft/']").first.click()
        page.wait_for_url("**/topics/peft/")
        assert "Parameter-efficient fine-tuning" in page.locator("h1").inner_text()
        page.locator("article li a[href*='papers/']").first.click()
        page.wait_for_url("**/papers/**")
        assert page.locator("h2#abstract").count() == 1
    finally:
        page.close()
