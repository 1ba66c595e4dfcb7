"""An issue's page (the papers of one day's listing) and the Issues archive by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from ...model import Issue
from ...text import counted
from .lookups import Lookups
from .paths import ISSUES, WEEKS_FEED, feed_links, issue_path, month_path
from .records import PageRecord, page_record


def issue_page(
    index: Lookups, issue: Issue, before: Issue | None, after: Issue | None
) -> PageRecord:
    papers = index.items(index.picks_first(index.issue_papers(issue)))
    day = issue.date.isoformat()
    title, description = f"Issue of {day}", f"{counted(len(papers), 'paper')} listed on {day}"
    return page_record(
        issue_path(issue.date), "issue.md.j2", title, description,
        issue=issue, papers=papers, before=before, after=after,
    )  # fmt: skip


def months(index: Lookups) -> tuple[Month, ...]:
    """Issues grouped by month, newest first, each with its paper count."""
    newest = sorted(index.digest.issues, key=lambda i: i.date, reverse=True)
    grouped = groupby(newest, key=lambda i: (i.date.year, i.date.month))
    return tuple(
        Month(
            date(year, month, 1).strftime("%B %Y"),
            tuple((i, index.issue_size(i)) for i in group),
            month_path(f"{year}-{month:02d}"),
        )
        for (year, month), group in grouped
    )


def issues_page(index: Lookups) -> PageRecord:
    description = "Every issue of the digest by month"
    page = page_record(ISSUES, "issues.md.j2", "Issues", description, months=months(index))
    page.meta["feeds"] = feed_links(WEEKS_FEED, "Weekly editions")
    return page


@dataclass(frozen=True)
class Month:
    label: str
    issues: tuple[tuple[Issue, int], ...]
    edition: str  # the month's edition page
