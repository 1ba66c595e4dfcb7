"""What readers subscribe to and what the site says of itself: feeds, data, status, head."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from test_site import page, text_of

from digest.model import Paper

from conftest import copy_project


def parse_feed(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def test_site_feed_has_the_newest_papers_first(built_site: Path, papers: tuple[Paper, ...]) -> None:
    feed = parse_feed(built_site / "feed.xml")
    entries = feed.entries
    assert 0 < len(entries) <= 100
    days = [e.published_parsed[:3] for e in entries]
    assert days == sorted(days, reverse=True)
    newest = max(p.first_seen for p in papers)
    assert entries[0].published.startswith(newest.isoformat())
    by_title = {p.title: p for p in papers}
    records = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    topics_of = {r["slug"]: r["topics"] for r in records}

    def paper_topics(slug: str) -> list[str]:
        return topics_of[slug]

    for entry in entries[:10]:
        paper = by_title[entry.title]
        assert entry.link.endswith(f"/papers/{paper.slug}/")
        assert entry.summary
        assert len(entry.get("tags", [])) == len(paper_topics(paper.slug))
        assert (built_site / "papers" / paper.slug / "index.html").is_file()


def test_every_topic_and_the_picks_have_feeds(built_site: Path) -> None:
    for topic_dir in (built_site / "topics").iterdir():
        if not topic_dir.is_dir():
            continue
        name = text_of(page(built_site, f"topics/{topic_dir.name}"), "h1")
        feed = parse_feed(topic_dir / "feed.xml")
        assert all(name in [t.term for t in e.tags] for e in feed.entries), topic_dir.name
        json_feed = json.loads((topic_dir / "feed.json").read_text(encoding="utf-8"))
        assert json_feed["version"] == "https://jsonfeed.org/version/1.1"
        assert [i["url"] for i in json_feed["items"]] == [e.link for e in feed.entries]
    picks = parse_feed(built_site / "picks" / "feed.xml")
    assert "Scaling Laws for Neural Language Models" in [e.title for e in picks.entries]


def test_every_feed_has_what_its_format_requires(built_site: Path) -> None:
    """Atom (RFC 4287): an author for the feed, as no entry names one; JSON Feed 1.1: an
    id and content_html or content_text for every item."""
    atoms = sorted(built_site.rglob("feed.xml"))
    assert len(atoms) > 25  # the site's, the topics', the picks', the organisations', ...
    for path in atoms:
        feed = parse_feed(path)
        assert feed.feed.author == "digest", path
    for path in sorted(built_site.rglob("feed.json")):
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        assert items, path
        for item in items:
            assert item["id"] and (item.get("content_html") or item.get("content_text")), path


def test_home_and_topic_pages_announce_their_feeds(built_site: Path) -> None:
    home = page(built_site, "")
    assert '<link rel="alternate feed" type="application/atom+xml"' in home
    assert 'href="feed.xml"' in home
    assert 'href="feed.json"' in home
    topic = page(built_site, "topics/peft")
    assert 'href="feed.xml"' in topic  # topics/peft/feed.xml, relative to the page
    assert "Subscribe to this topic" in text_of(topic, "article")
    assert "Subscribe to new papers" in text_of(home, "article")


def test_the_digest_is_published_as_data(built_site: Path, papers: tuple[Paper, ...]) -> None:
    records = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    assert len(records) == len(papers)  # the default content hides nothing
    normuon = next(r for r in records if r["slug"].startswith("normuon"))
    assert normuon["pick"] is True and "optimization" in normuon["topics"]
    assert {"title", "abstract", "url", "first_seen", "listings", "links", "topics"} <= set(normuon)
    peft = json.loads((built_site / "topics" / "peft" / "papers.json").read_text(encoding="utf-8"))
    assert peft["slug"] == "peft" and all("peft" in r["topics"] for r in peft["papers"])


def test_footer_status_and_head_on_every_page(built_site: Path) -> None:
    for html_file in [
        built_site / "index.html",
        *list((built_site / "papers").rglob("index.html"))[:20],
    ]:
        html = html_file.read_text(encoding="utf-8")
        assert "Status: the newest listing and the build" in text_of(html, "footer"), html_file
        assert 'data-freshness="' in html and "freshness.json" in html
        assert '<meta property="og:title"' in html and '<meta name="twitter:card"' in html
        assert "twitter:title" not in html  # a card's title is og:title: said once
        assert '<link rel="canonical" href="http://' in html
    assert (built_site / "404.html").is_file()
    freshness = json.loads((built_site / "freshness.json").read_text(encoding="utf-8"))
    assert freshness == {"newest_listing": "2026-03-24", "stale_after_days": 3}
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/papers/" in sitemap and "/topics/peft/" in sitemap


def test_the_not_found_page_shows_the_ways_in_from_any_address(built_site: Path) -> None:
    """A server shows 404.html at whatever address was asked for: its links start from
    the site's root, and lead to pages that are there."""
    html = (built_site / "404.html").read_text(encoding="utf-8")
    article = html.partition("<article")[2].partition("</article>")[0]
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', article)
    assert [text for _, text in links] == ["Search every paper", "Topics", "Issues", "Home"]
    for href, _ in links:
        assert href.startswith("/"), href
        assert (built_site / href.lstrip("/") / "index.html").is_file(), href


