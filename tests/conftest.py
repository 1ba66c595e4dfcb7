"""Shared fixtures: the repository's own default content, and real builds of it."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.model import Listing, Paper
from digest.papers.merge import merge
from digest.sources.listings import parse_listing
from digest.tools.screenshots import chromium_path, serve

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "content" / "sources"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_project(dest: Path) -> Path:
    """A copy of the site's inputs (mkdocs.yml, content/, site_templates/) to build in."""
    for name in ("content", "site_templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `mkdocs build`, as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def run_digest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`digest ARGS` run in the project, as a user runs it (not checked: tests look)."""
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=project, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


# Pagefind's fragments are gzipped JSON after this signature.
PAGEFIND_FRAGMENT = b"pagefind_dcd"


def search_records(site: Path) -> list[dict]:
    """What the site's search knows of each indexed page, read back from Pagefind's
    fragments: {"url", "content", "meta": {"title"}, ...}."""
    records = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(PAGEFIND_FRAGMENT), fragment
        records.append(json.loads(data[len(PAGEFIND_FRAGMENT) :]))
    return records


@pytest.fixture(scope="session")
def seed_listings() -> list[Listing]:
    return [parse_listing(p.name, p.read_bytes())[0] for p in sorted(SOURCES.glob("*.txt"))]


@pytest.fixture(scope="session")
def papers(seed_listings: list[Listing]) -> tuple[Paper, ...]:
    return merge(seed_listings)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default content built once with `mkdocs build --strict`; returns site/."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


CHROMIUM = chromium_path()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def stay_on_this_site(page) -> None:
    """Block the outside world: every page must work from this site alone."""
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )
