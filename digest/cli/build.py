"""`digest build`: the generated Markdown tree written to a folder, only what changed."""

from __future__ import annotations

import os
import sys
from collections import ChainMap
from pathlib import Path

import click

from ..errors import Severity
from ..model import SiteSettings
from ..pipeline import generate
from ..plugin.settings import site_settings
from ..site.pages.status import source_date
from ..write import cannot_write_is_an_error, write_tree
from .mkdocs_config import load_site_config
from .options import (
    CONTENT_OPTION,
    config_option,
    named_config_must_exist,
    out_must_be_outside_content,
    print_problems,
    templates_option,
)


@click.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated Markdown tree into.",
)
@CONTENT_OPTION
@templates_option("The Jinja2 page templates.")
@config_option(
    "MkDocs configuration whose site_url and digest options the pages use, as a build's "
    "do (if there is one)."
)
@click.pass_context
def build(
    ctx: click.Context, out_dir: Path, content_dir: Path, templates_dir: Path, config_file: Path
) -> None:
    """Write the generated Markdown pages to OUT, only where they changed.

    Files a previous run wrote that no longer belong are removed; nothing else in OUT is
    touched: where a file it did not write is in the way, it stops and writes nothing.
    Prints how many files were written, unchanged and removed.
    """
    named_config_must_exist(ctx, config_file)
    out_must_be_outside_content(out_dir, content_dir)
    generated = generate(content_dir, templates_dir, _settings(config_file))
    print_problems(list(generated.problems))
    with cannot_write_is_an_error(out_dir):
        report = write_tree(out_dir, ChainMap(generated.pages, generated.files))
    click.echo(f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed")
    if any(p.severity is Severity.ERROR for p in generated.problems):
        sys.exit(1)


def _settings(config_file: Path) -> SiteSettings:
    """What `mkdocs build` gives the generator: mkdocs.yml's site and the digest plugin's
    options, the build time from SOURCE_DATE_EPOCH; without mkdocs.yml, the defaults."""
    config = load_site_config(config_file)
    if config is None:
        return SiteSettings(built=source_date(os.environ.get("SOURCE_DATE_EPOCH")))
    plugin = config.plugins.get("digest")
    days = plugin.config.stale_after_days if plugin is not None else SiteSettings.stale_after_days
    return site_settings(config, days)
