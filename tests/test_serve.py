"""`mkdocs serve` as a maintainer runs it: edits in content/ and site_templates/ reload."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_editorial import content_hashes

from digest.papers.merge import slug_for

from conftest import copy_project, free_port

NEW_TITLE = "A Freshly Added Paper About Serving Reloads"
NEW_ABSTRACT = "We show that an edited listing reaches the served site. " * 8


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(check, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    yield from serve_project(tmp_path)


@pytest.fixture
def served_dirty(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    yield from serve_project(tmp_path, "--dirty")


def serve_project(tmp_path: Path, *options: str) -> Iterator[tuple[Path, str, Path]]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *options],
            cwd=project,
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=hear_ctrl_c,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            assert wait_for(lambda: fetch(url) is not None), log.read_text(encoding="utf-8")
            yield project, url, log
        finally:  # Ctrl-C, as a maintainer stops it: the search index is finished first
            process.send_signal(signal.SIGINT)
            process.wait(timeout=120)


def hear_ctrl_c() -> None:
    """In the server's process, before it starts: Ctrl-C stops it, as in a maintainer's
    terminal, even where the tests run as a background job (which ignores it, and passes
    that on)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def builds(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("Documentation built")


def test_serve_reloads_on_content_and_template_edits_without_a_loop(served) -> None:
    project, url, log = served
    listing = project / "content" / "sources" / "2026-03-24-trending.txt"
    with listing.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{NEW_TITLE}\n{NEW_ABSTRACT}\n")
    edited = content_hashes(project / "content")
    paper_url = f"{url}papers/{slug_for(NEW_TITLE)}/"
    assert wait_for(lambda: NEW_TITLE in (fetch(paper_url) or "")), log.read_text(encoding="utf-8")
    assert content_hashes(project / "content") == edited  # the rebuild wrote nothing there

    template = project / "site_templates" / "paper.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + "\nTemplate-edit-marker\n", encoding="utf-8"
    )
    assert wait_for(lambda: "Template-edit-marker" in (fetch(paper_url) or ""))

    settled = builds(log)
    time.sleep(5)
    assert builds(log) == settled, "the server kept rebuilding with nothing edited"


CHANGED = re.compile(r"(\d+) of (\d+) generated pages and files changed")


def test_a_dirty_serve_rebuilds_only_the_pages_a_note_edit_changes(served_dirty) -> None:
    project, url, log = served_dirty
    note = next((project / "content" / "notes").glob("*.md"))
    paper_url = f"{url}papers/{note.stem}/"
    assert wait_for(lambda: fetch(paper_url) is not None)
    note.write_text(note.read_text(encoding="utf-8") + "\nDirty-edit-marker\n", encoding="utf-8")
    assert wait_for(lambda: "Dirty-edit-marker" in (fetch(paper_url) or "")), log.read_text("utf-8")
    changed, total = map(int, CHANGED.findall(log.read_text(encoding="utf-8"))[-1])
    assert 1 <= changed <= 5 and total > 500, (changed, total)
    # Pagefind's index is written beside the pages, a moment after they reload.
    assert wait_for(lambda: fetch(f"{url}pagefind/pagefind-entry.json") is not None)
    # A listing added, then deleted: its pages go with it (MkDocs' dirty build removes
    # nothing itself).
    listing = project / "content" / "sources" / "2026-03-27-added.txt"
    listing.write_text(f"{NEW_TITLE}\n{NEW_ABSTRACT}\n", encoding="utf-8")
    added = [f"{url}papers/{slug_for(NEW_TITLE)}/", f"{url}issues/2026-03-27/"]
    assert wait_for(lambda: all(fetch(page) for page in added)), log.read_text("utf-8")
    listing.unlink()
    assert wait_for(lambda: not any(fetch(page) for page in added)), log.read_text("utf-8")
