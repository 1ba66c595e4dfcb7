"""Plain data that flows one way through the pipeline: entries -> papers -> pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property


@dataclass(frozen=True)
class Entry:
    """One paper as one listing showed it, with where it starts in that file."""

    title: str
    abstract: str
    authors_count: int | None
    organization: str | None
    published: date | None
    upvotes: int | None
    listing: str
    line: int
    # What API listings add (text listings have none of it).
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    code_url: str | None = None
    stars: int | None = None
    # The API's name of the organisation (its address on Hugging Face), where it gives one.
    organization_id: str | None = None


@dataclass(frozen=True)
class Listing:
    """One listing file: an issue of the digest, dated by its file name."""

    name: str
    date: date
    layout: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, order=True)
class Link:
    url: str
    is_code: bool


@dataclass(frozen=True, order=True)
class Appearance:
    """A paper's place in one listing (position counts from 1)."""

    date: date
    listing: str
    position: int


@dataclass(frozen=True)
class Paper:
    """One paper, however many listings showed it."""

    key: str  # the newest title's key
    keys: tuple[str, ...]  # every title key it was listed under
    slug: str
    title: str
    abstract: str
    authors_count: int | None
    organization: str | None
    published: date | None
    upvotes: int | None
    first_seen: date
    appearances: tuple[Appearance, ...]
    links: tuple[Link, ...]
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    code_url: str | None = None
    stars: int | None = None
    # Its organisation's page: orgs/<organization_slug>/ (None without an organisation).
    organization_slug: str | None = None
    # The slugs of the titles it was listed under before (its page was there then).
    former_slugs: tuple[str, ...] = ()

    @property
    def has_code(self) -> bool:
        return self.code_url is not None or any(link.is_code for link in self.links)


@dataclass(frozen=True)
class Rule:
    """A phrase, word or pattern of topics.yml that votes for a topic with a weight."""

    label: str  # as "why" shows it
    kind: str  # "phrase", "word" or "pattern" (papers/matching.py)
    pattern: str  # its regular expression
    weight: float


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    rules: tuple[Rule, ...]
    # Slugs the topic had before a rename: their URLs (page, feed, data) keep working.
    formerly: tuple[str, ...] = ()
    # Kinds of paper (survey, benchmark, dataset) that vote for the topic, with a weight.
    kinds: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class ClassifierSettings:
    title_weight: float = 2.0
    abstract_hits_cap: int = 2
    min_score: float = 2.0
    relative_cutoff: float = 0.4
    max_topics: int = 3
    # The bar for a paper's best topic (None: min_score); the others need min_score and
    # relative_cutoff.
    main_min_score: float | None = None

    @property
    def main_bar(self) -> float:
        return self.min_score if self.main_min_score is None else self.main_min_score


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    settings: ClassifierSettings = field(default_factory=ClassifierSettings)

    @property
    def renamed(self) -> dict[str, str]:
        """Each renamed topic's old slug (topics.yml's `formerly`) and its slug now."""
        return {old: topic.slug for topic in self.topics for old in topic.formerly}


@dataclass(frozen=True)
class RuleMatch:
    """Why a paper scored for a topic: which rule matched, where, and how much it gave."""

    rule: str
    where: str
    points: float


@dataclass(frozen=True)
class TopicScore:
    """A topic a paper has: by the rules that matched, or by an editor's note (`note`)."""

    slug: str
    score: float
    matches: tuple[RuleMatch, ...]
    note: str = ""


@dataclass(frozen=True)
class Note:
    """An editor's note on one paper, from a Markdown file in content/notes/."""

    path: str
    line: int
    paper: str
    body: str
    pick: bool = False
    topics: tuple[str, ...] | None = None
    add_topics: tuple[str, ...] = ()
    remove_topics: tuple[str, ...] = ()
    hide: bool = False
    tags: tuple[str, ...] = ()
    editor: str = ""
    date: date | None = None
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, self.line)


@dataclass(frozen=True)
class Issue:
    """Everything listed on one date, in listing order, each paper once."""

    date: date
    listings: tuple[str, ...]
    slugs: tuple[str, ...]


def hidden_slugs(notes: dict[str, Note]) -> frozenset[str]:
    return frozenset(slug for slug, note in notes.items() if note.hide)


@dataclass(frozen=True)
class Digest:
    """The whole gathered digest, before any page is decided."""

    papers: tuple[Paper, ...]
    issues: tuple[Issue, ...]
    taxonomy: Taxonomy
    topics_of: dict[str, tuple[TopicScore, ...]]
    notes: dict[str, Note] = field(default_factory=dict)
    intros: dict[str, str] = field(default_factory=dict)
    home_intro: str = ""
    listings: tuple[Listing, ...] = ()
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What kind each paper is (survey, benchmark, dataset: papers/kinds.py), by slug.
    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def newest_listing(self) -> date | None:
        return self.issues[-1].date if self.issues else None

    @cached_property
    def hidden(self) -> frozenset[str]:
        """Papers an editor hid: computed once, since every list asks for each paper."""
        return hidden_slugs(self.notes)

    def is_pick(self, slug: str) -> bool:
        note = self.notes.get(slug)
        return bool(note and note.pick and not note.hide)


@dataclass(frozen=True)
class SiteSettings:
    """What the site's configuration tells the generator; `built` comes from
    SOURCE_DATE_EPOCH, never from the clock, so a rebuild of the same content is the same."""

    site_name: str = "digest"
    site_url: str = "/"
    use_directory_urls: bool = True
    built: datetime | None = None
    stale_after_days: int = 3
