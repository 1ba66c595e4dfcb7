"""Weekly and monthly editions: every paper of their issues once, the top papers first."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest

from digest.model import Issue
from digest.site.pages.editions import months, weeks

from conftest import copy_project, run_digest

# A paper in a list: the lists are HTML, linking to the paper's address (not its source).
PAPER_LINK = re.compile(r'<a href="(?:\.\./)+papers/([a-z0-9-]+)/">')


def issue(day: str, *slugs: str) -> Issue:
    return Issue(date.fromisoformat(day), ("x",), slugs)


def test_a_week_is_an_iso_week_and_only_weeks_with_an_issue_have_an_edition() -> None:
    found = weeks([issue("2026-03-22", "b"), issue("2026-03-16", "a"), issue("2026-03-30", "c")])
    assert [w.key for w in found] == ["2026-W12", "2026-W14"]  # no issue in W13: no edition
    assert (found[0].first, found[0].last) == (date(2026, 3, 16), date(2026, 3, 22))
    assert [i.date.day for i in found[0].issues] == [16, 22]
    assert found[0].path == "weeks/2026-W12.md"
    # ISO years: 2025-12-29 is in 2026's first week.
    assert [w.key for w in weeks([issue("2025-12-29", "d")])] == ["2026-W01"]


def test_a_month_holds_its_issues() -> None:
    found = months([issue("2026-02-28", "a"), issue("2026-03-01", "b"), issue("2026-03-31", "c")])
    assert [(m.key, m.title, len(m.issues)) for m in found] == [
        ("2026-02", "February 2026", 1),
        ("2026-03", "March 2026", 2),
    ]
    assert found[0].last == date(2026, 2, 28) and found[1].last == date(2026, 3, 31)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("editions"))
    out = project / "out"
    result = run_digest(project, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def pages_of(out: Path, path: str) -> list[str]:
    """An edition's Markdown, page 1 first, then page-2, page-3..."""
    first = out / path
    more = sorted(
        (first.with_suffix("")).glob("page-*.md"), key=lambda p: int(p.stem.split("-")[1])
    )
    return [p.read_text(encoding="utf-8") for p in [first, *more]]


def week_keys(out: Path) -> list[str]:
    """The weeks with an edition, oldest first (weeks/index.md is the overview)."""
    return sorted(p.stem for p in (out / "weeks").glob("*.md") if p.stem != "index")


def issue_slugs(out: Path, day: str) -> set[str]:
    text = "".join(pages_of(out, f"issues/{day}.md"))
    return set(PAPER_LINK.findall(text))


def test_every_week_lists_every_paper_of_its_issues_once(out: Path) -> None:
    days = sorted(p.stem for p in (out / "issues").glob("*.md") if p.stem != "index")
    expected: dict[str, set[str]] = {}
    for day in days:
        year, week, _ = date.fromisoformat(day).isocalendar()
        expected.setdefault(f"{year}-W{week:02d}", set()).update(issue_slugs(out, day))
    assert week_keys(out) == sorted(expected)
    for key, slugs in expected.items():
        pages = pages_of(out, f"weeks/{key}.md")
        listed = [
            slug
            for page in pages
            for slug in PAPER_LINK.findall(page.split("## All papers by main topic", 1)[1])
        ]
        assert sorted(listed) == sorted(slugs), key  # each paper once
        for day in days:
            linked = f"](../issues/{day}.md)" in pages[0]
            assert linked == (day in {d for d in days if _week(d) == key}), (key, day)
        top = PAPER_LINK.findall(pages[0].split("## All papers by main topic", 1)[0])
        assert 0 < len(top) <= 10 and set(top) <= slugs
        assert all("## The editor's picks" not in page for page in pages[1:])


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def test_weeks_link_the_weeks_before_and_after(out: Path) -> None:
    keys = week_keys(out)
    for n, key in enumerate(keys):
        page = (out / "weeks" / f"{key}.md").read_text(encoding="utf-8")
        assert ("[← Week" in page) == (n > 0), key
        assert bool(re.search(r"\[Week \S+ →\]", page)) == (n + 1 < len(keys)), key
        if n > 0:
            assert f"[← Week {keys[n - 1]}]({keys[n - 1]}.md)" in page
        if n + 1 < len(keys):
            assert f"[Week {keys[n + 1]} →]({keys[n + 1]}.md)" in page


def test_the_issues_archive_links_each_months_edition(out: Path) -> None:
    archive = (out / "issues" / "index.md").read_text(encoding="utf-8")
    editions = sorted(p.stem for p in (out / "months").glob("*.md"))
    assert editions == ["2025-12", "2026-03"]
    for key in editions:
        assert f"(../months/{key}.md)" in archive
    march = (out / "months" / "2026-03.md").read_text(encoding="utf-8")
    for week in ("2026-W11", "2026-W12", "2026-W13"):
        assert f"(../weeks/{week}.md)" in march


