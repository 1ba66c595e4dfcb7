"""`digest fetch`: one day of Hugging Face daily papers into content/sources/.

The network edge of digest. It downloads the daily papers API's JSON for one date, checks
that it reads as a listing, and saves it as `sources/YYYY-MM-DD-hf-daily.json`, where the
build reads it like any other listing. Nothing is written unless the whole answer arrived
and parsed, and a file is only rewritten when the day's papers changed.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from . import __version__
from .content import SOURCES_DIR
from .errors import DigestError, Problem
from .hfapi import parse_daily_papers
from .model import Entry
from .options import content_option, parse_day
from .siteconfig import load_site_config
from .text import clean
from .write import write_if_changed

TODAY = date.today  # the command line is an edge: it may ask the clock
DEFAULT_API = "https://huggingface.co"
API_ENV = "DIGEST_HF_API"  # replaces DEFAULT_API (or mkdocs.yml's hf_api) when set
USER_AGENT = f"digest/{__version__} (daily papers fetcher; Python urllib)"
# A day's answer is well under a megabyte; a cap keeps a broken server from filling memory.
MAX_BYTES = 32 * 1024 * 1024
CHUNK = 64 * 1024


@click.command(name="fetch")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to fetch.  [default: today]")
@content_option("The content folder; the listing is saved in its sources/.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help=f"MkDocs configuration whose digest plugin option hf_api names the API ({API_ENV} "
    "in the environment overrides it).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
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
    same order, with the same titles). A day without papers writes nothing. On any failure
    nothing is written and the command exits with 1.
    """
    issue = _issue_date(day)
    _check_folders(ctx, content_dir, config_file)
    url = f"{api_base(config_file, os.environ)}/api/daily_papers?date={issue.isoformat()}"
    body = download(url, timeout)
    target = content_dir / SOURCES_DIR / f"{issue.isoformat()}-hf-daily.json"
    data, entries = _checked(url, target, body, issue)
    if not entries:
        click.echo(f"{target}: no papers on {issue.isoformat()}; nothing written")
        return
    status = save(target, data, entries, issue)
    click.echo(f"{target}: {status} ({_papers(len(entries))})")


def _issue_date(day: str | None) -> date:
    return TODAY() if day is None else parse_day(day, "--date")


def _check_folders(ctx: click.Context, content_dir: Path, config_file: Path) -> None:
    """Before going online: a typo must not create a stray content tree or go unnoticed."""
    if not content_dir.is_dir():
        raise DigestError(
            f"no content folder {content_dir}: run this where it is, or give --content"
        )
    # mkdocs.yml is optional, but a --config the user named must be there.
    named = ctx.get_parameter_source("config_file") is not ParameterSource.DEFAULT
    if named and not config_file.is_file():
        raise DigestError(f"no configuration file {config_file} (--config)")


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
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise DigestError(f"{source} is {base!r}: give an http(s) URL such as {DEFAULT_API}")
    return base.strip().rstrip("/")


# --- the download ---------------------------------------------------------------------


def download(url: str, timeout: float) -> bytes:
    """The whole body of a successful answer, or a DigestError saying what went wrong."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_all(response, url, deadline)
    except urllib.error.HTTPError as exc:
        exc.close()
        reason = clean(str(exc.reason))[:100]
        raise DigestError(f"{url}: the API answered HTTP {exc.code} {reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise DigestError(f"{url}: {_failure(exc.reason, timeout)}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise DigestError(f"{url}: {_failure(exc, timeout)}") from None


def _read_all(response: Any, url: str, deadline: float) -> bytes:
    """Read in chunks against a deadline: the socket timeout alone allows a server that
    sends a byte now and then to keep us waiting forever."""
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived; read(n) would wait for all n bytes, past the deadline.
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise DigestError(f"{url}: the answer is larger than {MAX_BYTES // 2**20} MB")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    if getattr(response, "length", None):  # read1, unlike read, does not check for this
        raise DigestError(f"{url}: the connection closed before the whole answer arrived")
    return b"".join(chunks)


def _failure(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"no complete answer within {timeout:g} seconds (see --timeout)"
    return f"cannot reach the API: {clean(str(reason)) or type(reason).__name__}"


# --- checking and saving --------------------------------------------------------------


def _checked(url: str, target: Path, body: bytes, issue: date) -> tuple[bytes, list[Entry]]:
    """The answer as it is to be saved, and its papers; an error unless it is a daily
    papers list with at least one paper in it (or none at all, for a day without any)."""
    try:
        _, problems = parse_daily_papers(target.name, body, url, issue)
    except DigestError as exc:
        raise DigestError(f"{url}: not the daily papers JSON: {_where(exc.problems[0])}") from None
    data = _readable(body)
    # Parsed again as saved, so that warnings name the lines of the saved file.
    entries, saved_problems = parse_daily_papers(target.name, data, str(target), issue)
    if problems and not entries:
        raise DigestError(
            f"{url}: not the daily papers JSON: no item is a paper ({_where(problems[0])})"
        )
    for problem in saved_problems:  # worth keeping all the same; the build will say so too
        click.echo(str(problem), err=True)
    return data, entries


def _readable(body: bytes) -> bytes:
    """The answer as saved: the same JSON, indented, so that each paper starts on a line of
    its own (the API sends one long line) and problems and git diffs can point at it."""
    items = json.loads(body.decode("utf-8").removeprefix("\ufeff"))  # parsed once already
    try:
        return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (sent as \ud800) has no UTF-8: escape all
        return (json.dumps(items, indent=2) + "\n").encode("ascii")


def _where(problem: Problem) -> str:
    return f"line {problem.line}: {problem.message}" if problem.line else problem.message


def save(target: Path, body: bytes, entries: list[Entry], issue: date) -> str:
    """Write the answer unless the file already lists the same papers: 'written' (new),
    'replaced' or 'unchanged' (the file is not touched at all, its mtime included)."""
    before = _papers_in(target, issue)
    if before == _identity(entries):
        return "unchanged"
    try:
        write_if_changed(target, body)
    except OSError as exc:
        raise DigestError(f"cannot write {target}: {exc.strerror or exc}") from None
    return "written" if before is None else "replaced"


def _papers_in(target: Path, issue: date) -> tuple[tuple[str | None, str], ...] | None:
    """What the saved file lists (None when there is none; () when it cannot be read)."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DigestError(f"cannot read {target}: {exc.strerror or exc}") from None
    try:
        entries, _ = parse_daily_papers(target.name, data, str(target), issue)
    except DigestError:
        return ()  # a damaged file is replaced by a good answer
    return _identity(entries)


def _identity(entries: list[Entry]) -> tuple[tuple[str | None, str], ...]:
    """A day's papers as the site shows them: which papers, in which order, under which
    titles. Upvotes, stars and the JSON's key order change all day and do not count."""
    return tuple((entry.arxiv_id, entry.title) for entry in entries)
