"""The `digest` command line: parse, classify, check, list, start notes and build."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections import ChainMap
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import click

from . import __version__
from .content import NOTES_DIR, read_content
from .errors import DigestError, Problem, Severity, error
from .fetch import fetch_command
from .listings import parse_listing
from .mail import send_mail, smtp_settings
from .model import Entry
from .newsletter import edition, message
from .notes import find_paper, unknown_paper
from .options import content_option, parse_day, templates_option
from .pipeline import gather, generate, read_taxonomy
from .render import front_matter
from .siteconfig import load_site_config
from .topics import classify, reason_text
from .write import write_if_changed, write_new, write_tree

TODAY = date.today  # the command line is an edge: it may ask the clock

CONTENT_OPTION = content_option()


@click.group()
@click.version_option(__version__, prog_name="digest")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn scraped paper listings into a curated digest site."""
    ctx.obj = {"debug": debug}


@cli.command()
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
    _report(problems)
    if as_json:
        click.echo(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            click.echo(f"{entry.listing}:{entry.line}: {entry.title}")
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


@cli.command(name="classify")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of ranked topic slugs.")
@CONTENT_OPTION
def classify_command(file: Any, as_json: bool, content_dir: Path) -> None:
    """Classify papers read as a JSON list of {title, abstract} from FILE (default: stdin).

    Prints, for each paper in order, its topic slugs, most central first.
    """
    try:
        papers = json.load(file)
    except json.JSONDecodeError as exc:
        raise DigestError(error(file.name, exc.lineno, f"not JSON: {exc.msg}")) from None
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
            click.echo(f"{', '.join(slugs) or '(none)'}\t{paper.get('title', '')}")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated Markdown tree into.",
)
@CONTENT_OPTION
@templates_option("The Jinja2 page templates.")
def build(out_dir: Path, content_dir: Path, templates_dir: Path) -> None:
    """Write the generated Markdown pages to OUT, only where they changed.

    Files a previous run wrote that no longer belong are removed; nothing else in OUT is
    touched. Prints how many files were written, unchanged and removed.
    """
    if _inside(out_dir, content_dir):
        raise DigestError(
            f"--out {out_dir} is inside the content folder {content_dir}: choose one outside it"
        )
    generated = generate(content_dir, templates_dir)
    _report(list(generated.problems))
    try:
        report = write_tree(out_dir, ChainMap(generated.pages, generated.files))
    except OSError as exc:
        where = str(exc.filename or out_dir)
        raise DigestError(error(where, None, f"cannot write: {exc.strerror}")) from None
    click.echo(f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed")
    if any(p.severity is Severity.ERROR for p in generated.problems):
        sys.exit(1)


@cli.command()
@CONTENT_OPTION
def check(content_dir: Path) -> None:
    """Check everything in the content folder without building.

    Listings, topics.yml, notes, topic introductions, the home introduction and pages:
    one line per problem, `path:line: error|warning: message`. Exits 1 on any error.
    """
    digest, problems = gather(read_content(content_dir))
    _report(problems)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        sys.exit(1)
    click.echo(
        f"{content_dir}: {len(digest.papers)} papers, {len(digest.issues)} issues, "
        f"{len(digest.notes)} notes; {len(problems)} warnings",
        err=True,
    )


@cli.group()
def note() -> None:
    """Editors' notes in content/notes/."""


@note.command(name="new")
@click.argument("paper")
@CONTENT_OPTION
def note_new(paper: str, content_dir: Path) -> None:
    """Start a note on PAPER (its slug or title) and print the new file's path.

    The note has its front matter filled in and the abstract quoted in a comment, for
    reference. An existing note is never overwritten.
    """
    digest, _ = gather(read_content(content_dir))
    found = find_paper(paper, digest.papers)
    if found is None:
        raise DigestError(unknown_paper(paper, list(digest.papers)))
    if found.slug in digest.notes:
        raise DigestError(f"{digest.notes[found.slug].path} is already a note on {found.slug!r}")
    path = content_dir / NOTES_DIR / f"{found.slug}.md"
    meta = {
        "paper": found.slug,
        "pick": False,
        "editor": "",
        "date": TODAY().isoformat(),
        "tags": [],
    }
    if not write_new(path, (front_matter(meta) + _note_body(found.title, found.abstract)).encode()):
        raise DigestError(f"{path} exists already: edit it, or remove it first")
    click.echo(str(path))


def _note_body(title: str, abstract: str) -> str:
    """The abstract for the editor to read, in an HTML comment that nothing can close."""
    quoted = "\n".join(textwrap.wrap(f"{title}. {abstract}", 88))
    while "--" in quoted:
        quoted = quoted.replace("--", "- -")
    return (
        f"\n<!-- Write your note below this comment, which is not published.\n\n{quoted}\n-->\n\n"
    )


@cli.command(name="list")
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
    digest, _ = gather(read_content(content_dir))
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


@cli.command()
@click.argument("day", metavar="YYYY-MM-DD")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write digest-DAY.eml, .html and .txt here (default: print the email).",
)
@click.option("--send", is_flag=True, help="Send it by SMTP (settings from DIGEST_SMTP_*).")
@click.option("--to", "to", help="The address to send to, with --send.")
@click.option("--site-url", help="The site's address for links (default: mkdocs.yml's site_url).")
@CONTENT_OPTION
@templates_option("The email templates.")
def newsletter(
    day: str,
    out_dir: Path | None,
    send: bool,
    to: str | None,
    site_url: str | None,
    content_dir: Path,
    templates_dir: Path,
) -> None:
    """Write the issue of DAY as an email (HTML and plain text), or send it.

    Picks come first, then the papers grouped by topic, each linking to its page. SMTP
    settings come from the environment: DIGEST_SMTP_HOST, DIGEST_SMTP_PORT,
    DIGEST_SMTP_USER, DIGEST_SMTP_PASSWORD, DIGEST_SMTP_STARTTLS (1 or 0) and
    DIGEST_SMTP_FROM.
    """
    if send and not to:
        raise DigestError("--send needs --to ADDRESS")
    digest, _ = gather(read_content(content_dir))
    url = _site_url(site_url)
    sender = os.environ.get("DIGEST_SMTP_FROM", "digest@localhost")
    mail = message(edition(digest, parse_day(day, "the day"), url), templates_dir, sender, to or "")
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for suffix, data in _email_files(mail).items():
            write_if_changed(out_dir / f"digest-{day}{suffix}", data)
        click.echo(str(out_dir / f"digest-{day}.eml"))
    if send:
        send_mail(mail, smtp_settings(os.environ))
        click.echo(f"sent to {to}")
    elif out_dir is None:
        click.echo(mail.as_string())


def _site_url(given: str | None, config_file: Path = Path("mkdocs.yml")) -> str:
    """--site-url, else mkdocs.yml's site_url (with its !ENV default), else a local one."""
    url = given
    if url is None:
        config = load_site_config(config_file)
        url = config.site_url if config is not None else None
    url = url or "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


def _email_files(mail: EmailMessage) -> dict[str, bytes]:
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    return {
        ".eml": mail.as_bytes(),
        ".txt": text.get_content().encode("utf-8") if text else b"",
        ".html": html.get_content().encode("utf-8") if html else b"",
    }


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _report(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(str(problem), err=True)


cli.add_command(fetch_command)  # the network edge has a module of its own


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a user's mistake is a one-line message and exit code 1."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="digest", standalone_mode=False)
    except DigestError as exc:
        if "--debug" in args:
            raise
        _report(exc.problems)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