def test_the_weekly_feed_has_each_week_with_its_top_papers(out: Path) -> None:
    feed = feedparser.parse((out / "weeks" / "feed.xml").read_bytes())
    keys = week_keys(out)[::-1]
    assert [e.title for e in feed.entries] == [f"Week {key}" for key in keys]  # newest first
    data = json.loads((out / "weeks" / "feed.json").read_bytes())
    for key, item in zip(keys, data["items"], strict=True):
        page = (out / "weeks" / f"{key}.md").read_text(encoding="utf-8")
        top = PAPER_LINK.findall(page.split("## All papers by main topic", 1)[0])
        linked = re.findall(r'<a href="[^"]*/papers/([a-z0-9-]+)/">', item["content_html"])
        assert linked == top, key
        assert item["url"].endswith(f"/weeks/{key}/")
    # Published with the week's first issue; updated with each issue after it.
    days = sorted(date.fromisoformat(p.stem) for p in (out / "issues").glob("????-??-??.md"))
    for key, entry in zip(keys, feed.entries, strict=True):
        week = [d for d in days if f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" == key]
        assert entry.published.startswith(week[0].isoformat()), key
        assert entry.updated.startswith(week[-1].isoformat()), key
    assert data["home_page_url"].endswith("/weeks/")  # the Editions page, which lists them
    assert feed.feed.link.endswith("/weeks/")
    for announced in ("index.md", "issues/index.md"):
        assert "href: weeks/feed.xml" in (out / announced).read_text(encoding="utf-8")


def test_the_editions_page_lists_every_month_and_week(out: Path) -> None:
    overview = (out / "weeks" / "index.md").read_text(encoding="utf-8")
    for key in week_keys(out):
        page = (out / "weeks" / f"{key}.md").read_text(encoding="utf-8")
        total = re.search(r"^(\d+) papers? from the issues? of", page, re.M)
        assert total and f"[{key}]({key}.md) ({total.group(1)})" in overview, key
    for key in (p.stem for p in (out / "months").glob("*.md")):
        assert f"(../months/{key}.md)" in overview


def test_the_navigation_gains_editions_and_organisations_not_their_pages() -> None:
    from digest.pipeline import generate
    from digest.site.nav import navigation

    root = Path(__file__).resolve().parent.parent
    generated = generate(root / "content", root / "site_templates")
    nav = navigation(generated.digest.taxonomy, generated.pages, [])
    flat = json.dumps(nav)
    assert '"Editions": "weeks/index.md"' in flat
    assert '"Organisations": "orgs/index.md"' in flat
    assert '"Reading lists": "tags/index.md"' in flat
    assert "weeks/20" not in flat and "months/" not in flat and "orgs/inclusionai" not in flat


def test_a_year_of_weekly_editions_is_in_the_feed_and_each_says_its_issues(
    tmp_path: Path,
) -> None:
    """The weekly feed grew by an entry a week for good (153 after three years, the
    largest feed of the site): it carries the newest 52. A week's page named the days of
    its calendar (a day to come, a day with no issue) as its issues' first and last."""
    project = copy_project(tmp_path)
    sources = project / "content" / "sources"
    for old in [*sources.iterdir(), *(project / "content" / "notes").iterdir()]:
        old.unlink()  # the notes name seed papers
    abstract = "We study a method that works. It works on many benchmarks, as we show."
    first = date(2025, 1, 7)  # a Tuesday: each week's issue falls mid-week
    for n in range(60):
        day = first + timedelta(weeks=n)
        (sources / f"{day.isoformat()}-daily.txt").write_text(
            f"Paper Number {n}\n{abstract}\n", encoding="utf-8"
        )
    extra = first + timedelta(weeks=59, days=1)  # the newest week holds two issues
    (sources / f"{extra.isoformat()}-daily.txt").write_text(
        f"Paper Extra\n{abstract}\n", encoding="utf-8"
    )
    out = project / "out"
    result = run_digest(project, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((out / "weeks" / "feed.xml").read_bytes())
    keys = week_keys(out)
    assert len(keys) == 60
    assert [e.title for e in feed.entries] == [f"Week {key}" for key in keys[::-1][:52]]
    items = json.loads((out / "weeks" / "feed.json").read_bytes())["items"]
    assert len(items) == 52
    newest = (out / "weeks" / f"{keys[-1]}.md").read_text(encoding="utf-8")
    last_day = first + timedelta(weeks=59)
    assert f"from the issues of {last_day} to {extra}: " in newest
    single = (out / "weeks" / f"{keys[0]}.md").read_text(encoding="utf-8")
    assert f"1 paper from the issue of {first}: " in single
