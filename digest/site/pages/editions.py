"""Weekly and monthly editions: the papers of a week's (or month's) issues, once each, the
editor's picks and the top papers first, then all of them by main topic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ...model import Issue, Paper
from .lookups import Lookups, newest_first
from .paths import EDITIONS, WEEKS_FEED, feed_links, issue_path, month_path, week_path
from .records import PageRecord, page_record
from .timeline import week_key

TOP = 10  # the picks and the most upvoted papers an edition opens with


@dataclass(frozen=True)
class Edition:
    """A week (ISO: 2026-W12 is Monday 2026-03-16 to Sunday 2026-03-22) or a month."""

    key: str
    path: str
    title: str
    first: date
    last: date
    issues: tuple[Issue, ...]


def weeks(issues: Iterable[Issue]) -> list[Edition]:
    """The weeks that have an issue, oldest first."""
    return _grouped(issues, week_key, _week_edition)


def months(issues: Iterable[Issue]) -> list[Edition]:
    """The months that have an issue, oldest first."""
    return _grouped(issues, lambda day: f"{day.year}-{day.month:02d}", _month_edition)


def _grouped(
    issues: Iterable[Issue],
    key: Callable[[date], str],
    make: Callable[[str, tuple[Issue, ...]], Edition],
) -> list[Edition]:
    groups: dict[str, list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: i.date):
        groups.setdefault(key(issue.date), []).append(issue)
    return [make(k, tuple(group)) for k, group in groups.items()]


def _week_edition(key: str, issues: tuple[Issue, ...]) -> Edition:
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return Edition(key, week_path(key), f"Week {key}", monday, monday + timedelta(days=6), issues)


def _month_edition(key: str, issues: tuple[Issue, ...]) -> Edition:
    first = date.fromisoformat(f"{key}-01")
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Edition(key, month_path(key), first.strftime("%B %Y"), first, last, issues)


def edition_shown(edition: Edition, shown: Mapping[str, Paper]) -> list[Paper]:
    """The edition's papers that are shown, each once, in the order its issues list them."""
    slugs = (slug for issue in edition.issues for slug in issue.slugs)
    return [shown[s] for s in dict.fromkeys(slugs) if s in shown]


def top_papers(
    edition: Edition, shown: Mapping[str, Paper], picked: Collection[str]
) -> list[Paper]:
    """The editor's picks, then the most upvoted, then those most of its issues listed."""
    listed = Counter(slug for issue in edition.issues for slug in issue.slugs)
    return sorted(
        edition_shown(edition, shown),
        key=lambda p: (p.slug not in picked, -(p.upvotes or 0), -listed[p.slug], p.slug),
    )[:TOP]


def edition_papers(index: Lookups, edition: Edition) -> tuple[list[Paper], list[Paper]]:
    """The edition's top papers and all its papers by main topic (the taxonomy's order,
    unsorted last), newest first within a topic."""
    papers = edition_shown(edition, index.papers)
    top = top_papers(edition, index.papers, index.picked)
    order = {t.slug: n for n, t in enumerate(index.digest.taxonomy.topics)}
    topics_of = index.digest.topics_of

    def by_main_topic(paper: Paper) -> tuple[int, tuple[int, int, str]]:
        scores = topics_of.get(paper.slug, ())
        return (order.get(scores[0].slug, len(order)) if scores else len(order)), newest_first(
            paper
        )

    return top, sorted(papers, key=by_main_topic)


def weeks_of(month: Edition, all_weeks: Iterable[Edition]) -> list[Edition]:
    """The weeks that have an issue of the month (a week may span two months)."""
    return [week for week in all_weeks if not set(week.issues).isdisjoint(month.issues)]


def edition_pages(
    index: Lookups, editions: list[Edition], all_weeks: Iterable[Edition] = ()
) -> list[PageRecord]:
    """One page per edition, linking its issues, the editions before and after it, and
    those of `all_weeks` it has issues of (a month's weeks)."""
    all_weeks = list(all_weeks)
    pages = []
    for n, edition in enumerate(editions):
        top, papers = edition_papers(index, edition)
        parts = weeks_of(edition, all_weeks)
        pages.append(
            page_record(
                edition.path,
                "edition.md.j2",
                edition.title,
                f"The papers of {edition.first.isoformat()} to {edition.last.isoformat()}",
                edition=edition,
                top=index.items(top),
                papers=index.items(papers),
                before=editions[n - 1] if n else None,
                after=editions[n + 1] if n + 1 < len(editions) else None,
                issue_links=[(i.date.isoformat(), issue_path(i.date)) for i in edition.issues],
                weeks=[(w.title, w.path) for w in parts],
            )
        )
    return pages


def editions_page(index: Lookups) -> PageRecord | None:
    """weeks/: every month's edition, newest first, each with its weeks and their sizes."""
    all_weeks = weeks(index.digest.issues)
    if not all_weeks:
        return None
    rows = []
    for month in reversed(months(index.digest.issues)):
        rows.append((
            month.title, month.path, len(edition_shown(month, index.papers)),
            [(w.key, w.path, len(edition_shown(w, index.papers)))
             for w in weeks_of(month, all_weeks)],
        ))  # fmt: skip
    page = page_record(
        EDITIONS, "editions.md.j2", "Editions", "The weekly and monthly editions", rows=rows
    )
    page.meta["feeds"] = feed_links(WEEKS_FEED, "Weekly editions")
    return page
