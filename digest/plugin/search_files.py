"""Pagefind's index files: read, written, and merged from the shards' indexes into the one
index under site/pagefind/ (the merging itself is digest/site/search_merge.py)."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cbor2
from mkdocs.exceptions import PluginError

from ..site.search_merge import (
    MergeError,
    chunk_bounds,
    date_order,
    field_numbers,
    merge_filters,
    page_names,
)
from ..site.search_words import Word, chunk_cbor, chunk_words, merge_pieces, word_pieces
from .cache import content_hash


def write_index(dest: Path, *, outputs: list[Path]) -> None:
    """Merge the shards' indexes (in shard order) into one Pagefind index at dest."""
    entries = [json.loads((out / "pagefind-entry.json").read_text("utf-8")) for out in outputs]
    if len({entry["version"] for entry in entries}) > 1:
        raise MergeError("the shards were indexed by different versions of Pagefind")
    shutil.rmtree(dest, ignore_errors=True)
    for sub in ("fragment", "index", "filter", SORTS):
        (dest / sub).mkdir(parents=True)
    for out in outputs:  # Pagefind's scripts and WebAssembly: the same in every shard
        for path in out.iterdir():
            if path.is_file() and path.suffix not in _MERGED and not (dest / path.name).exists():
                shutil.copyfile(path, dest / path.name)
    # Every build whose index changed names its pages anew, so that a browser never takes
    # a fragment it keeps from an earlier build for a page of this one.
    version = content_hash(*(out.name for out in outputs))[:6]
    languages = {}
    for language in sorted({code for entry in entries for code in entry["languages"]}):
        parts = [
            _Part(out, entry["languages"][language])
            for out, entry in zip(outputs, entries, strict=True)
            if language in entry["languages"]
        ]
        languages[language] = _write_language(dest, language, version, parts)
    entry = {**entries[0], "languages": languages}
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (dest / "pagefind-entry.json").write_text(text, "utf-8")


MANIFEST = "manifest.json"  # a shard's files and their hashes, written last
PIECES = "pieces"  # a shard's words, as search_words.Pieces (see keep_for_merging)
PAGES = "pages.json"  # a shard's pages' date, url and upvotes (see keep_for_merging)
SORTS = "sorts"  # in the merged index: each page's upvotes, in date order
PICKLE_PROTOCOL = 5
_MERGED = {".pf_meta", ".json"}  # the files written anew: the metadata, entry and manifest


class _Part:
    """One shard's index of one language: its folder, its metadata, and its pages' date,
    url and upvotes, in its order."""

    def __init__(self, out: Path, about: dict[str, Any]) -> None:
        self.out, self.about = out, about
        self.meta = read_index_file(out / f"pagefind.{about['hash']}.pf_meta")
        self.pages = json.loads((out / PAGES).read_text("utf-8"))[about["hash"]]
        if len(self.pages) != len(self.meta[1]):
            raise MergeError(f"{out.name}: {len(self.meta[1])} pages, {len(self.pages)} read")

    def words(self, fields: list[int] | None) -> Iterator[Word]:
        """The shard's words, in order, as kept by keep_for_merging, or, where its meta fields
        are numbered otherwise in the merged index, decoded from its index files."""
        if fields is None:
            with _pieces_file(self.out, self.about["hash"]).open("rb") as kept:
                for _ in self.meta[2]:
                    yield from pickle.load(kept)
            return
        shard_pages = len(self.meta[1])
        for words in _chunks(self.out, self.meta):
            yield from (word_pieces(word, shard_pages, fields) for word in words)

    def filters(self) -> list[Any]:
        return [read_index_file(self.out / "filter" / f"{n}.pf_filter") for _, n in self.meta[3]]


def keep_for_merging(index: Path) -> None:
    """Keep in a Pagefind index's folder what merging it with others reads: its words as
    search_words.Pieces (in PIECES, a pickled list per chunk of words), and each page's
    date, url and upvotes from its fragment (in PAGES), by language."""
    entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    (index / PIECES).mkdir()
    pages = {}
    for about in entry["languages"].values():
        meta = read_index_file(index / f"pagefind.{about['hash']}.pf_meta")
        with _pieces_file(index, about["hash"]).open("wb") as kept:
            for words in _chunks(index, meta):
                kept_words = [word_pieces(word, len(meta[1])) for word in words]
                pickle.dump(kept_words, kept, PICKLE_PROTOCOL)
        fragments = (
            read_index_file(index / "fragment" / f"{name}.pf_fragment", json.loads)
            for name, _ in meta[1]
        )
        pages[about["hash"]] = [_page_facts(fragment) for fragment in fragments]
    (index / PAGES).write_text(json.dumps(pages), "utf-8")


