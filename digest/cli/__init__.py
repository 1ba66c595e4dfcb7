"""The `digest` command line: one module per group of commands, each a thin adapter over
digest.pipeline and the stages; a user's mistake is one line and exit code 1."""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import DigestError
from .build import build
from .fetch import fetch_command
from .newsletter import newsletter
from .notes import note
from .options import print_problems
from .query import check, classify_command, list_command, parse


@click.group()
@click.version_option(__version__, prog_name="digest")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn scraped paper listings into a curated digest site."""
    ctx.obj = {"debug": debug}


for command in (
    parse,
    classify_command,
    build,
    check,
    note,
    list_command,
    newsletter,
    fetch_command,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a user's mistake is a one-line message and exit code 1."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="digest", standalone_mode=False)
    except DigestError as exc:
        if "--debug" in args:
            raise
        print_problems(exc.problems)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
