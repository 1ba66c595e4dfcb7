"""Decide the site's pages: which exist, where, and what each one shows (no IO here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property, partial
from html import escape
from itertools import groupby, pairwise
from typing import Any

from . import charts
from .kinds import KIND_BLURBS, KIND_NAMES, kinds_of
from .model import Digest, Issue, Note, Paper, SiteSettings, Topic, TopicScore
from .text import first_sentence, plain_text, quoter

HOME = "index.md"
TOPICS = "topics/index.md"
ISSUES = "issues/index.md"
UNSORTED = "unsorted.md"
PICKS = "picks.md"
HOME_PICKS = 10  # the home page shows the newest picks; the Picks page has them all
HOME_MONTHS = 12  # and the last year of issues; the Issues page has them all
# And the latest issue's first papers, picks and the most upvoted: a home page a phone
# draws at once, where the issue page has them all.
HOME_LATEST = 20


STATUS = "status.md"


def page_url(src_path: str, use_directory_urls: bool = True) -> str:
    """Where MkDocs publishes a page, relative to the site's root."""
    if not use_directory_urls:
        return src_path.removesuffix(".md") + ".html"
    if src_path == "index.md" or src_path.endswith("/index.md"):
        return src_path.removesuffix("index.md")
    return src_path.removesuffix(".md") + "/"


def feed_links(feed_path: str, title: str) -> list[dict[str, str]]:
    """A page's feeds, for `<link rel="alternate">` in its head (paths from the site root)."""
    return [
        {"href": feed_path, "type": "application/atom+xml", "title": f"{title} (Atom)"},
        {"href": feed_path.removesuffix(".xml") + ".json", "type": "application/feed+json",
         "title": f"{title} (JSON Feed)"},
    ]  # fmt: skip


def source_date(epoch: str | None) -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time; unset or not a number means none."""
    if not epoch or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc)


def footer_facts(digest: Digest, settings: SiteSettings) -> dict[str, Any]:
    """What every page's footer and staleness check show: dates from the content and from
    SOURCE_DATE_EPOCH only, so rebuilding the same content gives the same pages."""
    newest = digest.newest_listing
    built = settings.built.strftime("%Y-%m-%d %H:%M UTC") if settings.built else None
    return {
        "newest_listing": newest.isoformat() if newest else "",
        "built": built or (newest.isoformat() if newest else ""),
        "stale_after_days": settings.stale_after_days,
        "status": page_url(STATUS, settings.use_directory_urls),
    }


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


@dataclass(frozen=True)
class TopicLink:
    """A topic as a paper page shows it: with why the paper has it."""

    topic: Topic
    score: TopicScore


@dataclass(frozen=True)
class PaperItem:
    """A paper as a list shows it: its topics, whether it is a pick, what kind it is."""

    paper: Paper
    topics: tuple[Topic, ...]
    pick: bool
    kinds: tuple[str, ...] = ()


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


def paged_path(path: str, number: int) -> str:
    """Page 1 keeps the list's own path; page n is page-n below it."""
    return path if number == 1 else f"{path.removesuffix('.md')}/page-{number}.md"


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


@dataclass(frozen=True)
class Month:
    label: str
    issues: tuple[tuple[Issue, int], ...]


def newest_first(paper: Paper) -> tuple[int, int, str]:
    return (-paper.first_seen.toordinal(), -(paper.upvotes or 0), paper.slug)


