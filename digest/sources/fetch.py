"""One day of Hugging Face daily papers into content/sources/ (`digest fetch`'s work).

The network edge of digest. It downloads the daily papers API's JSON for one date, checks
that it reads as a listing, and saves it as `sources/YYYY-MM-DD-hf-daily.json`, where the
build reads it like any other listing. Nothing is written unless the whole answer arrived
and parsed, and a file is only rewritten when the day's papers changed.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import DigestError, Problem
from ..model import Entry
from ..text import clean
from ..write import write_if_changed
from .hfapi import parse_daily_papers

USER_AGENT = f"digest/{__version__} (daily papers fetcher; Python urllib)"
# A day's answer is well under a megabyte; a cap keeps a broken server from filling memory.
MAX_BYTES = 32 * 1024 * 1024
CHUNK = 64 * 1024


# --- the download ---------------------------------------------------------------------


def download(url: str, timeout: float) -> bytes:
    """The whole body of a successful answer, or a DigestError saying what went wrong.

    The request runs in a thread of its own, waited for until the deadline: urllib's
    timeout holds for each read, so a server sending its headers a byte at a time would
    keep us waiting for good (the body's reads watch the deadline themselves)."""
    outcome: list[bytes | Exception] = []
    worker = threading.Thread(target=lambda: outcome.append(_attempt(url, timeout)), daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise DigestError(f"{url}: {_failure(TimeoutError(), timeout)}")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def _attempt(url: str, timeout: float) -> bytes | Exception:
    try:
        return _download(url, timeout)
    except Exception as exc:  # handed to the waiting thread, which raises it
        return exc


def _download(url: str, timeout: float) -> bytes:
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


def checked(
    url: str, target: Path, body: bytes, issue: date
) -> tuple[bytes, list[Entry], list[Problem]]:
    """The answer as it is to be saved, its papers and the saved file's warnings; an error
    unless it is a daily papers list with at least one paper in it (or none at all, for a
    day without any)."""
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
    return data, entries, saved_problems


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


def _papers_in(target: Path, issue: date) -> tuple[Entry, ...] | None:
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


def _identity(entries: list[Entry]) -> tuple[Entry, ...]:
    """A day's papers as the site shows them: which papers, in which order, with their
    titles, abstracts, authors, organisations and code links (an abstract or a repository
    the API gains later is saved). Upvotes, stars, the JSON's key order and so the lines
    papers start at change all day and do not count."""
    return tuple(replace(entry, upvotes=None, stars=None, line=0) for entry in entries)
