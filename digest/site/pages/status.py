"""The Status page (each listing, the days without one, when the site was built) and
freshness.json, the newest listing's date for the "behind" banner."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import pairwise
from typing import Any

from ...model import Digest, SiteSettings
from .lookups import Lookups
from .paths import STATUS, page_url
from .records import PageRecord, page_record

FRESHNESS = "freshness.json"


@dataclass(frozen=True)
class ListingRow:
    listing: str
    date: date
    papers: int
    new: int


def status_page(index: Lookups) -> PageRecord:
    """Each listing with its counts, and the days between listings that have none."""
    listed: dict[str, int] = defaultdict(int)
    first: dict[str, int] = defaultdict(int)
    for paper in index.digest.papers:
        for name in {a.listing for a in paper.appearances}:
            listed[name] += 1
        first[paper.appearances[0].listing] += 1
    rows = [
        ListingRow(listing.name, listing.date, listed[listing.name], first[listing.name])
        for listing in index.digest.listings
    ]
    dates = sorted({row.date for row in rows})
    return page_record(
        STATUS, "status.md.j2", "Status", "Each listing the digest was built from, and the gaps",
        rows=list(reversed(rows)), gaps=_gaps(dates), newest=dates[-1] if dates else None,
    )  # fmt: skip


def _gaps(dates: list[date]) -> list[tuple[date, date]]:
    """Runs of days with no listing between the first and the newest listing."""
    return [
        (date.fromordinal(a.toordinal() + 1), date.fromordinal(b.toordinal() - 1))
        for a, b in pairwise(dates)
        if b.toordinal() - a.toordinal() > 1
    ]


def source_date(epoch: str | None) -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time; unset, not a number of seconds ("²", which
    isdigit() passes) or past the years a date holds (milliseconds given) means none."""
    if not epoch or not re.fullmatch(r"[0-9]+", epoch.strip()):
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def freshness_file(digest: Digest, settings: SiteSettings) -> dict[str, bytes]:
    """freshness.json, which the "behind" banner reads in the visitor's browser: the newest
    listing's date is in this one small file rather than on every page, so that a new day's
    listing leaves the pages that do not show it as they were."""
    newest = digest.newest_listing
    facts = {
        "newest_listing": newest.isoformat() if newest else "",
        "stale_after_days": settings.stale_after_days,
    }
    return {FRESHNESS: (json.dumps(facts, sort_keys=True) + "\n").encode()}


def built_text(settings: SiteSettings, newest: date | None) -> str:
    """When the site was built, as the Status page says it: SOURCE_DATE_EPOCH, or else the
    newest listing's date (what the build date is pinned to), so the same content gives the
    same page."""
    if settings.built:
        return settings.built.strftime("%Y-%m-%d %H:%M UTC")
    return newest.isoformat() if newest else "unknown"


def theme_facts(settings: SiteSettings) -> dict[str, Any]:
    """What every page's frame needs of the digest (mkdocs.yml's extra.digest): only
    addresses, the same on every build, so a page's HTML changes only with what it shows."""
    return {
        "status": page_url(STATUS, settings.use_directory_urls),
        "freshness": FRESHNESS,
    }