@dataclass
class _Index:
    """Lookups built once, so each page is a cheap function of the digest.

    Hidden papers are left out here, so no page, list or count can show them.
    """

    digest: Digest
    papers: dict[str, Paper] = field(init=False)
    topics: dict[str, Topic] = field(init=False)
    by_topic: dict[str, list[Paper]] = field(init=False)
    _items: dict[str, PaperItem] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        hidden = self.digest.hidden
        self.papers = {p.slug: p for p in self.digest.papers if p.slug not in hidden}
        self.kinds = {slug: kinds_of(p.title, p.abstract) for slug, p in self.papers.items()}
        # Asked of every paper on every list: a set lookup instead of a call each time.
        is_pick = self.digest.is_pick
        self.picked = frozenset(s for s in self.digest.notes if s in self.papers and is_pick(s))
        self.coded = frozenset(slug for slug, p in self.papers.items() if p.has_code)
        self.of_kind: dict[str, list[Paper]] = defaultdict(list)
        for slug, kinds in self.kinds.items():
            for kind in kinds:
                self.of_kind[kind].append(self.papers[slug])
        self.topics = {t.slug: t for t in self.digest.taxonomy.topics}
        self.by_topic = defaultdict(list)
        for paper in self.papers.values():
            for score in self.digest.topics_of.get(paper.slug, ()):
                self.by_topic[score.slug].append(paper)
        for papers in self.by_topic.values():
            papers.sort(key=lambda p: (p.slug not in self.picked, newest_first(p)))

    def items(self, papers: Iterable[Paper]) -> list[PaperItem]:
        # One item per paper, made the first time a list shows it: a paper is on its
        # topics' lists, its issues' and its kind's, and beside related papers.
        made = self._items
        return [made.get(p.slug) or made.setdefault(p.slug, self._item(p)) for p in papers]

    def _item(self, paper: Paper) -> PaperItem:
        scores = self.digest.topics_of.get(paper.slug, ())
        return PaperItem(
            paper,
            tuple(self.topics[s.slug] for s in scores),
            paper.slug in self.picked,
            self.kinds[paper.slug],
        )

    def picks_first(self, papers: Iterable[Paper]) -> list[Paper]:
        """Picks first; otherwise the order given (sorting is stable)."""
        return sorted(papers, key=lambda p: p.slug not in self.picked)

    def issue_papers(self, issue: Issue) -> list[Paper]:
        return [self.papers[slug] for slug in issue.slugs if slug in self.papers]

    def issue_size(self, issue: Issue) -> int:
        """len(issue_papers(issue)), counted once per issue: the home page, the issues
        page and the statistics each count every issue."""
        return self._issue_sizes[issue.date]

    @cached_property
    def _issue_sizes(self) -> dict[date, int]:
        shown = self.papers.__contains__
        return {issue.date: sum(map(shown, issue.slugs)) for issue in self.digest.issues}

    def picks(self) -> list[Paper]:
        """Every pick, newest first: by the note's date, else by when it was first listed."""
        notes = self.digest.notes
        picked = [p for p in self.papers.values() if p.slug in self.picked]
        return sorted(
            picked, key=lambda p: (-(notes[p.slug].date or p.first_seen).toordinal(), p.slug)
        )

    def unsorted(self) -> list[Paper]:
        return list(self._unsorted)  # a copy: callers may keep it

    @cached_property
    def _unsorted(self) -> tuple[Paper, ...]:
        topics_of = self.digest.topics_of
        papers = (p for p in self.papers.values() if not topics_of.get(p.slug))
        return tuple(sorted(papers, key=newest_first))

    def counted_topics(self) -> list[tuple[Topic, int]]:
        return [(t, len(self.by_topic.get(t.slug, []))) for t in self.digest.taxonomy.topics]

    def per_issue(self, topic: str) -> list[int]:
        """How many of each issue's papers have the topic (a copy: callers may keep it)."""
        return list(self._per_issue.get(topic) or [0] * len(self.digest.issues))

    @cached_property
    def _per_issue(self) -> dict[str, list[int]]:
        # Every topic's counts in one pass over the issues: a pass per topic, for its
        # page and again for the statistics, came to a quarter second at 50,000 papers.
        issues, papers, topics_of = self.digest.issues, self.papers, self.digest.topics_of
        counts: dict[str, list[int]] = {topic: [0] * len(issues) for topic in self.by_topic}
        for number, issue in enumerate(issues):
            for slug in issue.slugs:
                if slug in papers:
                    for topic in {score.slug for score in topics_of.get(slug, ())}:
                        counts[topic][number] += 1
        return counts

    def topic_links(self, paper: Paper) -> tuple[TopicLink, ...]:
        scores = self.digest.topics_of.get(paper.slug, ())
        return tuple(TopicLink(self.topics[s.slug], s) for s in scores)


