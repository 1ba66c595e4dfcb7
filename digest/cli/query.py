"""Commands that read the content and say what is in it: parse, classify, list, check."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from ..errors import DigestError, Problem, Severity, error, warning
from ..model import Entry, Listing
from ..papers.topics import classify, reason_text
from ..pipeline import editors_pages_problems, gather, read_taxonomy
from ..site.pages.plan import plan_pages
from ..sources.content_folder import SOURCES_DIR, read_content
from ..sources.listings import parse_listing
from ..text import clean, decode_utf8
from .mkdocs_config import load_site_config
from .options import CONTENT_OPTION, parse_day, print_problems, printable


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as one JSON list.")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Parse listing FILES and print their entries.

    Each entry has title, abstract, authors_count, organization, published, upvotes,
    listing (the file name) and line. Warnings go to standard error.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in files:
        try:
            listing, found = parse_listing(path.name, path.read_bytes(), str(path))
        except DigestError as exc:
            problems += exc.problems
            continue
        entries += listing.entries
        problems += found
    print_problems(problems)
    if as_json:
        click.echo(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            click.echo(printable(f"{entry.listing}:{entry.line}: {entry.title}"))
    if any(p.severity is Severity.ERROR for p in problems):
        sys.exit(1)


ENTRY_KEYS = (
    "title",
    "abstract",
    "authors_count",
    "organization",
    "published",
    "upvotes",
    "listing",
    "line",
)


def _entry_json(entry: Entry) -> dict[str, Any]:
    """Exactly the documented keys, in order: other tools read them."""
    data = {key: getattr(entry, key) for key in ENTRY_KEYS}
    data["published"] = entry.published.isoformat() if entry.published else None
    return data


@click.command(name="classify")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of ranked topic slugs.")
@CONTENT_OPTION
def classify_command(file: Any, as_json: bool, content_dir: Path) -> None:
    """Classify papers read as a JSON list of {title, abstract} from FILE (default: stdin).

    Prints, for each paper in order, its topic slugs, most central first.
    """
    text = decode_utf8(file.name, file.read())  # a BOM, as listings and notes may have
    try:
        papers = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DigestError(error(file.name, exc.lineno, f"not JSON: {exc.msg}")) from None
    except ValueError as exc:  # a number of more digits than Python converts
        raise DigestError(error(file.name, None, f"not JSON a reader can take: {exc}")) from None
    except RecursionError:
        raise DigestError(
            error(file.name, None, "not JSON a reader can take: nested too deep")
        ) from None
    if not isinstance(papers, list) or not all(isinstance(p, dict) for p in papers):
        raise DigestError(error(file.name, None, "expected a JSON list of {title, abstract}"))
    taxonomy = read_taxonomy(read_content(content_dir))
    ranked = [
        [
            s.slug
            for s in classify(str(p.get("title") or ""), str(p.get("abstract") or ""), taxonomy)
        ]
        for p in papers
    ]
    if as_json:
        click.echo(json.dumps(ranked))
    else:
        for paper, slugs in zip(papers, ranked, strict=True):
            title = clean(str(paper.get("title") or ""))  # no control characters to a terminal
            click.echo(f"{', '.join(slugs) or '(none)'}\t{title}")


@click.command(name="list")
@click.option("--topic", "topic", help="Only papers with this topic slug.")
@click.option("--issue", "issue", help="Only papers in the issue of this date (YYYY-MM-DD).")
@click.option("--unsorted", is_flag=True, help="Only papers with no topic.")
@click.option("--why", is_flag=True, help="Say why each paper has each of its topics.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@CONTENT_OPTION
def list_command(
    topic: str | None,
    issue: str | None,
    unsorted: bool,
    why: bool,
    as_json: bool,
    content_dir: Path,
) -> None:
    """List papers with slug, first listing date, topics and title, newest first."""
    if issue is not None:  # "" too: a script's unset variable must not list everything
        issue = parse_day(issue, "--issue").isoformat()
    if topic is not None and not topic.strip():
        raise DigestError("--topic: give a topic's slug, not nothing")
    if unsorted and topic:
        raise DigestError("--unsorted lists papers with no topic: leave out --topic")
    digest, _ = gather(read_content(content_dir))
    topic = digest.taxonomy.renamed.get(topic, topic) if topic else topic  # an old slug too
    if topic and topic not in {t.slug for t in digest.taxonomy.topics}:
        raise DigestError(f"no topic {topic!r} in topics.yml")
    in_issue = {s for i in digest.issues if i.date.isoformat() == issue for s in i.slugs}
    if issue and not in_issue:
        raise DigestError(f"no issue dated {issue!r}")
    rows = []
    for paper in digest.papers:
        scores = digest.topics_of.get(paper.slug, ())
        slugs = [s.slug for s in scores]
        if (
            (topic and topic not in slugs)
            or (issue and paper.slug not in in_issue)
            or (unsorted and slugs)
        ):
            continue
        rows.append((paper, scores))
    if as_json:
        click.echo(
            json.dumps(
                [_paper_json(digest, p, s, why) for p, s in rows], ensure_ascii=False, indent=2
            )
        )
        return
    for paper, scores in rows:
        flags = " (pick)" if digest.is_pick(paper.slug) else ""
        flags += " (hidden)" if paper.slug in digest.hidden else ""
        topics = ",".join(s.slug for s in scores) or "-"
        click.echo(f"{paper.slug}\t{paper.first_seen.isoformat()}\t{topics}\t{paper.title}{flags}")
        if why:
            for score in scores:
                click.echo(f"    {score.slug}: {reason_text(score)}")


def _paper_json(digest: Any, paper: Any, scores: Any, why: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": paper.slug,
        "title": paper.title,
        "topics": [s.slug for s in scores],
        "first_seen": paper.first_seen.isoformat(),
        "published": paper.published.isoformat() if paper.published else None,
        "issues": sorted({a.date.isoformat() for a in paper.appearances}),
        "pick": digest.is_pick(paper.slug),
        "hidden": paper.slug in digest.hidden,
    }
    if why:
        data["why"] = {s.slug: reason_text(s) for s in scores}
    return data


@click.command()
@CONTENT_OPTION
def check(content_dir: Path) -> None:
    """Check everything in the content folder without building.

    Listings, topics.yml, notes, topic introductions, the home introduction and pages:
    one line per problem, `path:line: error|warning: message`. Exits 1 on any error.
    """
    content = read_content(content_dir)
    digest, problems = gather(content)
    problems += _from_the_future(digest.listings, content_dir)
    paths = [plan.path for plan in plan_pages(digest)]
    problems += editors_pages_problems(content, digest, paths, _directory_urls())
    print_problems(problems)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        sys.exit(1)
    click.echo(
        f"{content_dir}: {len(digest.papers)} papers, {len(digest.issues)} issues, "
        f"{len(digest.notes)} notes; {len(problems)} warnings",
        err=True,
    )


def _directory_urls() -> bool:
    """Whether pages end in / or in .html, as the mkdocs.yml here says (where two pages
    meet depends on it); a build stops on a broken one, so check does not."""
    try:
        config = load_site_config(Path("mkdocs.yml"))
    except DigestError:
        return True
    return True if config is None else bool(config.use_directory_urls)


def _from_the_future(listings: Iterable[Listing], content_dir: Path) -> list[Problem]:
    """A listing dated after tomorrow (anywhere on Earth it is at most tomorrow), most
    likely a mistyped year in its file's name: it would be the latest issue for years,
    and hide the "behind" banner. Only `check` looks at the clock: builds do not."""
    tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
    return [
        warning(
            str(content_dir / SOURCES_DIR / listing.name),
            None,
            f"dated {listing.date.isoformat()}, after today: is the year in its name right?",
        )
        for listing in listings
        if listing.date > tomorrow
    ]
