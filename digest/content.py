"""Read what editors own in content/ (an IO edge: nothing here is ever written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SOURCES_DIR = "sources"
TOPICS_FILE = "topics.yml"


@dataclass(frozen=True)
class SourceFile:
    """A listing file as bytes: decoding is the parser's job, so it can report bad bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Content:
    """Everything the generator reads; `label` is how messages name the folder."""

    label: str
    sources: tuple[SourceFile, ...]
    topics_text: str | None


def read_content(root: Path) -> Content:
    """Every listing in content/sources/ (by name) and topics.yml, if present."""
    sources_dir = root / SOURCES_DIR
    paths = sorted(sources_dir.iterdir()) if sources_dir.is_dir() else []
    sources = tuple(
        SourceFile(path.name, path.read_bytes())
        for path in paths
        if path.is_file() and not path.name.startswith(".")
    )
    topics = root / TOPICS_FILE
    topics_text = topics.read_text(encoding="utf-8") if topics.is_file() else None
    return Content(_label(root), sources, topics_text)


def _label(root: Path) -> str:
    """The folder as the user knows it: relative to where they stand, when inside it."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return root.as_posix()


def is_editor_input(src_uri: str) -> bool:
    """Files the generator reads and that are never published as they are."""
    return src_uri == TOPICS_FILE or src_uri.startswith(f"{SOURCES_DIR}/")
