"""MkDocs hooks for the bench (`hooks:` in a bench project's mkdocs.yml): each page's own
CPU time in a build, summed by the first folder of its source path (papers, topics, orgs,
weeks, ...), written to page-times.json beside mkdocs.yml when the build ends.

A page's own time is its two parts: from reading its source (which renders a generated
page's Markdown) to its HTML, and from its template's context to its output. What every
page shares (the navigation, Pagefind, the generator's planning) is not in it."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

TIMES_FILE = "page-times.json"

_started: dict[str, float] = {}
_seconds: dict[str, float] = defaultdict(float)
_pages: dict[str, int] = defaultdict(int)


def _family(page: Any) -> str:
    source = page.file.src_uri
    return source.split("/", 1)[0] if "/" in source else source.removesuffix(".md")


def _start(page: Any) -> None:
    _started[page.file.src_uri] = time.process_time()


def _stop(page: Any) -> None:
    started = _started.pop(page.file.src_uri, None)
    if started is not None:
        _seconds[_family(page)] += time.process_time() - started


@event_priority(100)  # before every plugin's
def on_page_read_source(page: Any, **kwargs: Any) -> None:
    _start(page)


@event_priority(-100)  # after every plugin's
def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    _stop(page)
    return html


@event_priority(100)
def on_page_context(context: Any, page: Any, **kwargs: Any) -> Any:
    _start(page)
    return context


@event_priority(-100)
def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    _stop(page)
    _pages[_family(page)] += 1
    return output


def on_post_build(config: Any, **kwargs: Any) -> None:
    report = {family: {"seconds": _seconds[family], "pages": _pages[family]} for family in _pages}
    path = Path(config.config_file_path).parent / TIMES_FILE
    path.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _seconds.clear()
    _pages.clear()
