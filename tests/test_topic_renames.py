"""A renamed topic keeps its old addresses: its page redirects, its feeds keep their ids and
its data stays where readers fetch it; a `formerly` that cannot work is an error."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import feedparser
import pytest

from digest.model import SiteSettings, Taxonomy, Topic
from digest.site.redirects import moved_topic_pages
from digest.tools.screenshots import serve

from conftest import copy_project, mkdocs_build, run_digest, stay_on_this_site

OLD, NEW = "peft", "parameter-efficient-fine-tuning"


def rename(project: Path, old: str, new: str, formerly: str) -> None:
    """Give topic `old` the slug `new` and the `formerly` list given, as an editor would."""
    topics = project / "content" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    assert f"  - slug: {old}\n" in text
    renamed = f"  - slug: {new}\n    formerly: {formerly}\n"
    topics.write_text(text.replace(f"  - slug: {old}\n", renamed, 1), encoding="utf-8")


def digest_check(project: Path) -> subprocess.CompletedProcess[str]:
    return run_digest(project, "check")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed site built before the rename, and after it."""
    project = copy_project(tmp_path_factory.mktemp("renamed"))
    before = tmp_path_factory.mktemp("before") / "site"
    result = mkdocs_build(project, "--site-dir", str(before))
    assert result.returncode == 0, result.stderr
    rename(project, OLD, NEW, f"[{OLD}]")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return before, project / "site"


def test_the_old_topic_page_leads_a_reader_to_the_new_one(renamed, browser) -> None:
    _, site = renamed
    assert (site / "topics" / NEW / "index.html").is_file()
    with serve(site) as url:
        page = browser.new_page()
        stay_on_this_site(page)
        page.goto(url + f"topics/{OLD}/")
        page.wait_for_url(re.compile(f"/topics/{NEW}/$"))
        heading = page.locator("h1").first.inner_text()
        assert heading.startswith("Parameter-efficient fine-tuning"), heading
        page.close()


def test_a_search_link_made_before_the_rename_filters_by_the_new_slug(renamed, browser) -> None:
    _, site = renamed
    papers = json.loads((site / "papers.json").read_bytes())
    expected = sum(1 for p in papers if NEW in p["topics"])
    with serve(site) as url:
        page = browser.new_page()
        stay_on_this_site(page)
        page.goto(url + f"search/?topic={OLD}")
        status = "document.getElementById('search-status').textContent"
        page.wait_for_function(f"/paper/.test({status})")
        assert page.evaluate(status) == f"{expected} papers."
        page.close()
    assert expected > 10


def test_the_old_feeds_keep_their_ids_and_papers(renamed) -> None:
    before, site = renamed
    was = feedparser.parse((before / "topics" / OLD / "feed.xml").read_bytes())
    old = feedparser.parse((site / "topics" / OLD / "feed.xml").read_bytes())
    new = feedparser.parse((site / "topics" / NEW / "feed.xml").read_bytes())
    assert old.feed.id == was.feed.id != new.feed.id
    ids = [e.id for e in was.entries]
    assert ids and [e.id for e in old.entries] == ids == [e.id for e in new.entries]
    assert old.feed.link == new.feed.link  # both lead to the topic's page now
    assert old.feed.link.endswith(f"/topics/{NEW}/")
    was_json = json.loads((before / "topics" / OLD / "feed.json").read_bytes())
    old_json = json.loads((site / "topics" / OLD / "feed.json").read_bytes())
    assert old_json["feed_url"] == was_json["feed_url"]
    assert [i["id"] for i in old_json["items"]] == [i["id"] for i in was_json["items"]]


def test_the_old_data_file_is_the_topics_data(renamed) -> None:
    before, site = renamed
    old = json.loads((site / "topics" / OLD / "papers.json").read_bytes())
    assert old == json.loads((site / "topics" / NEW / "papers.json").read_bytes())
    was = json.loads((before / "topics" / OLD / "papers.json").read_bytes())
    assert [p["slug"] for p in old["papers"]] == [p["slug"] for p in was["papers"]]
    assert old["slug"] == NEW


