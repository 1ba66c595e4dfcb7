"""What every page family looks papers up in, built once per build (no IO here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ...model import Digest, Issue, Paper, Topic, TopicScore
from ...papers.orgs import organisations
from .timeline import Timeline, timeline


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


def newest_first(paper: Paper) -> tuple[int, int, str]:
    return (-paper.first_seen.toordinal(), -(paper.upvotes or 0), paper.slug)


@dataclass
class Lookups:
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
        self.kinds = {slug: self.digest.kinds[slug] for slug in self.papers}
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
        self.orgs = organisations(sorted(self.papers.values(), key=newest_first))

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

    @cached_property
    def timeline(self) -> Timeline:
        """The charts' time axis: issues, or weeks, months or years of them."""
        return timeline([issue.date for issue in self.digest.issues])

    def per_period(self, topic: str) -> list[int]:
        """How many of each period's papers have the topic (a copy: callers may keep it)."""
        return list(self._per_period.get(topic) or [0] * len(self.timeline.labels))

    @cached_property
    def period_sizes(self) -> list[int]:
        """How many papers each period of the timeline listed, each paper once."""
        return [len(slugs) for slugs in self._period_slugs]

    @cached_property
    def _period_slugs(self) -> list[dict[str, None]]:
        issues, papers = self.digest.issues, self.papers
        return [
            dict.fromkeys(s for n in group for s in issues[n].slugs if s in papers)
            for group in self.timeline.groups
        ]

    @cached_property
    def _per_period(self) -> dict[str, list[int]]:
        # Every topic's counts in one pass over the periods: a pass per topic, for its
        # page and again for the statistics, came to a quarter second at 50,000 papers.
        topics_of, periods = self.digest.topics_of, self._period_slugs
        counts: dict[str, list[int]] = {topic: [0] * len(periods) for topic in self.by_topic}
        for number, slugs in enumerate(periods):
            for slug in slugs:
                for topic in {score.slug for score in topics_of.get(slug, ())}:
                    counts[topic][number] += 1
        return counts

    def topic_links(self, paper: Paper) -> tuple[TopicLink, ...]:
        scores = self.digest.topics_of.get(paper.slug, ())
        return tuple(TopicLink(self.topics[s.slug], s) for s in scores)
