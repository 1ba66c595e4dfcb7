"""The search page: Pagefind's index filtered and sorted by what a reader chooses, driven by
the page's URL (assets/search-page.js); each paper page carries its keys (paper.py)."""

from __future__ import annotations

import json

from ...papers.kinds import KIND_NAMES
from .lookups import Lookups
from .paper import BROWSE_WORD
from .paths import SEARCH
from .records import PageRecord, page_record


def search_page(index: Lookups) -> PageRecord:
    """The page, with the names its filters show for topic slugs and kinds, and renamed
    topics' old slugs: a fixed few, so the first download does not grow with the archive."""
    topics = index.digest.taxonomy.topics
    names = {
        "topic": {topic.slug: topic.name for topic in topics},
        "kind": dict(KIND_NAMES),
        # A renamed topic's old slug, for a search bookmarked before the rename.
        "moved": {"topic": index.digest.taxonomy.renamed},
    }
    page = page_record(
        SEARCH, "search.md.j2", "Search",
        "Search every paper, narrowed by topic, date, kind, code, pick and organisation",
        names=script_json(names), browse=BROWSE_WORD,
    )  # fmt: skip
    page.meta["search"] = {"exclude": True}
    return page


def script_json(value: object) -> str:
    """JSON to put inside a <script> element: no '<', '>' or '&' that could end it."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
