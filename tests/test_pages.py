"""Generated pages: front matter that parses back, and the page set a reader expects."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from html import escape
from pathlib import Path

import feedparser
import pytest
import yaml

from digest.model import SiteSettings
from digest.papers.merge import slug_for
from digest.pipeline import Generated, generate
from digest.site.pages import records
from digest.site.pages.home import HOME_LATEST
from digest.site.pages.records import page_sizes
from digest.site.redirects import moved_paper_pages
from digest.text import plain_text
from digest.tools.bench import child_add_day, make_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(ROOT / "content", ROOT / "site_templates")


def split_front_matter(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n")
    head, body = markdown[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_every_page_starts_with_front_matter_that_parses(generated: Generated) -> None:
    for path, markdown in generated.pages.items():
        meta, body = split_front_matter(markdown)
        assert isinstance(meta, dict) and meta["title"], path
        assert body.strip(), path


def test_paper_front_matter_holds_the_paper(generated: Generated) -> None:
    digest = generated.digest
    for paper in digest.papers:
        meta, _ = split_front_matter(generated.pages[f"papers/{paper.slug}.md"])
        assert meta["title"] == escape(plain_text(paper.title))
        assert meta["slug"] == paper.slug
        assert meta["first_seen"] == paper.first_seen.isoformat()
        assert meta["published"] == (paper.published.isoformat() if paper.published else None)
        assert meta["upvotes"] == paper.upvotes
        assert meta["authors_count"] == paper.authors_count
        assert meta["organization"] == paper.organization
        assert meta["topics"] == [s.slug for s in digest.topics_of[paper.slug]]
        assert [x["listing"] for x in meta["listings"]] == [a.listing for a in paper.appearances]
        assert [x["url"] for x in meta["links"]] == [link.url for link in paper.links]
        assert 0 < len(meta["description"]) <= 160 * 1.2  # escaped text may grow


def test_the_page_set(generated: Generated) -> None:
    pages = set(generated.pages)
    digest = generated.digest
    assert {"index.md", "topics/index.md", "issues/index.md"} <= pages
    assert {f"topics/{t.slug}.md" for t in digest.taxonomy.topics} <= pages
    assert {f"issues/{i.date.isoformat()}.md" for i in digest.issues} <= pages
    assert {f"papers/{p.slug}.md" for p in digest.papers} <= pages
    unsorted = [p for p in digest.papers if not digest.topics_of[p.slug]]
    assert ("unsorted.md" in pages) == bool(unsorted)


def test_topic_pages_list_picks_first_then_newest_first(generated: Generated) -> None:
    digest = generated.digest
    by_slug = {p.slug: p for p in digest.papers}
    for topic in digest.taxonomy.topics:
        body = generated.pages[f"topics/{topic.slug}.md"]
        members = [
            s for s, scores in digest.topics_of.items() if topic.slug in {x.slug for x in scores}
        ]
        positions = sorted((body.index(f'../papers/{s}/"'), s) for s in members)
        order = [(not digest.is_pick(s), -by_slug[s].first_seen.toordinal()) for _, s in positions]
        assert order == sorted(order), topic.slug


def test_issue_pages_put_picks_first_keep_listing_order_and_mark_new(generated: Generated) -> None:
    digest = generated.digest
    by_slug = {p.slug: p for p in digest.papers}
    for issue in digest.issues:
        body = all_pages_of(generated, f"issues/{issue.date.isoformat()}.md")
        expected = sorted(issue.slugs, key=lambda s: not digest.is_pick(s))
        positions = [body.index(f'papers/{slug}/"') for slug in expected]
        assert positions == sorted(positions)
        seen_before = sum(1 for s in issue.slugs if by_slug[s].first_seen < issue.date)
        marks = re.findall(r'digest-facts">(?:[^<]*? · )?(new|seen before)(?: ·|<)', body)
        assert marks.count("seen before") == seen_before
        assert marks.count("new") == len(issue.slugs) - seen_before


def test_the_home_page_opens_the_latest_issue_with_its_best_papers(generated: Generated) -> None:
    digest = generated.digest
    latest = digest.issues[-1]
    assert len(latest.slugs) > HOME_LATEST  # the seeds' latest issue has 223 papers
    _, body = split_front_matter(generated.pages["index.md"])
    section = body.split("## Latest issue", 1)[1].split("## Topics", 1)[0]
    shown = re.findall(r'<a href="papers/([^/"]+)/">', section)
    by_slug = {p.slug: p for p in digest.papers}
    assert len(shown) == HOME_LATEST and set(shown) <= set(latest.slugs)
    upvotes = [by_slug[s].upvotes or 0 for s in shown if not digest.is_pick(s)]
    assert upvotes == sorted(upvotes, reverse=True)
    rest = [by_slug[s].upvotes or 0 for s in latest.slugs if s not in shown]
    assert max(rest) <= min(upvotes)
    assert f"the first {HOME_LATEST} of [all {len(latest.slugs)}]" in section


def all_pages_of(generated: Generated, path: str) -> str:
    """A list's pages, first to last, as one text."""
    stem = path.removesuffix(".md")
    more = sorted(
        (p for p in generated.pages if p.startswith(f"{stem}/page-")),
        key=lambda p: int(p.rsplit("-", 1)[1].removesuffix(".md")),
    )
    return "".join(generated.pages[p] for p in [path, *more])


