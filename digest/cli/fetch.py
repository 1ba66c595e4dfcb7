"""`digest fetch`: one day of Hugging Face daily papers into content/sources/.

The command and where the API is (the environment, mkdocs.yml or the default); the
download, its checks and the saving are digest.sources.fetch's.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..errors import DigestError
from ..sources.content_folder import SOURCES_DIR
from ..sources.fetch import checked, download, save
from ..sources.listing_names import FIRST_YEAR, LAST_YEAR
from .mkdocs_config import load_site_config
from .options import (
    config_option,
    content_option,
    named_config_must_exist,
    parse_day,
    print_problems,
)

TODAY = date.today  # the command line is an edge: it may ask the clock
DEFAULT_API = "https://huggingface.co"
API_ENV = "DIGEST_HF_API"  # replaces DEFAULT_API (or mkdocs.yml's hf_api) when set


@click.command(name="fetch")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to fetch.  [default: today]")
@content_option("The content folder; the listing is saved in its sources/.")
@config_option(
    f"MkDocs configuration whose digest plugin option hf_api names the API ({API_ENV} "
    "in the environment overrides it)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=3600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the API's whole answer.",
)
@click.pass_context
def fetch_command(
    ctx: click.Context, day: str | None, content_dir: Path, config_file: Path, timeout: float
) -> None:
    """Download one day of Hugging Face daily papers into the content folder.

    Saves the API's answer as sources/YYYY-MM-DD-hf-daily.json and prints whether the file
    was written, replaced or left unchanged (when it already lists the same papers, in the
    same order, with the same titles, abstracts, authors and code links: upvotes and stars
    alone change nothing). A day without papers writes nothing. On any failure nothing is
    written and the command exits with 1.
    """
    if math.isnan(timeout):  # past every bound of a FloatRange
        raise DigestError("--timeout must be a number of seconds, not nan")
    issue = _issue_date(day)
    _check_folders(ctx, content_dir, config_file)
    url = f"{api_base(config_file, os.environ)}/api/daily_papers?date={issue.isoformat()}"
    body = download(url, timeout)
    target = content_dir / SOURCES_DIR / f"{issue.isoformat()}-hf-daily.json"
    data, entries, problems = checked(url, target, body, issue)
    print_problems(problems)  # worth keeping all the same; the build will say so too
    if not entries:
        click.echo(f"{target}: no papers on {issue.isoformat()}; nothing written")
        return
    status = save(target, data, entries, issue)
    click.echo(f"{target}: {status} ({_papers(len(entries))})")


def _issue_date(day: str | None) -> date:
    issue = TODAY() if day is None else parse_day(day, "--date")
    if not FIRST_YEAR <= issue.year <= LAST_YEAR:  # a file no build could read
        raise DigestError(f"--date {day}: the year must be {FIRST_YEAR} to {LAST_YEAR}")
    return issue


def _check_folders(ctx: click.Context, content_dir: Path, config_file: Path) -> None:
    """Before going online: a typo must not create a stray content tree or go unnoticed."""
    if not content_dir.is_dir():
        raise DigestError(
            f"no content folder {content_dir}: run this where it is, or give --content"
        )
    named_config_must_exist(ctx, config_file)


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


# --- where the API is -----------------------------------------------------------------


def api_base(config_file: Path, environ: Mapping[str, str]) -> str:
    """The API's base URL: the environment's, else mkdocs.yml's hf_api, else the default."""
    if environ.get(API_ENV):
        return _checked_base(environ[API_ENV], f"the environment variable {API_ENV}")
    configured = _configured_base(config_file)
    if configured is not None:
        return _checked_base(configured, f"{config_file}: the digest plugin's hf_api")
    return DEFAULT_API


def _configured_base(config_file: Path) -> str | None:
    """mkdocs.yml's digest plugin option hf_api, read the way MkDocs reads it."""
    config = load_site_config(config_file)
    plugin = config.plugins.get("digest") if config is not None else None
    return getattr(plugin.config, "hf_api", None) if plugin is not None else None


def _checked_base(base: str, source: str) -> str:
    wrong = DigestError(f"{source} is {base!r}: give an http(s) URL such as {DEFAULT_API}")
    try:  # "http://[::1" and a port past 65535 ("http://host:99999") are ValueErrors
        parts = urlsplit(base.strip())
        parts.port  # noqa: B018 (read for its check, so 99999 is not another port)
    except ValueError:
        raise wrong from None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise wrong
    return base.strip().rstrip("/")
