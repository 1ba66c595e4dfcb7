"""What several commands share, so they read the same everywhere: options, dates, problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from ..errors import DigestError, Problem


def parse_day(text: str, what: str) -> date:
    """A YYYY-MM-DD date from the command line, or a one-line error naming the option."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise DigestError(f"{what} {text!r} is not a date: give it as YYYY-MM-DD")


def content_option(
    help: str = "The content folder (listings in sources/, topics.yml).",
) -> Callable[[Any], Any]:
    return click.option(
        "--content",
        "content_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("content"),
        show_default=True,
        help=help,
    )


def config_option(help: str) -> Callable[[Any], Any]:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("mkdocs.yml"),
        show_default=True,
        help=help,
    )


def named_config_must_exist(ctx: click.Context, config_file: Path) -> None:
    """mkdocs.yml is optional, but a --config the user named must be there: a typo would
    otherwise build with the defaults (no site address) without a word."""
    named = ctx.get_parameter_source("config_file") is not ParameterSource.DEFAULT
    if named and not config_file.is_file():
        raise DigestError(f"no configuration file {config_file} (--config)")


def out_must_be_outside_content(out_dir: Path, content_dir: Path) -> None:
    """What a command writes must not land in content/: the next build would read it."""
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or content in out.parents:
        raise DigestError(
            f"--out {out_dir} is inside the content folder {content_dir}: choose one outside it"
        )


def templates_option(help: str) -> Callable[[Any], Any]:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("site_templates"),
        show_default=True,
        help=help,
    )


CONTENT_OPTION = content_option()


# Control characters (but tab and line feed) and the bidirectional controls: from a file's
# name or a listing, they would move the cursor, retitle the window or reorder the line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text for the terminal, each control character written as its escape (\\x1b)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def print_problems(problems: list[Problem]) -> None:
    """Each problem on a line of its own on standard error, in file and line order."""
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0, str(p))):
        click.echo(printable(str(problem)), err=True)