def test_long_lists_are_split_into_pages_of_at_most_150(generated: Generated) -> None:
    for path, markdown in generated.pages.items():
        if path.startswith("papers/"):
            continue
        assert markdown.count("](../papers/") + markdown.count("](../../papers/") <= 160, path
    longest = max(generated.digest.issues, key=lambda i: len(i.slugs))
    assert len(longest.slugs) > 100  # the seeds have one: 223 papers on 2026-03-24
    stem = f"issues/{longest.date.isoformat()}"
    pages = [p for p in generated.pages if p == f"{stem}.md" or p.startswith(f"{stem}/page-")]
    assert len(pages) == len(page_sizes(len(longest.slugs))) > 1
    second = generated.pages[f"{stem}/page-2.md"]
    assert f"Page 2 of {len(pages)}" in second and "(../2026-03-24.md)" in second


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, [0]),
        (49, [49]),
        (149, [149]),
        (150, [50, 100]),
        (249, [149, 100]),
        (250, [50, 100, 100]),
    ],
)
def test_a_lists_first_page_takes_what_the_later_pages_leave(count: int, sizes: list[int]) -> None:
    assert page_sizes(count) == sizes


def test_a_new_days_papers_change_only_the_first_page_of_a_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list's later pages hold the same papers, and say the same, while new papers come
    in at its start: a reader's link to one stays good, and a rebuild redoes one page.
    (Pages of 20 papers: as many pages at 1,500 papers as pages of 100 at 7,500.)"""
    monkeypatch.setattr(records, "PER_PAGE", 20)
    make_project(ROOT, tmp_path, 1500)
    before = generate(tmp_path / "content", tmp_path / "site_templates").pages
    child_add_day(tmp_path, str(ROOT), "1500")  # 100 papers none of the 1,500 is
    after = generate(tmp_path / "content", tmp_path / "site_templates").pages
    # An issue's list never grows; the newest edition (week, month) is all new papers.
    growing = ("topics/", "orgs/", "with-code/", "kinds/", "picks/", "unsorted/")
    lists = {p.split("/page-")[0] for p in before if "/page-" in p and p.startswith(growing)}
    kept = changed = 0
    for stem in sorted(lists):
        paths = sorted(p for p in before if p.startswith(f"{stem}/page-"))
        if paths != sorted(p for p in after if p.startswith(f"{stem}/page-")):
            continue  # one more page: every page's number of pages changed
        kept += len(paths)
        assert all(before[p] == after[p] for p in paths), stem
        changed += before[f"{stem}.md"] != after[f"{stem}.md"]
    assert kept >= 50 and changed >= 10, (kept, changed)


def test_generation_is_deterministic(generated: Generated) -> None:
    again = generate(ROOT / "content", ROOT / "site_templates")
    assert again.pages == generated.pages


def test_a_topics_chart_is_on_its_first_page_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart and its table cover every issue: the pages after the first are its list."""
    monkeypatch.setattr(records, "PER_PAGE", 20)  # every topic has later pages
    make_project(ROOT, tmp_path, 700)
    pages = generate(tmp_path / "content", tmp_path / "site_templates").pages
    later = sorted(p for p in pages if p.startswith("topics/") and "/page-" in p)
    assert later, "no topic has a second page"
    for path in later:
        first = pages[path.split("/page-")[0] + ".md"]
        assert "digest-chart" in first and "Papers per issue, as numbers" in first
        page = pages[path]
        assert "digest-chart" not in page and "Papers per issue" not in page, path
        assert page.count('<a href="../../../papers/') >= 1, path


