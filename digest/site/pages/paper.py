"""A paper's own page: its abstract, topics and why, note, links and related papers."""

from __future__ import annotations

from html import escape

from ...model import Note, Paper
from ...text import first_sentence, plain_text, quoter
from .lookups import Lookups
from .paths import paper_path
from .records import PageRecord

# The search links quote each paper's title; arXiv links its id.
_quote_query = quoter("", plus=True)
_quote_arxiv_id = quoter("./", plus=True)


def paper_page(index: Lookups, paper: Paper) -> PageRecord:
    topics = index.topic_links(paper)
    note: Note | None = index.digest.notes.get(paper.slug)
    title = plain_text(paper.title)
    meta = {
        "title": escape(title),
        "description": escape(first_sentence(paper.abstract)),
        "slug": paper.slug,
        "published": paper.published.isoformat() if paper.published else None,
        "first_seen": paper.first_seen.isoformat(),
        "topics": [t.topic.slug for t in topics],
        "upvotes": paper.upvotes,
        "authors_count": paper.authors_count,
        "organization": paper.organization,
        "listings": [
            {"listing": a.listing, "date": a.date.isoformat(), "position": a.position}
            for a in paper.appearances
        ],
        "links": [{"url": link.url, "code": link.is_code} for link in paper.links],
    }
    if note is not None:
        meta["pick"] = note.pick
        meta["tags"] = [escape(tag) for tag in note.tags]
    query = _quote_query(title)
    direct = {}
    if paper.arxiv_id:
        arxiv = _quote_arxiv_id(paper.arxiv_id)
        direct = {
            "arXiv abstract": f"https://arxiv.org/abs/{arxiv}",
            "PDF": f"https://arxiv.org/pdf/{arxiv}",
            "Hugging Face paper page": f"https://huggingface.co/papers/{arxiv}",
        }
    elsewhere = {
        "Hugging Face": f"https://huggingface.co/papers?q={query}",
        "arXiv": f"https://arxiv.org/search/?query={query}&searchtype=title",
        "Semantic Scholar": f"https://www.semanticscholar.org/search?q={query}",
    }
    context = {
        "paper": paper,
        "topics": topics,
        "note": note,
        "pick": paper.slug in index.picked,
        "elsewhere": elsewhere,
        "direct": direct,
        "issue_dates": tuple(dict.fromkeys([a.date for a in paper.appearances])),
        "kinds": index.kinds[paper.slug],
        "search": search_keys(
            paper,
            [t.topic.slug for t in topics],
            index.kinds[paper.slug],
            paper.slug in index.picked,
        ),
        "related": index.items(index.papers[s] for s in index.digest.related.get(paper.slug, ())),
    }
    return PageRecord(paper_path(paper.slug), "paper.md.j2", meta, context)


# A word in every paper's search metadata and nowhere else: the search page browses papers
# by searching for it. Pagefind's search without words loads every word of the index (18 MB
# at 50,000 papers); this word's part of it is one small file. Pagefind takes each word of
# a query as a prefix, so no word a reader types may start this one ("digest..." was found
# by a search for the site's name, "q" by "qzx..."): it starts with a letter no keyboard
# offers, U+01C1 LATIN LETTER LATERAL CLICK.
BROWSE_WORD = "\u01c1browsepapers"


def search_keys(paper: Paper, topics: list[str], kinds: tuple[str, ...], pick: bool) -> dict:
    """What the search page (search.py) filters and sorts a paper by, and shows of it: put
    on its page for Pagefind as filters and metadata. The search page sorts by the date
    and upvotes in the metadata, which the search index's merge reads (search_merge.py),
    and browses by BROWSE_WORD, which only papers' metadata holds. (Every indexed page
    that is not a paper's says so instead, in the theme's main.html: that filter stays as
    small as the few such pages.)"""
    first = paper.first_seen
    filters = [
        *(("topic", slug) for slug in topics),
        ("month", first.strftime("%Y-%m")),  # a year is its months, on the search page
        *(("kind", kind) for kind in kinds),
    ]
    filters += [("code", "1")] if paper.has_code else []
    filters += [("pick", "1")] if pick else []
    filters += [("org", paper.organization_slug)] if paper.organization_slug else []
    upvotes = str(paper.upvotes or 0)
    return {
        "filters": filters,
        "meta": {
            "date": first.isoformat(),
            "upvotes": upvotes,
            "topics": " ".join(topics),
            "code": "1" if paper.has_code else "0",
            "pick": "1" if pick else "0",
            "browse": BROWSE_WORD,
        },
    }
