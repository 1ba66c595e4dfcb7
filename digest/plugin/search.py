"""The search index: Pagefind run over the built site (see README, "Search")."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

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
    settle_order(site_dir / "pagefind")


def index_in_background(site_dir: Path) -> None:
    """index_for_search() in a thread of its own, while `mkdocs serve` serves: its error
    is logged, as nothing waits for it."""
    try:
        index_for_search(site_dir)
    except PluginError as exc:
        log.error("%s", exc)


# Pagefind's files: gzip-compressed, then this signature, then CBOR.
_SIGNATURE = b"pagefind_dcd"


def settle_order(pagefind: Path) -> None:
    """Put the filters' values, the filters and the sort orders of Pagefind's index in
    order, so the same site gives the same files, byte for byte. Pagefind 1.5 writes them
    in hash-map order, different on every run (sorted in its sources since, unreleased).
    Each rewritten file gets a name from its new content, as Pagefind names them."""
    entry_path = pagefind / "pagefind-entry.json"
    entry_text = entry_path.read_text("utf-8")
    for language, about in json.loads(entry_text)["languages"].items():
        meta_path = pagefind / f"pagefind.{about['hash']}.pf_meta"
        # version, pages, index chunks, filters [(name, file)], sorts [(name, pages)], ...
        meta = read_index_file(meta_path)
        filters = []
        for name, old in meta[3]:
            path = pagefind / "filter" / f"{old}.pf_filter"
            name_and_values = read_index_file(path)
            name_and_values[1].sort(key=lambda value_pages: value_pages[0])
            path.unlink()
            filters.append(
                [name, _write(pagefind / "filter", language, ".pf_filter", name_and_values, 7)]
            )
        meta[3] = sorted(filters)
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        meta_path.unlink()
        new_hash = _write(pagefind, f"pagefind.{language}", ".pf_meta", meta, 10)
        entry_text = entry_text.replace(about["hash"], new_hash.removeprefix("pagefind."))
    entry_path.write_text(entry_text, "utf-8")


def read_index_file(path: Path) -> Any:
    """A Pagefind index file's contents, as CBOR reads them (lists, strings, numbers)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PluginError(f"{path}: not a Pagefind index file this version of digest knows")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write the value as Pagefind does, named prefix_HASH; returns prefix_HASH."""
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name