def plan_pages(digest: Digest) -> tuple[PagePlan, ...]:
    """Every page of the site, in a stable order."""
    index = _Index(digest)
    pages = [home_page(index), topics_page(index), issues_page(index)]
    for topic in digest.taxonomy.topics:
        pages += paginated(topic_page(index, topic))
    issues = digest.issues
    for i, issue in enumerate(issues):
        before = issues[i - 1] if i > 0 else None
        after = issues[i + 1] if i + 1 < len(issues) else None
        pages += paginated(issue_page(index, issue, before, after))
    pages += [
        LaterRecord(paper_path(paper.slug), "paper.md.j2", partial(paper_page, index, paper))
        for paper in index.papers.values()
    ]
    unsorted = index.unsorted()
    if unsorted:
        pages += paginated(
            _page(UNSORTED, "unsorted.md.j2", "Unsorted", papers=index.items(unsorted))
        )
    picks = index.picks()
    if picks:
        description = "The papers the editors picked, newest first"
        page = _page(PICKS, "picks.md.j2", "Editor's picks", description, papers=index.items(picks))
        page.meta["feeds"] = feed_links("picks/feed.xml", "Editor's picks")
        pages += paginated(page)
    pages += with_code_pages(index)
    for kind in KIND_NAMES:
        pages += paginated(kind_page(index, kind))
    pages.append(stats_page(index))
    pages.append(status_page(index))
    return tuple(pages)


STATS = "statistics.md"
TOP_UPVOTED = 15


def stats_page(index: _Index) -> PageRecord:
    """Charts of what the field is doing, each with its numbers as a table beside it."""
    days = [i.date.isoformat() for i in index.digest.issues]
    per_issue = [index.issue_size(i) for i in index.digest.issues]
    counted = index.counted_topics()
    shares = {t.name: index.per_issue(t.slug) for t, _ in counted}
    ranked = sorted(index.papers.values(), key=lambda p: (-(p.upvotes or 0), p.slug))
    top = [p for p in ranked if p.upvotes][:TOP_UPVOTED]
    context = {
        "per_issue": charts.column_chart(
            "Papers per issue", days, per_issue, "How many papers each issue listed, oldest first."
        ),
        "per_issue_table": _table(["Issue", "Papers"], zip(days, per_issue, strict=True)),
        "per_topic": charts.bar_chart(
            "Papers per topic", [t.name for t, _ in counted], [n for _, n in counted],
            "How many papers each topic holds; a paper can have up to three topics.",
        ),
        "per_topic_table": _table(["Topic", "Papers"], ((t.name, n) for t, n in counted)),
        "shares": charts.small_multiples(
            "Each topic's share of each issue", shares, days,
            "For each topic, the percentage of each issue's papers that have it.", totals=per_issue,
        ),
        "shares_table": _table(["Topic", *days], ((name, *v) for name, v in shares.items())),
        "upvoted": charts.bar_chart(
            "Most upvoted papers", [plain_text(p.title) for p in top], [p.upvotes for p in top],
            "The papers with the most upvotes on the listing pages.",
        ),
        "top": index.items(top),
    }  # fmt: skip
    description = "Papers per issue and per topic, and the most upvoted"
    return _page(STATS, "statistics.md.j2", "Statistics", description, **context)


def _table(headers: list[str], rows: Iterable[Iterable[str | int]]) -> str:
    return charts.data_table(headers, [list(row) for row in rows])


WITH_CODE = "with-code.md"


def kind_path(kind: str) -> str:
    return f"kinds/{kind}s.md"


def with_code_path(topic: str) -> str:
    return f"with-code/{topic}.md"


def with_code_pages(index: _Index) -> list[PageRecord]:
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
    overview = _page(
        WITH_CODE, "with-code.md.j2", "With code", "Papers that link to their code, by topic",
        groups=[(with_code_path(slug), name, len(papers)) for slug, name, papers in groups],
        count=count,
    )  # fmt: skip
    pages = [overview]
    for slug, name, papers in groups:
        pages += paginated(
            _page(with_code_path(slug), "kind.md.j2", f"With code: {name}",
                  f"{name} papers that link to their code", name=f"With code: {name}",
                  blurb="they link to their code, newest first.", recognised=False,
                  papers=index.items(papers))
        )  # fmt: skip
    return pages


def kind_page(index: _Index, kind: str) -> PageRecord:
    members = index.of_kind.get(kind, [])
    name = KIND_NAMES[kind]
    return _page(
        kind_path(kind), "kind.md.j2", name, f"{name} among the papers, newest first",
        name=name, blurb=KIND_BLURBS[kind], recognised=True,
        papers=index.items(sorted(members, key=newest_first)),
    )  # fmt: skip


