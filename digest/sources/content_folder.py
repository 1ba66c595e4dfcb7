"""Read what editors own in content/ (an IO edge: nothing here is ever written)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import DigestError, error

SOURCES_DIR = "sources"
NOTES_DIR = "notes"
INTROS_DIR = "topics"
PAGES_DIR = "pages"
TOPICS_FILE = "topics.yml"
HOME_INTRO = "index.md"


@dataclass(frozen=True)
class ContentFile:
    """One file as bytes: decoding belongs to its reader, so it can report bad bytes.

    `rel` is its path below content/, `path` how messages name it.
    """

    rel: str
    path: str
    data: bytes

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Content:
    """Everything the generator reads from content/."""

    label: str
    sources: tuple[ContentFile, ...]
    topics: ContentFile | None
    notes: tuple[ContentFile, ...] = ()
    intros: tuple[ContentFile, ...] = ()
    home_intro: ContentFile | None = None
    pages: tuple[ContentFile, ...] = ()
    # Files in the folders the generator reads that it does not read (in a folder below,
    # or another kind of file), as messages name them: an editor is told, not ignored.
    unread: tuple[tuple[str, str], ...] = ()  # (path, why it is not read)
    # The editor's own Markdown pages, wherever they are: MkDocs publishes them as they are.
    published: tuple[ContentFile, ...] = ()


def read_content(root: Path) -> Content:
    """Listings, topics.yml, notes, topic introductions, the home introduction and pages."""
    label = _label(root)
    if not root.is_dir():
        raise DigestError(
            error(label, None, "no content folder here: give --content, or run this where it is")
        )

    def files(folder: str, suffix: str) -> tuple[ContentFile, ...]:
        where = root / folder
        found = sorted(where.iterdir()) if where.is_dir() else []
        return tuple(
            ContentFile(f"{folder}/{p.name}", f"{label}/{folder}/{p.name}", p.read_bytes())
            for p in found
            if p.is_file()
            and not is_hidden(p.name)
            and p.name.endswith(suffix)
            and is_utf8_name(p.name)
        )

    def one(name: str) -> ContentFile | None:
        path = root / name
        return ContentFile(name, f"{label}/{name}", path.read_bytes()) if path.is_file() else None

    sources, notes, intros = (
        files(SOURCES_DIR, ""),
        files(NOTES_DIR, ".md"),
        files(INTROS_DIR, ".md"),
    )
    read = {file.rel for file in (*sources, *notes, *intros)}
    everything = _files_below(root, ("",))
    published = tuple(
        ContentFile(rel, f"{label}/{rel}", (root / rel).read_bytes())
        for rel in everything
        if rel.endswith(".md") and is_utf8_name(rel) and not is_editor_input(rel)
    )
    unread = [
        (f"{label}/{_shown(rel)}", why)
        for rel in everything
        if rel not in read and (why := _why_unread(rel))
    ] + _not_files(root, label)
    return Content(
        label=label,
        sources=sources,
        topics=one(TOPICS_FILE),
        notes=notes,
        intros=intros,
        home_intro=one(HOME_INTRO),
        # The pages directly in pages/ (the navigation's), read once with the others.
        pages=tuple(f for f in published if f.rel.rpartition("/")[0] == PAGES_DIR),
        unread=tuple(unread),
        published=published,
    )


_HOLDS = {
    SOURCES_DIR: f"listings are the files directly in {SOURCES_DIR}/",
    NOTES_DIR: f"notes are the .md files directly in {NOTES_DIR}/",
    INTROS_DIR: f"topic introductions are the .md files directly in {INTROS_DIR}/",
}


def _not_files(root: Path, label: str) -> list[tuple[str, str]]:
    """A folder the generator reads that is a file, and what is in one of them but is no
    file (a link to nothing, a folder named like a listing): each named, not skipped."""
    found = []
    for folder, holds in _HOLDS.items():
        where = root / folder
        if where.exists() and not where.is_dir():
            found.append((f"{label}/{folder}", f"a folder is expected here: {holds}"))
        for path in sorted(where.iterdir()) if where.is_dir() else []:
            if not is_hidden(path.name) and not path.is_file() and not path.is_dir():
                found.append(
                    (f"{label}/{folder}/{_shown(path.name)}", "not a file (a broken link?)")
                )
            elif path.is_dir() and not any(path.iterdir()):
                found.append((f"{label}/{folder}/{_shown(path.name)}", f"an empty folder: {holds}"))
    return found


def _why_unread(rel: str) -> str | None:
    """Why a file the generator does not read is not read, when an editor would expect it
    to be: in a folder the generator reads, or with a name nothing can publish."""
    if not is_utf8_name(rel):
        return _NOT_UTF8
    return _HOLDS.get(rel.split("/", 1)[0]) if "/" in rel else None


# A name that is not UTF-8 (the file system's bytes, as Python keeps them) cannot be a
# page's address, a link or a cache key.
_NOT_UTF8 = "its name is not UTF-8: rename it"


def is_utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """A file's name as a message can print it: bytes that are not UTF-8 as \\xff."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _files_below(root: Path, folders: tuple[str, ...]) -> list[str]:
    """Every file in the folders and the folders below them, by its path below root,
    leaving out hidden ones (a name starting with ".", or in such a folder)."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not _in_hidden_place(rel):
                found.append(rel)
    return found


def _label(root: Path) -> str:
    """The folder as the user knows it: relative to where they stand, when inside it."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return root.as_posix()


def not_published(src_uri: str) -> bool:
    """Files in content/ that MkDocs must not publish as they are: what the generator
    reads, a text editor's copies, and names that are not UTF-8 (warned of as not read),
    which stop MkDocs."""
    return _in_hidden_place(src_uri) or is_editor_input(src_uri) or not is_utf8_name(src_uri)


def _in_hidden_place(rel: str) -> bool:
    return any(is_hidden(part) for part in rel.split("/"))


def is_hidden(name: str) -> bool:
    """A name nobody means to publish: hidden (".x"), or a text editor's backup ("x~")
    or autosave ("#x#") copy."""
    return (
        name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    )


def is_editor_input(src_uri: str) -> bool:
    """Files the generator reads and that are never published as they are."""
    return src_uri in (TOPICS_FILE, HOME_INTRO) or src_uri.startswith(
        (f"{SOURCES_DIR}/", f"{NOTES_DIR}/", f"{INTROS_DIR}/")
    )