def test_status_page_lists_listings_and_gaps(built_site: Path) -> None:
    text = text_of(page(built_site, "status"), "article")
    assert "2026-03-24-trending.txt" in text and "2025-12-11-daily-papers.txt" in text
    assert "2025-12-12 to 2026-03-13" in text  # the long gap between the first two listings
    assert "2026-03-21 to 2026-03-23" in text


def test_build_time_is_on_the_status_page_only(built_site: Path, tmp_path: Path) -> None:
    """The build time comes from SOURCE_DATE_EPOCH and shows on the Status page. Every
    other page's HTML changes only with what it shows: built on another day, the same
    content gives the same pages."""
    project = copy_project(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1774742400"}  # 2026-03-29 00:00 UTC
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    other = project / "site"
    status = text_of(page(other, "status"), "article")
    assert "The site was built on 2026-03-29 00:00 UTC." in status
    assert "The newest listing is of 2026-03-24." in status
    differ = [
        path.relative_to(other).as_posix()
        for path in sorted(other.rglob("*.html"))
        if path.read_bytes() != (built_site / path.relative_to(other)).read_bytes()
    ]
    assert differ == ["status/index.html"]


@pytest.mark.parametrize(("today", "behind"), [("2026-03-25", False), ("2026-04-10", True)])
def test_the_behind_banner_shows_only_when_listings_stop(
    browser, site_url: str, today: str, behind: bool
) -> None:
    page_ = browser.new_page()
    try:
        stamp = (date.fromisoformat(today) - date(1970, 1, 1)).days * 86400000
        page_.add_init_script(f"Date.now = () => {stamp};")
        page_.goto(site_url)
        banner = page_.locator(".digest-behind")
        page_.wait_for_load_state("load")
        # freshness.json arrives after the page is drawn.
        if not behind:
            page_.wait_for_timeout(500)
            assert banner.is_hidden()
        else:
            banner.wait_for(state="visible", timeout=5000)
            assert "its newest listing is of 2026-03-24" in banner.inner_text()
            status = banner.get_by_role("link", name="status page").get_attribute("href")
            assert urljoin(page_.url, status) == site_url + "status/"
            # Scrolled to the end, the footer's links stand above the banner, not under it.
            page_.keyboard.press("End")
            footer_link = page_.locator(".md-footer a").last
            footer_link.click(trial=True, timeout=3000)  # fails if the banner is on top
            page_.get_by_role("button", name="Dismiss").click()
            assert banner.is_hidden()
            page_.goto(site_url + "status/")  # dismissed for the rest of the visit
            page_.wait_for_timeout(300)
            assert page_.locator(".digest-behind").is_hidden()
    finally:
        page_.close()