@dataclass(frozen=True)
class ListingRow:
    listing: str
    date: date
    papers: int
    new: int


def status_page(index: _Index) -> PageRecord:
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
    return _page(
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


def _page(
    path: str, template: str, title: str, description: str = "", **context: Any
) -> PageRecord:
    meta: dict[str, Any] = {"title": escape(title)}
    if description:
        meta["description"] = escape(description)
    return PageRecord(path, template, meta, {"title": title, **context})


# The search links quote each paper's title; arXiv links its id.
_quote_query = quoter("", plus=True)
_quote_arxiv_id = quoter("./", plus=True)


def paper_page(index: _Index, paper: Paper) -> PageRecord:
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
        "related": index.items(index.papers[s] for s in index.digest.related.get(paper.slug, ())),
    }
    return PageRecord(paper_path(paper.slug), "paper.md.j2", meta, context)


def topic_page(index: _Index, topic: Topic) -> PageRecord:
    papers = index.items(index.by_topic.get(topic.slug, []))
    intro = index.digest.intros.get(topic.slug, "")
    feed = f"topics/{topic.slug}/feed.xml"
    days = [i.date.isoformat() for i in index.digest.issues]
    per_issue = index.per_issue(topic.slug)
    chart = charts.sparkline(
        f"{topic.name}: papers per issue",
        days,
        per_issue,
        f"How many papers of each issue are about {topic.name}, oldest first.",
    )
    page = _page(
        topic_path(topic.slug), "topic.md.j2", topic.name, topic.description,
        topic=topic, papers=papers, intro=intro, feed=feed, chart=chart,
        chart_table=_table(["Issue", "Papers"], zip(days, per_issue, strict=True)),
    )  # fmt: skip
    page.meta["feeds"] = feed_links(feed, topic.name)
    return page


def topics_page(index: _Index) -> PageRecord:
    return _page(
        TOPICS, "topics.md.j2", "Topics", "Papers by topic",
        topics=index.counted_topics(), unsorted=len(index.unsorted()),
    )  # fmt: skip


def issue_page(
    index: _Index, issue: Issue, before: Issue | None, after: Issue | None
) -> PageRecord:
    papers = index.items(index.picks_first(index.issue_papers(issue)))
    day = issue.date.isoformat()
    title, description = f"Issue of {day}", f"{len(papers)} papers listed on {day}"
    return _page(
        issue_path(issue.date), "issue.md.j2", title, description,
        issue=issue, papers=papers, before=before, after=after,
    )  # fmt: skip


def months(index: _Index) -> tuple[Month, ...]:
    """Issues grouped by month, newest first, each with its paper count."""
    newest = sorted(index.digest.issues, key=lambda i: i.date, reverse=True)
    grouped = groupby(newest, key=lambda i: (i.date.year, i.date.month))
    return tuple(
        Month(
            date(year, month, 1).strftime("%B %Y"),
            tuple((i, index.issue_size(i)) for i in group),
        )
        for (year, month), group in grouped
    )


def issues_page(index: _Index) -> PageRecord:
    description = "Every issue of the digest by month"
    return _page(ISSUES, "issues.md.j2", "Issues", description, months=months(index))


def home_page(index: _Index) -> PageRecord:
    digest = index.digest
    latest = digest.issues[-1] if digest.issues else None
    papers = index.issue_papers(latest) if latest else []
    papers.sort(key=lambda p: -(p.upvotes or 0))  # stable: ties keep listing order
    page = _page(
        HOME, "home.md.j2", "Home", "Papers that matter, sorted by topic and date",
        intro=digest.home_intro,
        picks=index.items(index.picks()[:HOME_PICKS]),
        latest=latest,
        papers=index.items(index.picks_first(papers)[:HOME_LATEST]),
        latest_count=len(papers),
        topics=index.counted_topics(),
        months=months(index)[:HOME_MONTHS],
        paper_count=len(index.papers),
        issue_count=len(digest.issues),
        feed="feed.xml",
    )  # fmt: skip
    page.meta["feeds"] = feed_links("feed.xml", "New papers")
    return page
