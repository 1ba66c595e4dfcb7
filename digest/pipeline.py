"""The generator as one call: content in, Markdown pages and problems out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import SOURCES_DIR, TOPICS_FILE, Content, read_content
from .errors import DigestError, Problem, error
from .listings import parse_listing
from .merge import issues, merge
from .model import Digest, Listing
from .pages import plan_pages
from .render import environment, render_all
from .topics import classify_all, load_taxonomy


@dataclass(frozen=True)
class Generated:
    digest: Digest
    pages: dict[str, str]
    problems: tuple[Problem, ...]


def read_listings(content: Content) -> tuple[list[Listing], list[Problem]]:
    """Every listing that can be read; a file that cannot is reported and left out."""
    listings: list[Listing] = []
    problems: list[Problem] = []
    for source in content.sources:
        path = f"{content.label}/{SOURCES_DIR}/{source.name}"
        try:
            listing, found = parse_listing(source.name, source.data, path)
        except DigestError as exc:
            problems += exc.problems
            continue
        listings.append(listing)
        problems += found
    return listings, problems


def gather(content: Content) -> tuple[Digest, list[Problem]]:
    """Parse, merge and classify: everything known before any page is decided."""
    topics_path = f"{content.label}/{TOPICS_FILE}"
    if content.topics_text is None:
        raise DigestError(
            error(topics_path, None, "topics.yml is missing: the digest needs its topics")
        )
    taxonomy = load_taxonomy(topics_path, content.topics_text)
    listings, problems = read_listings(content)
    papers = merge(listings)
    digest = Digest(papers, issues(listings, papers), taxonomy, classify_all(papers, taxonomy))
    return digest, problems


def generate(content_dir: Path, templates_dir: Path, site_name: str = "digest") -> Generated:
    digest, problems = gather(read_content(content_dir))
    pages = render_all(environment(templates_dir, site_name), plan_pages(digest))
    return Generated(digest, pages, tuple(problems))
