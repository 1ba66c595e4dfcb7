"""Organisations: a page per organisation with its papers, and the list of them all."""

from __future__ import annotations

from ...papers.orgs import Organisation
from .lookups import Lookups
from .paths import ORGS, feed_links, org_path
from .records import PageRecord, page_record


def orgs_page(index: Lookups) -> PageRecord | None:
    """orgs/, most papers first; none when no paper names an organisation."""
    if not index.orgs:
        return None
    return page_record(
        ORGS, "orgs.md.j2", "Organisations", "The organisations behind the papers",
        orgs=[(org_path(org.slug), org.name, len(org.papers)) for org in index.orgs],
    )  # fmt: skip


def org_page(index: Lookups, org: Organisation) -> PageRecord:
    feed = f"orgs/{org.slug}/feed.xml"
    page = page_record(
        org_path(org.slug), "org.md.j2", org.name, f"Papers from {org.name}, newest first",
        name=org.name, papers=index.items(org.papers), feed=feed,
    )  # fmt: skip
    page.meta["feeds"] = feed_links(feed, org.name)
    return page