@pytest.mark.parametrize(
    ("formerly", "says"),
    [
        ("[compression]", "formerly 'compression' is the slug of a topic now"),
        ("[Old Name]", "'formerly' must be a list of old slugs"),
        ("old-peft", "'formerly' must be a list of old slugs"),
    ],
)
def test_a_formerly_that_cannot_work_is_an_error(tmp_path: Path, formerly: str, says: str) -> None:
    project = copy_project(tmp_path)
    topics = project / "content" / "topics.yml"
    line = topics.read_text(encoding="utf-8").splitlines().index(f"  - slug: {OLD}") + 1
    assert "  - slug: compression\n" in topics.read_text(encoding="utf-8")
    rename(project, OLD, NEW, formerly)
    result = digest_check(project)
    assert result.returncode == 1
    expected = f"content/topics.yml:{line}: error: topic {NEW!r}: " if "slug of" in says else ""
    assert any(says in row and row.startswith(expected) for row in result.stderr.splitlines()), (
        result.stderr
    )


def test_two_topics_cannot_claim_one_old_slug(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rename(project, OLD, NEW, "[adapters]")
    rename(project, "compression", "model-compression", "[adapters]")
    result = digest_check(project)
    assert result.returncode == 1
    assert "formerly 'adapters' is also listed by topic" in result.stderr, result.stderr


def test_a_topic_cannot_take_the_topics_pages_address(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    topics = project / "content" / "topics.yml"
    line = topics.read_text(encoding="utf-8").splitlines().index(f"  - slug: {OLD}") + 1
    rename(project, OLD, "index", f"[{OLD}]")
    result = digest_check(project)
    assert result.returncode == 1
    expected = f"content/topics.yml:{line}: error: topic 'index': 'index' is the Topics page"
    assert expected in result.stderr, result.stderr


def test_notes_and_the_cli_may_still_name_a_topic_by_its_old_slug(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    note = project / "content" / "notes" / "normuon.md"
    assert "training-systems" in note.read_text(encoding="utf-8")  # its note adds the topic
    listed = json.loads(run_digest(project, "list", "--json").stdout)
    before = next(p["topics"] for p in listed if p["slug"].startswith("normuon"))
    assert "training-systems" in before
    rename(project, "training-systems", "systems", "[training-systems]")
    check = digest_check(project)
    assert check.returncode == 0, check.stderr
    listed = json.loads(run_digest(project, "list", "--json").stdout)
    after = next(p["topics"] for p in listed if p["slug"].startswith("normuon"))
    assert after == ["systems" if t == "training-systems" else t for t in before]
    by_old = run_digest(project, "list", "--topic", "training-systems", "--json")
    assert by_old.returncode == 0, by_old.stderr
    assert any(p["slug"].startswith("normuon") for p in json.loads(by_old.stdout))


def test_a_good_rename_checks_clean(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rename(project, OLD, NEW, f"[{OLD}, lora-and-adapters]")
    result = digest_check(project)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr


@pytest.mark.parametrize(
    ("directory_urls", "path", "link"),
    [
        (True, f"topics/{OLD}/index.html", f"../{NEW}/"),
        (False, f"topics/{OLD}.html", f"{NEW}.html"),
    ],
)
def test_the_redirect_works_with_either_kind_of_url(
    directory_urls: bool, path: str, link: str
) -> None:
    topic = Topic(NEW, "A <b>bold</b> name", "About it.", (), (OLD,))
    settings = SiteSettings(site_url="https://example.org/d/", use_directory_urls=directory_urls)
    pages = moved_topic_pages(Taxonomy((topic,)), settings)
    assert list(pages) == [path]
    html = pages[path].decode()
    assert f'content="0; url={link}"' in html and f'href="{link}"' in html
    assert "https://example.org/d/topics/" in html
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html  # a name is text


def test_a_renamed_topics_introduction_says_what_to_rename_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "content" / "topics").mkdir(exist_ok=True)
    intro = project / "content" / "topics" / "training-systems.md"
    intro.write_text("How models are trained at scale.\n", encoding="utf-8")
    rename(project, "training-systems", "systems", "[training-systems]")
    check = digest_check(project)
    assert check.returncode == 1
    assert (
        "content/topics/training-systems.md: error: the topic 'training-systems' is 'systems' "
        "now (topics.yml): rename this file systems.md"
    ) in check.stderr, check.stderr
