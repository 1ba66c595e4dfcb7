"""The only code that writes generated files: atomically, and only when they changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The list of files a previous run wrote: only these may ever be removed, so pointing
# --out at a folder that holds anything else never deletes it.
MANIFEST = ".digest-files"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_tree(out_dir: Path, files: Mapping[str, str | bytes]) -> WriteReport:
    """Make out_dir hold exactly `files` (of those this tool wrote), touching no equal file.
    Each file's content is asked for once, as it is written: pages render as they go."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = unchanged = 0
    for rel_path in sorted(files):
        text = files[rel_path]
        data = text.encode("utf-8") if isinstance(text, str) else text
        if write_if_changed(out_dir / rel_path, data):
            written += 1
        else:
            unchanged += 1
    removed = _remove_stale(out_dir, set(files))
    manifest = "".join(f"{path}\n" for path in sorted(files))
    write_if_changed(out_dir / MANIFEST, manifest.encode("utf-8"))
    return WriteReport(written, unchanged, removed)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _remove_stale(out_dir: Path, keep: set[str]) -> int:
    try:
        previous = (out_dir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return 0
    removed = 0
    for rel_path in previous:
        target = out_dir / rel_path
        if rel_path in keep or ".." in Path(rel_path).parts or not target.is_file():
            continue
        target.unlink()
        removed += 1
        _prune_empty(target.parent, out_dir)
    return removed


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def write_new(path: Path, data: bytes) -> bool:
    """Create a file that must not exist yet; False, and nothing written, if it does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        return False
    return True
