"""Command-line options that several commands share, so they read the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


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
