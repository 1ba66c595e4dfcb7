"""`digest note new`: start an editor's note on a paper, never over an existing one."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import click

from ..errors import DigestError
from ..papers.notes import find_paper, unknown_paper
from ..pipeline import gather
from ..site.render import front_matter
from ..sources.content_folder import NOTES_DIR, read_content
from ..write import cannot_write_is_an_error, write_new
from .options import CONTENT_OPTION

TODAY = date.today  # the command line is an edge: it may ask the clock


@click.group()
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
    note = (front_matter(meta) + _note_body(found.title, found.abstract)).encode()
    with cannot_write_is_an_error(path):
        if not write_new(path, note):
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
