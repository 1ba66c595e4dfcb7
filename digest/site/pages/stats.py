"""The Statistics page: charts of what the field is doing, each with its numbers."""

from __future__ import annotations

from collections.abc import Iterable

from ...text import plain_text
from .. import charts
from .lookups import Lookups
from .paths import STATS
from .records import PageRecord, page_record

TOP_UPVOTED = 15


def stats_page(index: Lookups) -> PageRecord:
    """Charts of what the field is doing, each with its numbers as a table beside it."""
    axis = index.timeline
    days, sizes, unit, each = list(axis.labels), index.period_sizes, axis.unit, axis.each
    counted = index.counted_topics()
    shares = {t.name: index.per_period(t.slug) for t, _ in counted}
    ranked = sorted(index.papers.values(), key=lambda p: (-(p.upvotes or 0), p.slug))
    top = [p for p in ranked if p.upvotes][:TOP_UPVOTED]
    context = {
        "unit": unit,
        "per_issue": charts.column_chart(
            f"Papers per {unit}", days, sizes, f"How many papers {each} listed, oldest first."
        ),
        "per_issue_table": rows_table([unit.capitalize(), "Papers"], zip(days, sizes, strict=True)),
        "per_topic": charts.bar_chart(
            "Papers per topic", [t.name for t, _ in counted], [n for _, n in counted],
            "How many papers each topic holds; a paper can have up to three topics.",
        ),
        "per_topic_table": rows_table(["Topic", "Papers"], ((t.name, n) for t, n in counted)),
        "shares": charts.small_multiples(
            f"Each topic's share of {each}", shares, days,
            f"For each topic, the percentage of the papers of {each} that have it.", totals=sizes,
            each=each,
        ),
        "shares_table": rows_table(["Topic", *days], ((name, *v) for name, v in shares.items())),
        "upvoted": charts.bar_chart(
            "Most upvoted papers", [plain_text(p.title) for p in top], [p.upvotes for p in top],
            "The papers with the most upvotes on the listing pages.",
        ),
        "top": index.items(top),
    }  # fmt: skip
    description = f"Papers per {unit} and per topic, and the most upvoted"
    return page_record(STATS, "statistics.md.j2", "Statistics", description, **context)


def rows_table(headers: list[str], rows: Iterable[Iterable[str | int]]) -> str:
    return charts.data_table(headers, [list(row) for row in rows])
