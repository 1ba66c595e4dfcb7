"""Organisations: a page per organisation with its papers, and the list of them all."""

from __future__ import annotations

from ...model import Paper
from .lookups import Lookups
from .paths import ORGS, feed_links, org_path
from .records import PageRecord, page_record


def org_name(papers: list[Paper]) -> str:
    """The name an organisation is shown by: its newest paper's (papers newest first)."""
    return next(p.organization for p in papers if p.organization)


def org_pages(index: Lookups) -> list[PageRecord]:
    """orgs/ (most papers first) and one page per organisation; none when no paper has one."""
    orgs = sorted(index.by_org.items(), key=lambda item: (-len(item[1]), item[0]))
    if not orgs:
        return []
    listed = [(slug, org_name(papers), len(papers)) for slug, papers in orgs]
    pages = [
        page_record(
            ORGS, "orgs.md.j2", "Organisations", "The organisations behind the papers",
            orgs=[(org_path(slug), name, count) for slug, name, count in listed],
        )
    ]  # fmt: skip
    for slug, papers in orgs:
        name = org_name(papers)
        feed = f"orgs/{slug}/feed.xml"
        page = page_record(
            org_path(slug), "org.md.j2", name, f"Papers from {name}, newest first",
            name=name, papers=index.items(papers), feed=feed,
        )  # fmt: skip
        page.meta["feeds"] = feed_links(feed, name)
        pages.append(page)
    return pages
