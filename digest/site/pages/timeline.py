"""The time axis of the charts: one column an issue while they are few, else a week, a
month or a year, so that a chart of years of daily issues stays a few dozen columns (at
431 issues, the Statistics page's 11,000 columns held a browser for 40 seconds)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

MOST_COLUMNS = 60


def week_key(day: date) -> str:
    """An ISO week as editions and charts name it: 2026-W12."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# Finest first; a year is the coarsest, whatever the count.
UNITS: tuple[tuple[str, Callable[[date], str]], ...] = (
    ("issue", date.isoformat),
    ("week", week_key),
    ("month", lambda day: f"{day:%Y-%m}"),
    ("year", lambda day: f"{day:%Y}"),
)


@dataclass(frozen=True)
class Timeline:
    unit: str  # "issue", "week", "month" or "year"
    labels: tuple[str, ...]  # oldest first
    groups: tuple[tuple[int, ...], ...]  # each label's issues, as indices of the days given

    @property
    def each(self) -> str:
        """What one column counts, in words: "each issue", "each week's issues"..."""
        return "each issue" if self.unit == "issue" else f"each {self.unit}'s issues"


def timeline(days: Sequence[date]) -> Timeline:
    """The finest unit that gives at most MOST_COLUMNS columns for the issues' days
    (given oldest first)."""
    for unit, key in UNITS:  # noqa: B007 (the unit the loop stops at is the one used)
        keys = [key(day) for day in days]
        labels = tuple(dict.fromkeys(keys))
        if len(labels) <= MOST_COLUMNS:
            break
    place = {label: n for n, label in enumerate(labels)}
    groups: list[list[int]] = [[] for _ in labels]
    for n, label in enumerate(keys):
        groups[place[label]].append(n)
    return Timeline(unit, labels, tuple(map(tuple, groups)))
