"""The `digest` command line: parse, classify and build from the terminal."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import DigestError, Problem, Severity, error
from .listings import parse_listing
from .model import Entry
from .pipeline import generate
from .topics import classify, load_taxonomy
from .write import write_tree

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder (listings in sources/, topics.yml).",
)


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


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
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
    topics = content_dir / "topics.yml"
    taxonomy = load_taxonomy(str(topics), _read_text(topics))
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


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DigestError(error(str(path), None, f"cannot read: {exc.strerror}")) from None


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated Markdown tree into.",
)
@CONTENT_OPTION
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site_templates"),
    show_default=True,
    help="The Jinja2 page templates.",
)
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
        report = write_tree(out_dir, generated.pages)
    except OSError as exc:
        where = str(exc.filename or out_dir)
        raise DigestError(error(where, None, f"cannot write: {exc.strerror}")) from None
    click.echo(f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed")
    if any(p.severity is Severity.ERROR for p in generated.problems):
        sys.exit(1)


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _report(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(str(problem), err=True)


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