def _page_facts(fragment: dict[str, Any]) -> list[Any]:
    """A page's [date, url, upvotes], from its fragment: its metadata's date (or ""), and
    its upvotes as a whole number (0 if it has none)."""
    meta = fragment.get("meta") or {}
    upvotes = str(meta.get("upvotes", ""))
    return [
        str(meta.get("date", "")),
        str(fragment.get("url", "")),
        int(upvotes) if upvotes.isdigit() else 0,
    ]


def _chunks(index: Path, meta: list[Any]) -> Iterator[list[Any]]:
    """The words of each chunk of an index's metadata, decoded, in word order."""
    for _, _, name in meta[2]:
        yield read_index_file(index / "index" / f"{name}.pf_index")[0]


def _pieces_file(index: Path, language_hash: str) -> Path:
    return index / PIECES / f"{language_hash}.pickle"


def _write_language(dest: Path, language: str, version: str, parts: list[_Part]) -> dict[str, Any]:
    """Merge the parts' indexes of one language; its pages are named after the version."""
    offsets = list(itertools.accumulate([len(part.meta[1]) for part in parts[:-1]], initial=0))
    pages = _write_pages(dest, f"{language}_{version}", parts)
    fields = sorted({name for part in parts for name in part.meta[5]})
    words = [part.words(field_numbers(part.meta[5], fields)) for part in parts]
    ends, names = [], []
    for chunk in chunk_words(merge_pieces(words, offsets)):
        ends.append((chunk[0][0], chunk[-1][0]))
        names.append(_write_cbor(dest / "index", language, ".pf_index", chunk_cbor(chunk), 7))
    chunks = [[*bounds, name] for bounds, name in zip(chunk_bounds(ends), names, strict=True)]
    filters = [
        [values[0], _write(dest / "filter", language, ".pf_filter", values, 7)]
        for values in merge_filters([part.filters() for part in parts], offsets)
    ]
    meta = [parts[0].meta[0], pages, chunks, filters, [], fields]
    name = _write(dest, f"pagefind.{language}", ".pf_meta", meta, 10)
    return {**parts[0].about, "hash": name.removeprefix("pagefind."), "page_count": len(pages)}


def _write_pages(dest: Path, prefix: str, parts: list[_Part]) -> list[list[Any]]:
    """Link the parts' fragments into dest, named by their pages' places in date order
    (page_names), and write the pages' upvotes in that order (SORTS/prefix.json); the
    metadata's list of pages: [name, word count], in page order."""
    facts = [page for part in parts for page in part.pages]
    order = date_order(facts)
    names = iter(page_names(prefix, order))
    pages = []
    for part in parts:
        for fragment, count in part.meta[1]:
            pages.append([name := next(names), count])
            link(
                part.out / "fragment" / f"{fragment}.pf_fragment",
                dest / "fragment" / f"{name}.pf_fragment",
            )
    upvotes = json.dumps({"upvotes": [facts[n][2] for n in order]}, separators=(",", ":"))
    (dest / SORTS / f"{prefix}.json").write_text(upvotes, "utf-8")
    return pages


# --- Pagefind's files ----------------------------------------------------------------------

# Pagefind's files: gzip-compressed, then this signature, then CBOR.
_SIGNATURE = b"pagefind_dcd"


def read_index_file(path: Path, decode: Callable[[bytes], Any] = cbor2.loads) -> Any:
    """A Pagefind index file's contents, as CBOR reads them (lists, strings, numbers), or
    as `decode` reads them (a fragment is JSON)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PluginError(f"{path}: not a Pagefind index file this version of digest knows")
    return decode(data[len(_SIGNATURE) :])


def _write(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write the value as Pagefind does, named prefix_HASH; returns prefix_HASH."""
    return _write_cbor(folder, prefix, suffix, cbor2.dumps(value), digits)


def _write_cbor(folder: Path, prefix: str, suffix: str, cbor: bytes, digits: int) -> str:
    data = _SIGNATURE + cbor
    full = hashlib.sha256(data).hexdigest()
    while True:
        name = f"{prefix}_{full[:digits]}"
        path = folder / f"{name}{suffix}"
        if not path.exists():
            path.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))  # Pagefind's level
            return name
        if gzip.decompress(path.read_bytes()) == data:
            return name
        digits += 1


def link(source: Path, target: Path) -> None:
    """The file at another place: a hard link where the file system allows one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
