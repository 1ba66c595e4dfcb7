"""What a visitor does, in a real headless Chromium against the built site on 127.0.0.1."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest.model import Paper

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def stay_on_this_site(page) -> None:
    """Block the outside world: every page must work from this site alone."""
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )


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
