"""What several commands share, so they read the same everywhere: options, dates, problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

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


def print_problems(problems: list[Problem]) -> None:
    """Each problem on a line of its own on standard error, in file and line order."""
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0, str(p))):
        click.echo(str(problem), err=True)
