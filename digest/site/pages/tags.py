"""Editors' tags as reading lists: a page per tag with each paper's note, and the list."""

from __future__ import annotations

from ...papers.tags import reading_lists
from .lookups import Lookups, newest_first
from .paths import TAGS, feed_links, tag_path
from .records import PageRecord, page_record


def tag_pages(index: Lookups) -> list[PageRecord]:
    """tags/ (most papers first) and one page per tag, its papers newest first, each with
    the first paragraph of its note. A reading list is the editors' choice, so it is not
    split into pages: its notes' links stay right from one level below the root."""
    tags = reading_lists(index.digest.notes, index.digest.hidden)
    if not tags:
        return []
    listed = sorted(tags, key=lambda tag: (-len(tag.papers), tag.name, tag.slug))
    pages = [
        page_record(
            TAGS, "tags.md.j2", "Reading lists", "The editors' tags, each a reading list",
            tags=[(tag_path(t.slug), t.name, len(t.papers)) for t in listed],
        )
    ]  # fmt: skip
    notes = index.digest.notes
    for tag in tags:
        papers = sorted((index.papers[s] for s in tag.papers), key=newest_first)
        feed = f"tags/{tag.slug}/feed.xml"
        page = page_record(
            tag_path(tag.slug), "tag.md.j2", tag.name, f"Papers the editors tagged {tag.name}",
            name=tag.name, feed=feed, total=len(papers),
            entries=[(item, first_paragraph(notes[item.paper.slug].body))
                     for item in index.items(papers)],
        )  # fmt: skip
        page.meta["feeds"] = feed_links(feed, tag.name)
        pages.append(page)
    return pages


def first_paragraph(body: str) -> str:
    return body.strip().split("\n\n", 1)[0].strip()
