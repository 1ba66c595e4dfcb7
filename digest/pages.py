"""Decide the site's pages: which exist, where, and what each one shows (no IO here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from itertools import groupby
from typing import Any
from urllib.parse import quote_plus

from .model import Digest, Issue, Paper, Topic, TopicScore
from .text import first_sentence, plain_text

HOME = "index.md"
TOPICS = "topics/index.md"
ISSUES = "issues/index.md"
UNSORTED = "unsorted.md"


def paper_path(slug: str) -> str:
    return f"papers/{slug}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def issue_path(day: date) -> str:
    return f"issues/{day.isoformat()}.md"


@dataclass(frozen=True)
class PageRecord:
    """One generated page: its source path, its template, its front matter and its data."""

    path: str
    template: str
    meta: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TopicLink:
    """A topic as a paper page shows it: with the rules that put the paper there."""

    topic: Topic
    score: TopicScore


@dataclass(frozen=True)
class PaperItem:
    """A paper as a list shows it: with its topics' names."""

    paper: Paper
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Month:
    label: str
    issues: tuple[tuple[Issue, int], ...]


@dataclass
class _Index:
    """Lookups built once, so each page is a cheap function of the digest."""

    digest: Digest
    papers: dict[str, Paper] = field(init=False)
    topics: dict[str, Topic] = field(init=False)
    by_topic: dict[str, list[Paper]] = field(init=False)

    def __post_init__(self) -> None:
        self.papers = {p.slug: p for p in self.digest.papers}
        self.topics = {t.slug: t for t in self.digest.taxonomy.topics}
        self.by_topic = defaultdict(list)
        for paper in self.digest.papers:
            for score in self.digest.topics_of.get(paper.slug, ()):
                self.by_topic[score.slug].append(paper)
        for papers in self.by_topic.values():
            papers.sort(key=newest_first)

    def items(self, papers: Iterable[Paper]) -> list[PaperItem]:
        return [
            PaperItem(p, tuple(self.topics[s.slug] for s in self.digest.topics_of.get(p.slug, ())))
            for p in papers
        ]

    def topic_links(self, paper: Paper) -> tuple[TopicLink, ...]:
        scores = self.digest.topics_of.get(paper.slug, ())
        return tuple(TopicLink(self.topics[s.slug], s) for s in scores)


def newest_first(paper: Paper) -> tuple[int, int, str]:
    return (-paper.first_seen.toordinal(), -(paper.upvotes or 0), paper.slug)


def plan_pages(digest: Digest) -> tuple[PageRecord, ...]:
    """Every page of the site, in a stable order."""
    index = _Index(digest)
    pages = [home_page(index), topics_page(index), issues_page(index)]
    pages += [topic_page(index, topic) for topic in digest.taxonomy.topics]
    issues = digest.issues
    for i, issue in enumerate(issues):
        before = issues[i - 1] if i > 0 else None
        after = issues[i + 1] if i + 1 < len(issues) else None
        pages.append(issue_page(index, issue, before, after))
    pages += [paper_page(index, paper) for paper in digest.papers]
    unsorted = unsorted_papers(digest)
    if unsorted:
        pages.append(_page(UNSORTED, "unsorted.md.j2", "Unsorted", papers=index.items(unsorted)))
    return tuple(pages)


def unsorted_papers(digest: Digest) -> list[Paper]:
    return sorted((p for p in digest.papers if not digest.topics_of.get(p.slug)), key=newest_first)


def _page(
    path: str, template: str, title: str, description: str = "", **context: Any
) -> PageRecord:
    meta: dict[str, Any] = {"title": escape(title)}
    if description:
        meta["description"] = escape(description)
    return PageRecord(path, template, meta, {"title": title, **context})


def paper_page(index: _Index, paper: Paper) -> PageRecord:
    topics = index.topic_links(paper)
    meta = {
        "title": escape(plain_text(paper.title)),
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
    query = quote_plus(plain_text(paper.title))
    elsewhere = {
        "Hugging Face": f"https://huggingface.co/papers?q={query}",
        "arXiv": f"https://arxiv.org/search/?query={query}&searchtype=title",
        "Semantic Scholar": f"https://www.semanticscholar.org/search?q={query}",
    }
    return PageRecord(
        paper_path(paper.slug),
        "paper.md.j2",
        meta,
        {
            "paper": paper,
            "topics": topics,
            "elsewhere": elsewhere,
            "issue_dates": _issue_dates(paper),
        },
    )


def _issue_dates(paper: Paper) -> tuple[date, ...]:
    return tuple(dict.fromkeys(a.date for a in paper.appearances))


def topic_page(index: _Index, topic: Topic) -> PageRecord:
    papers = index.items(index.by_topic.get(topic.slug, []))
    return _page(
        topic_path(topic.slug),
        "topic.md.j2",
        topic.name,
        topic.description,
        topic=topic,
        papers=papers,
    )


def topics_page(index: _Index) -> PageRecord:
    counted = [(t, len(index.by_topic.get(t.slug, []))) for t in index.digest.taxonomy.topics]
    return _page(
        TOPICS,
        "topics.md.j2",
        "Topics",
        "Papers by topic",
        topics=counted,
        unsorted=len(unsorted_papers(index.digest)),
    )


def issue_page(
    index: _Index, issue: Issue, before: Issue | None, after: Issue | None
) -> PageRecord:
    papers = index.items(index.papers[slug] for slug in issue.slugs)
    title = f"Issue of {issue.date.isoformat()}"
    return _page(
        issue_path(issue.date),
        "issue.md.j2",
        title,
        f"{len(papers)} papers listed on {issue.date.isoformat()}",
        issue=issue,
        papers=papers,
        before=before,
        after=after,
    )


def months(issues: Iterable[Issue]) -> tuple[Month, ...]:
    """Issues grouped by month, newest first, each with its paper count."""
    newest = sorted(issues, key=lambda i: i.date, reverse=True)
    grouped = groupby(newest, key=lambda i: (i.date.year, i.date.month))
    return tuple(
        Month(date(year, month, 1).strftime("%B %Y"), tuple((i, len(i.slugs)) for i in group))
        for (year, month), group in grouped
    )


def issues_page(index: _Index) -> PageRecord:
    return _page(
        ISSUES,
        "issues.md.j2",
        "Issues",
        "Every issue of the digest by month",
        months=months(index.digest.issues),
    )


def home_page(index: _Index) -> PageRecord:
    digest = index.digest
    latest = digest.issues[-1] if digest.issues else None
    papers = [index.papers[s] for s in latest.slugs] if latest else []
    papers.sort(key=lambda p: -(p.upvotes or 0))  # stable: ties keep listing order
    counted = [(t, len(index.by_topic.get(t.slug, []))) for t in digest.taxonomy.topics]
    return _page(
        HOME,
        "home.md.j2",
        "Home",
        "Papers that matter, sorted by topic and date",
        latest=latest,
        papers=index.items(papers),
        topics=counted,
        months=months(digest.issues),
        paper_count=len(digest.papers),
        issue_count=len(digest.issues),
    )
