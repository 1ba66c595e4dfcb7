"""The charts' time axis: an issue a column while there are few, then weeks, months, years."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from digest.pipeline import generate
from digest.site.pages.timeline import MOST_COLUMNS, timeline

ROOT = Path(__file__).resolve().parent.parent


def days(start: date, count: int, step: int = 1) -> list[date]:
    return [start + timedelta(days=n * step) for n in range(count)]


def test_few_issues_are_a_column_each_and_many_are_grouped_by_week_month_or_year() -> None:
    assert timeline(days(date(2026, 3, 1), 60)).unit == "issue"
    weekly = timeline(days(date(2026, 3, 1), 61))
    assert weekly.unit == "week" and weekly.labels[0] == "2026-W09"
    assert [len(group) for group in weekly.groups][:2] == [1, 7]  # a Sunday, then a week
    assert timeline(days(date(2020, 12, 31), 61)).labels[:2] == ("2020-W53", "2021-W01")
    assert timeline(days(date(2026, 1, 1), 500)).unit == "month"
    years = timeline(days(date(2020, 1, 1), 6 * 365))
    assert years.unit == "year" and years.labels == tuple(map(str, range(2020, 2026)))
    assert timeline([]).labels == ()


def test_a_year_of_daily_issues_charts_weeks_each_paper_counted_once(tmp_path: Path) -> None:
    """431 daily issues drew 11,000 columns that held a browser for some 40 seconds."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("sources"))
    (content / "sources").mkdir()
    shutil.rmtree(content / "notes")
    start = date(2026, 1, 1)
    for n, day in enumerate(days(start, 120)):
        items = [
            {"paper": {"title": f"Sparse attention study {n} {k}", "summary": "We study it."}}
            for k in range(2)
        ]
        if n % 7 == 1:  # listed again the next day: one paper of that week, not two
            items.append({"paper": {"title": f"Sparse attention study {n - 1} 0"}})
        name = f"{day.isoformat()}-hf-daily.json"
        (content / "sources" / name).write_text(json.dumps(items), encoding="utf-8")
    pages = generate(content, ROOT / "site_templates").pages
    stats = pages["statistics.md"]
    assert "## Papers per week" in stats and "Papers per issue" not in stats
    rows = dict(re.findall(r"^\| (\d{4}-W\d\d) \| (\d+) \|$", stats, re.MULTILINE))
    assert len(rows) <= MOST_COLUMNS and rows["2026-W02"] == "14"  # 7 days, 2 new papers each
    assert stats.count("<rect") <= 30 * MOST_COLUMNS
    topic = next(
        page
        for path, page in pages.items()
        if path.startswith("topics/") and "Papers per week, as numbers" in page
    )
    assert "2026-W02" in topic
