"""A page as planned: its path, template, front matter and data; lists split into pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .paths import paged_path


@dataclass(frozen=True)
class PageRecord:
    """One generated page: its source path, its template, its front matter and its data."""

    path: str
    template: str
    meta: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LaterRecord:
    """A page whose record is made when the page is rendered. A paper page's record holds
    some 5 KB of front matter and links: 50,000 of them at once came to 250 MB, and made
    by whichever process renders the page, their making is shared between cores too."""

    path: str
    template: str
    make: Callable[[], PageRecord]


PagePlan = PageRecord | LaterRecord


def record_of(page: PagePlan) -> PageRecord:
    return page.make() if isinstance(page, LaterRecord) else page


def page_record(
    path: str, template: str, title: str, description: str = "", **context: Any
) -> PageRecord:
    meta: dict[str, Any] = {"title": escape(title)}
    if description:
        meta["description"] = escape(description)
    return PageRecord(path, template, meta, {"title": title, **context})


PER_PAGE = 100  # list pages split rather than grow with the number of papers


@dataclass(frozen=True)
class Pager:
    """Where one page of a list stands among its pages."""

    number: int
    paths: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None


def paginated(page: PageRecord) -> list[PageRecord]:
    """A list page split into pages (feeds on the first only): each page after the first
    holds PER_PAGE papers, counted from the oldest, and the first the rest, between half
    and one and a half times PER_PAGE (or all, in a short list). A list grows at its
    start (the newest papers, or an issue's picks), so a day's new papers change its first
    page only, until there are enough for one more page; a reader's link to a later page
    keeps showing the same papers meanwhile."""
    papers = page.context["papers"]
    sizes = page_sizes(len(papers))
    paths = tuple(paged_path(page.path, n) for n in range(1, len(sizes) + 1))
    pages, start = [], 0
    for number, (path, size) in enumerate(zip(paths, sizes, strict=True), start=1):
        chunk = papers[start : start + size]
        start += size
        meta = dict(page.meta) if number == 1 else _later_meta(page.meta, number)
        # Lists repeat each paper's teaser: left out of the search index, they neither
        # outrank the paper's own page nor make the index every visitor downloads bigger.
        meta["search"] = {"exclude": True}
        context = {
            **page.context,
            "papers": chunk,
            "pager": Pager(number, paths),
            "total": len(papers),
        }
        pages.append(PageRecord(path, page.template, meta, context))
    return pages


def page_sizes(count: int) -> list[int]:
    """How many papers each page of a list of count papers holds, first page first."""
    later = max(0, (count + PER_PAGE // 2) // PER_PAGE - 1)
    return [count - later * PER_PAGE] + [PER_PAGE] * later


def _later_meta(meta: dict[str, Any], number: int) -> dict[str, Any]:
    later = {k: v for k, v in meta.items() if k != "feeds"}
    later["title"] = f"{meta['title']} (page {number})"
    return later
