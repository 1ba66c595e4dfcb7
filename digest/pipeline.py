"""The generator as one call: content in, Markdown pages and problems out."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from .errors import DigestError, Problem, error, warning
from .model import Digest, Listing, Note, Paper, SiteSettings, Taxonomy, TopicScore, hidden_slugs
from .papers.kinds import kinds_by_slug
from .papers.merge import issues, merge
from .papers.notes import apply_overrides, parse_note, read_body, read_intro, resolve_notes
from .papers.related import related_texts, texts_of
from .papers.tags import tag_warnings
from .papers.taxonomy import load_taxonomy
from .papers.topics import classify_all
from .site.data_files import data_files
from .site.feeds import feeds_for, render_feeds, weeks_feed
from .site.links import Shown, broken_links
from .site.pages.paths import page_url, paper_path
from .site.pages.plan import plan_pages
from .site.pages.status import freshness_file
from .site.redirects import moved_paper_pages, moved_topic_pages
from .site.render import RenderedPages, environment, render_all
from .sources.content_folder import TOPICS_FILE, Content, read_content
from .sources.listings import parse_listing
from .text import decode_utf8

T = TypeVar("T")


@dataclass(frozen=True)
class Generated:
    """The generator's whole output: Markdown pages (each rendered when read), other files
    (feeds, data) and problems."""

    digest: Digest
    pages: RenderedPages
    files: dict[str, bytes]
    problems: tuple[Problem, ...]

    def without_files(self) -> Generated:
        """The output less its files: what is kept once they are handed on to be written."""
        return replace(self, files={})


def read_listings(content: Content) -> tuple[list[Listing], list[Problem]]:
    """Every listing that can be read; a file that cannot is reported and left out."""
    listings: list[Listing] = []
    problems: list[Problem] = []
    for source in content.sources:
        try:
            listing, found = parse_listing(source.name, source.data, source.path)
        except DigestError as exc:
            problems += exc.problems
            continue
        listings.append(listing)
        problems += found
    return listings, problems


def read_taxonomy(content: Content) -> Taxonomy:
    """topics.yml, which the whole digest depends on: any problem in it stops the build."""
    if content.topics is None:
        path = f"{content.label}/{TOPICS_FILE}"
        raise DigestError(error(path, None, "topics.yml is missing: the digest needs its topics"))
    topics = content.topics
    return load_taxonomy(topics.path, decode_utf8(topics.path, topics.data))


def read_notes(
    content: Content, papers: tuple[Paper, ...], taxonomy: Taxonomy
) -> tuple[dict[str, Note], list[Problem]]:
    """Every note that can be read and tied to a paper; the others are reported."""
    problems: list[Problem] = []
    parsed, broken = [], []
    for file in content.notes:
        note, found = parse_note(file.path, file.data)
        problems += found
        if note is not None:
            (broken if found else parsed).append(note)
    notes, found = resolve_notes(parsed, papers, taxonomy)
    problems += resolve_notes(broken, papers, taxonomy)[1]  # their other errors; left out
    return notes, problems + found + tag_warnings(parsed)


def read_editorial(
    content: Content, taxonomy: Taxonomy
) -> tuple[dict[str, str], str, list[Problem]]:
    """Topic introductions and the home introduction; pages are checked, not read."""
    problems: list[Problem] = []
    intros = {}
    for file in content.intros:
        body, found = read_intro(file.path, file.name, file.data, taxonomy)
        problems += found
        if body:
            intros[file.name.removesuffix(".md")] = body
    home = ""
    if content.home_intro is not None:
        home, found = read_body(content.home_intro.path, content.home_intro.data)
        problems += found
    for file in content.pages:
        problems += read_body(file.path, file.data)[1]
    return intros, home, problems


class Memo:
    """The last result of each costly stage, with the inputs it came from.

    `mkdocs serve` keeps one across rebuilds, so a note edit re-reads the notes and not
    every listing: parsing, merging, classifying and relating papers depend on the
    listings and topics.yml alone (and which papers are hidden). Stages are pure, so
    equal inputs give the value computed last time; a fresh Memo remembers nothing."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[Hashable, Any]] = {}

    def __call__(self, stage: str, inputs: Hashable, compute: Callable[[], T]) -> T:
        last = self._last.get(stage)
        if last is not None and last[0] == inputs:
            return cast(T, last[1])
        value = compute()
        self._last[stage] = (inputs, value)
        return value

    def classify(
        self,
        papers: tuple[Paper, ...],
        taxonomy: Taxonomy,
        kinds: Mapping[str, tuple[str, ...]] | None = None,
    ) -> dict[str, tuple[TopicScore, ...]]:
        """Each paper's topics by slug, from its kinds by slug among the rest. A Memo that
        outlives the process may remember papers it classified before
        (digest/plugin/kept.py)."""
        return classify_all(papers, taxonomy, kinds)

    def relate(self, texts: list[tuple[str, str, str]]) -> dict[str, tuple[str, ...]]:
        """Each paper's related papers, from (slug, title, abstract) triples; a Memo that
        outlives the process may remember them (digest/plugin/kept.py)."""
        return related_texts(texts)


