"""The only code that writes generated files: atomically, and only when they changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import DigestError, error

# The list of files a previous run wrote: only these may ever be removed, so pointing
# --out at a folder that holds anything else never deletes it.
MANIFEST = ".digest-files"
FOREIGN_SHOWN = 5  # files an error names, of those in the way


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_tree(out_dir: Path, files: Mapping[str, str | bytes]) -> WriteReport:
    """Make out_dir hold exactly `files` (of those this tool wrote), touching no equal file.
    Each file's content is asked for once, as it is written: pages render as they go.
    A file at one of their places that no earlier run wrote is someone's own: nothing is
    written, and the error names it."""
    previous = set(_written_before(out_dir))
    _refuse_foreign(out_dir, [path for path in files if path not in previous])
    out_dir.mkdir(parents=True, exist_ok=True)
    # Listed before they are written: a run stopped half way (a full disk) leaves files
    # the next run knows as its own, not someone's to refuse to overwrite.
    _write_manifest(out_dir, previous | set(files))
    written = unchanged = 0
    for rel_path in sorted(files):
        text = files[rel_path]
        data = text.encode("utf-8") if isinstance(text, str) else text
        if write_if_changed(out_dir / rel_path, data):
            written += 1
        else:
            unchanged += 1
    removed = _remove_stale(out_dir, set(files))
    _write_manifest(out_dir, set(files))
    return WriteReport(written, unchanged, removed)


def _write_manifest(out_dir: Path, paths: set[str]) -> None:
    write_if_changed(out_dir / MANIFEST, "".join(f"{p}\n" for p in sorted(paths)).encode())


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, at import: setting it back and forth while files are written could race.
_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    """The mode the file has, or a new file's (as `open` would make it): a temporary file
    is only for its owner, and a newsletter or a listing must stay readable to others."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


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
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _written_before(out_dir: Path) -> list[str]:
    """The files an earlier run wrote into out_dir, as its manifest lists them."""
    try:
        return (out_dir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _refuse_foreign(out_dir: Path, new_paths: list[str]) -> None:
    """Nothing is written where a file of someone else's is, or where one is in the way
    of a folder to write into (`tags` a file, for tags/classic.md)."""
    folders = {str(f) for path in new_paths for f in PurePosixPath(path).parents} - {"."}
    in_the_way = [f for f in folders if (out_dir / f).exists() and not (out_dir / f).is_dir()]
    foreign = sorted([path for path in new_paths if (out_dir / path).exists()] + in_the_way)
    if not foreign:
        return
    problems = [
        error(str(out_dir / path), None, "not written by digest, so not overwritten")
        for path in foreign[:FOREIGN_SHOWN]
    ]
    hidden = len(foreign) - len(problems)
    more = f"{hidden} more such files, and " if hidden else ""
    message = f"{more}nothing written: move them, or write to another folder"
    raise DigestError([*problems, error(str(out_dir), None, message)])


def _remove_stale(out_dir: Path, keep: set[str]) -> int:
    removed = 0
    for rel_path in _written_before(out_dir):
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


@contextmanager
def cannot_write_is_an_error(where: Path) -> Iterator[None]:
    """An OS error while writing, as one line naming the file (else `where`): a folder
    that is a file, or one that cannot be written to."""
    try:
        yield
    except OSError as exc:
        named = str(exc.filename or where)
        raise DigestError(error(named, None, f"cannot write: {exc.strerror or exc}")) from None
