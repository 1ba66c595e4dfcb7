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
    """A list page split into pages of at most PER_PAGE papers (feeds on the first only)."""
    papers = page.context["papers"]
    count = max(1, -(-len(papers) // PER_PAGE))
    paths = tuple(paged_path(page.path, n) for n in range(1, count + 1))
    pages = []
    for number, path in enumerate(paths, start=1):
        chunk = papers[(number - 1) * PER_PAGE : number * PER_PAGE]
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


def _later_meta(meta: dict[str, Any], number: int) -> dict[str, Any]:
    later = {k: v for k, v in meta.items() if k != "feeds"}
    later["title"] = f"{meta['title']} (page {number})"
    return later