def test_one_paper_and_one_upvote_are_said_in_the_singular(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("sources", "notes"))
    (content / "sources").mkdir()
    item = {"paper": {"title": "A lone paper", "summary": "We study it.", "upvotes": 1}}
    (content / "sources" / "2027-01-03-hf-daily.json").write_text(json.dumps([item]), "utf-8")
    pages = generate(content, ROOT / "site_templates").pages
    issue = pages["issues/2027-01-03.md"]
    assert 'description: "1 paper listed on 2027-01-03"' in issue
    assert "\n1 paper: the editor's picks first" in issue and "1 upvote<" in issue
    assert "1 upvote" in pages["papers/a-lone-paper.md"]
    assert "1 paper from 1 issue," in pages["index.md"]
    assert ": 1 paper\n" in pages["issues/index.md"]
    assert " 1 papers" not in "".join(pages.values())


def test_a_paper_listed_under_a_new_title_leaves_a_redirect_at_its_old_address(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("sources", "notes"))
    (content / "sources").mkdir()
    days = {
        "2027-01-04": [("2701.00001", "Old Title"), ("2701.00002", "Other Paper")],
        "2027-01-05": [("2701.00001", "New Title"), ("2701.00003", "Other Title")],
        "2027-01-06": [("2701.00003", "Other Paper Renamed")],
    }
    for day, papers in days.items():
        items = [{"paper": {"id": i, "title": t, "summary": "We study it."}} for i, t in papers]
        (content / "sources" / f"{day}-hf-daily.json").write_text(json.dumps(items), "utf-8")
    generated = generate(content, ROOT / "site_templates")
    assert "papers/new-title.md" in generated.pages and "papers/old-title.md" not in generated.pages
    redirect = generated.files["papers/old-title/index.html"].decode()
    assert 'content="0; url=../new-title/"' in redirect and "New Title" in redirect
    # Its feeds' entry keeps the id of its first address: a reader does not see it anew.
    entry = next(
        e for e in feedparser.parse(generated.files["feed.xml"]).entries if e.title == "New Title"
    )
    assert entry.id.endswith("/papers/old-title/") and entry.link.endswith("/papers/new-title/")
    # "Other Title" was 2701.00003's page for a day; "Other Paper" is 2701.00002's.
    assert "other-paper-renamed/" in generated.files["papers/other-title/index.html"].decode()
    assert "papers/other-paper.md" in generated.pages


def test_no_redirect_is_made_where_another_paper_has_its_page(generated: Generated) -> None:
    first, second = generated.digest.papers[:2]
    moved = replace(first, former_slugs=(second.slug, "its-old-title"))
    files = moved_paper_pages([moved, second], frozenset(), SiteSettings())
    assert list(files) == ["papers/its-old-title/index.html"]
    assert moved_paper_pages([moved, second], frozenset({first.slug}), SiteSettings()) == {}


def test_feeds_list_papers_in_the_order_the_pages_do(generated: Generated) -> None:
    """Newest first, then the most upvoted: a day's papers in a feed were by slug, so an
    organisation's feed could carry another name than its page, and a feed's cut of 100
    other papers."""
    by_url = {f"/papers/{p.slug}/": p for p in generated.digest.papers}
    for path in [
        p for p in generated.files if p.endswith("feed.xml") and not p.startswith("weeks")
    ]:
        papers = [by_url[e.id] for e in feedparser.parse(generated.files[path]).entries]
        keys = [(-p.first_seen.toordinal(), -(p.upvotes or 0), p.slug) for p in papers]
        assert keys == sorted(keys), path


def test_a_note_written_for_a_papers_old_title_follows_it_to_the_new_one(
    tmp_path: Path,
) -> None:
    """`digest note new` names the paper by its slug; a hashed slug ("Über-...") does not
    read back as the title, and the note was an error once a listing retitled the paper."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("sources", "notes"))
    (content / "sources").mkdir()
    (content / "notes").mkdir()
    old = "Über-Scaling: Mixture of Experts"
    for day, title in (("2027-01-04", old), ("2027-01-05", f"{old} (v2)")):
        item = {"paper": {"id": "2701.00009", "title": title, "summary": "We study it."}}
        (content / "sources" / f"{day}-hf-daily.json").write_text(json.dumps([item]), "utf-8")
    old_slug = slug_for(old)
    assert "-" in old_slug and old_slug[-9] == "-"  # hashed
    note = f"---\npaper: {old_slug}\npick: true\n---\nWorth a [read](../papers/{old_slug}.md).\n"
    (content / "notes" / f"{old_slug}.md").write_text(note, "utf-8")
    generated = generate(content, ROOT / "site_templates")
    assert generated.problems == ()
    ((path, page),) = [(k, p) for k, p in generated.pages.items() if k.startswith("papers/uber-")]
    assert f"Worth a [read](../{path})." in page  # the link follows the paper too