def gather(content: Content, memo: Memo | None = None) -> tuple[Digest, list[Problem]]:
    """Parse, merge, classify and apply editors' notes: everything known before any page."""
    memo = memo or Memo()
    topics_file, sources = content.topics, content.sources
    taxonomy = memo("taxonomy", topics_file, lambda: read_taxonomy(content))
    listings, problems, papers = memo("listings", sources, lambda: read_and_merge(content))
    notes, note_problems = read_notes(content, papers, taxonomy)
    hidden = hidden_slugs(notes)
    shown = [p for p in papers if p.slug not in hidden]
    related = memo("related", (sources, hidden), lambda: memo.relate(texts_of(shown)))
    intros, home, editorial_problems = read_editorial(content, taxonomy)
    kinds = memo("kinds", sources, lambda: kinds_by_slug(papers))
    topics = memo("topics", (sources, topics_file), lambda: memo.classify(papers, taxonomy, kinds))
    digest = Digest(
        papers, issues(listings, papers), taxonomy, apply_overrides(topics, notes), notes,
        intros, home, listings, related, kinds,
    )  # fmt: skip
    unread = [warning(path, None, f"not read: {holds}") for path, holds in content.unread]
    return digest, problems + note_problems + editorial_problems + unread


def read_and_merge(
    content: Content,
) -> tuple[tuple[Listing, ...], list[Problem], tuple[Paper, ...]]:
    """Every readable listing (oldest first), the problems found, and the merged papers."""
    listings, problems = read_listings(content)
    ordered = tuple(sorted(listings, key=lambda listing: (listing.date, listing.name)))
    return ordered, problems, merge(ordered)


def generate(
    content_dir: Path,
    templates_dir: Path,
    settings: SiteSettings | None = None,
    memo: Memo | None = None,
) -> Generated:
    return generate_from(read_content(content_dir), templates_dir, settings, memo)


def generate_from(
    content: Content,
    templates_dir: Path,
    settings: SiteSettings | None = None,
    memo: Memo | None = None,
) -> Generated:
    """generate() on content already read."""
    settings = settings or SiteSettings()
    digest, problems = gather(content, memo)
    plans = plan_pages(digest)

    def url_for(src_path: str) -> str:
        return settings.site_url + page_url(src_path, settings.use_directory_urls)

    files = render_feeds(feeds_for(digest, url_for), digest, url_for, settings.site_url)
    files.update(data_files(digest, url_for))
    files.update(weeks_feed(digest, url_for, settings.site_url))
    files.update(freshness_file(digest, settings))
    files.update(moved_topic_pages(digest.taxonomy, settings))
    files.update(moved_paper_pages(digest.papers, digest.hidden, settings))
    pages = render_all(environment(templates_dir, settings), plans)
    paths = [plan.path for plan in plans]
    problems += editors_pages_problems(content, digest, paths, settings.use_directory_urls)
    return Generated(digest, pages, files, tuple(problems))


def editors_pages_problems(
    content: Content, digest: Digest, paths: list[str], directory_urls: bool = True
) -> list[Problem]:
    """An editor's page at a generated page's address, and links in the editor's files
    to pages the site does not have."""
    pages = {*paths, *(file.rel for file in content.published)}
    return taken_addresses(content, paths, directory_urls) + broken_links(
        _shown_texts(content, digest), pages
    )


def _shown_texts(content: Content, digest: Digest) -> list[Shown]:
    """Each editor's Markdown file and the page its text is shown on."""
    note_of = {note.path: slug for slug, note in digest.notes.items()}
    topics = {topic.slug for topic in digest.taxonomy.topics}
    return [
        *(
            Shown(f.path, f.data, paper_path(note_of[f.path]), True)
            for f in content.notes
            if f.path in note_of
        ),
        *(
            Shown(f.path, f.data, f.rel)
            for f in content.intros
            if f.name.removesuffix(".md") in topics
        ),
        *(Shown(f.path, f.data, f.rel) for f in content.published),
        *(
            [Shown(content.home_intro.path, content.home_intro.data, "index.md")]
            if content.home_intro
            else []
        ),
    ]


def taken_addresses(
    content: Content, paths: Iterable[str], directory_urls: bool = True
) -> list[Problem]:
    """An editor's page at the address of a page the generator makes is left out (the
    site has one page an address): an error, so that no editor's text goes missing."""
    ours = {page_url(path, directory_urls) for path in paths}
    taken = []
    for file in content.published:
        # MkDocs makes a folder's README.md its index page, as index.md.
        folder, _, name = file.rel.rpartition("/")
        rel = f"{folder}/index.md".lstrip("/") if name.lower() == "readme.md" else file.rel
        address = page_url(rel, directory_urls)
        if address in ours:
            message = f"left out: /{address} is a page digest makes; rename it"
            taken.append(error(file.path, None, message))
    return taken
