"""The lists across topics: Unsorted, the editor's picks, With code and the kinds of paper."""

from __future__ import annotations

from ...papers.kinds import KIND_BLURBS, KIND_NAMES
from .lookups import Lookups, newest_first
from .paths import PICKS, UNSORTED, WITH_CODE, feed_links, kind_path, with_code_path
from .records import PageRecord, page_record, paginated


def unsorted_pages(index: Lookups) -> list[PageRecord]:
    unsorted = index.unsorted()
    if not unsorted:
        return []
    return paginated(
        page_record(UNSORTED, "unsorted.md.j2", "Unsorted", papers=index.items(unsorted))
    )


def picks_pages(index: Lookups) -> list[PageRecord]:
    picks = index.picks()
    if not picks:
        return []
    description = "The papers the editors picked, newest first"
    page = page_record(
        PICKS, "picks.md.j2", "Editor's picks", description, papers=index.items(picks)
    )
    page.meta["feeds"] = feed_links("picks/feed.xml", "Editor's picks")
    return paginated(page)


def with_code_pages(index: Lookups) -> list[PageRecord]:
    """Papers that come with code: an overview with a count per topic, and one (paginated)
    list per topic, so no page grows with the number of papers."""
    groups = [
        (slug, name, [p for p in papers if p.slug in index.coded])
        for slug, name, papers in [
            *(
                (t.slug, t.name, index.by_topic.get(t.slug, []))
                for t in index.digest.taxonomy.topics
            ),
            ("unsorted", "Unsorted", index.unsorted()),
        ]
    ]
    groups = [(slug, name, papers) for slug, name, papers in groups if papers]
    count = len(index.coded)
    overview = page_record(
        WITH_CODE, "with-code.md.j2", "With code", "Papers that link to their code, by topic",
        groups=[(with_code_path(slug), name, len(papers)) for slug, name, papers in groups],
        count=count,
    )  # fmt: skip
    pages = [overview]
    for slug, name, papers in groups:
        pages += paginated(
            page_record(with_code_path(slug), "kind.md.j2", f"With code: {name}",
                  f"{name} papers that link to their code", name=f"With code: {name}",
                  blurb="they link to their code, newest first.", recognised=False,
                  papers=index.items(papers))
        )  # fmt: skip
    return pages


def kind_page(index: Lookups, kind: str) -> PageRecord:
    members = index.of_kind.get(kind, [])
    name = KIND_NAMES[kind]
    return page_record(
        kind_path(kind), "kind.md.j2", name, f"{name} among the papers, newest first",
        name=name, blurb=KIND_BLURBS[kind], recognised=True,
        papers=index.items(sorted(members, key=newest_first)),
    )  # fmt: skip
