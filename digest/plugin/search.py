"""The search index: Pagefind run over the built site (see README, "Search")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# What Pagefind leaves out of the index: the permalink signs beside headings.
SEARCH_IGNORES = ".headerlink"


def index_for_search(site_dir: Path) -> None:
    """Write Pagefind's search index into site_dir/pagefind/: it reads the built pages,
    the parts marked data-pagefind-body (see the theme's main.html), and nothing else."""
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site_dir),
        "--output-subdir", "pagefind", "--exclude-selectors", SEARCH_IGNORES, "--silent",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PluginError(f"could not run Pagefind to index the site for search: {exc}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise PluginError(f"Pagefind could not index the site for search:\n{output}")
