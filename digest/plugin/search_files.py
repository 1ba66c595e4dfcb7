"""Pagefind's index files: read, written, and merged from the shards' indexes into the one
index under site/pagefind/ (the merging itself is digest/site/search_merge.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cbor2
from mkdocs.exceptions import PluginError

from ..site.search_merge import MergeError, chunk_bounds, field_numbers, merge_filters, merge_sorts
from ..site.search_words import Word, chunk_cbor, chunk_words, merge_pieces, word_pieces

if TYPE_CHECKING:
    from .search import Shard


def write_index(dest: Path, *, shards: list[Shard], outputs: list[Path]) -> None:
    """Merge the shards' indexes (in shard order) into one Pagefind index at dest."""
    entries = [json.loads((out / "pagefind-entry.json").read_text("utf-8")) for out in outputs]
    if len({entry["version"] for entry in entries}) > 1:
        raise MergeError("the shards were indexed by different versions of Pagefind")
    shutil.rmtree(dest, ignore_errors=True)
    for sub in ("fragment", "index", "filter"):
        (dest / sub).mkdir(parents=True)
    for out in outputs:  # Pagefind's scripts and WebAssembly: the same in every shard
        for path in out.iterdir():
            if path.is_file() and path.suffix not in _MERGED and not (dest / path.name).exists():
                shutil.copyfile(path, dest / path.name)
    languages = {}
    for language in sorted({code for entry in entries for code in entry["languages"]}):
        parts = [
            _Part(shard, out, entry["languages"][language])
            for shard, out, entry in zip(shards, outputs, entries, strict=True)
            if language in entry["languages"]
        ]
        languages[language] = _write_language(dest, language, parts)
    entry = {**entries[0], "languages": languages}
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (dest / "pagefind-entry.json").write_text(text, "utf-8")


MANIFEST = "manifest.json"  # a shard's files and their hashes, written last
PIECES = "pieces"  # a shard's words, as search_words.Pieces (see write_pieces)
PICKLE_PROTOCOL = 5
_MERGED = {".pf_meta", ".json"}  # the files written anew: the metadata, entry and manifest


class _Part:
    """One shard's index of one language: its folder, and its metadata."""

    def __init__(self, shard: Shard, out: Path, about: dict[str, Any]) -> None:
        self.shard, self.out, self.about = shard, out, about
        self.meta = read_index_file(out / f"pagefind.{about['hash']}.pf_meta")

    def words(self, fields: list[int] | None) -> Iterator[Word]:
        """The shard's words, in order, as kept by write_pieces, or, where its meta fields
        are numbered otherwise in the merged index, decoded from its index files."""
        if fields is None:
            with _pieces_file(self.out, self.about["hash"]).open("rb") as kept:
                for _ in self.meta[2]:
                    yield from pickle.load(kept)
            return
        for words in _chunks(self.out, self.meta):
            yield from (word_pieces(word, fields) for word in words)

    def filters(self) -> list[Any]:
        return [read_index_file(self.out / "filter" / f"{n}.pf_filter") for _, n in self.meta[3]]


def write_pieces(index: Path) -> None:
    """Keep a Pagefind index's words as search_words.Pieces, in its folder PIECES, a
    pickled list per chunk of words: what merging it with others reads."""
    entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    (index / PIECES).mkdir()
    for about in entry["languages"].values():
        meta = read_index_file(index / f"pagefind.{about['hash']}.pf_meta")
        with _pieces_file(index, about["hash"]).open("wb") as kept:
            for words in _chunks(index, meta):
                pickle.dump([word_pieces(word) for word in words], kept, PICKLE_PROTOCOL)


def _chunks(index: Path, meta: list[Any]) -> Iterator[list[Any]]:
    """The words of each chunk of an index's metadata, decoded, in word order."""
    for _, _, name in meta[2]:
        yield read_index_file(index / "index" / f"{name}.pf_index")[0]


def _pieces_file(index: Path, language_hash: str) -> Path:
    return index / PIECES / f"{language_hash}.pickle"


def _write_language(dest: Path, language: str, parts: list[_Part]) -> dict[str, Any]:
    offsets, pages = [], []
    for part in parts:
        offsets.append(len(pages))
        pages += [[_fragment(dest, part.out, name, language), n] for name, n in part.meta[1]]
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
    if len(parts) == 1:
        sorts = sorted(parts[0].meta[4], key=lambda sort: sort[0])
    else:
        sorts = merge_sorts([p.meta[4] for p in parts], [p.shard.sorts for p in parts], offsets)
    meta = [parts[0].meta[0], pages, chunks, filters, sorts, fields]
    name = _write(dest, f"pagefind.{language}", ".pf_meta", meta, 10)
    return {**parts[0].about, "hash": name.removeprefix("pagefind."), "page_count": len(pages)}


def _fragment(dest: Path, out: Path, name: str, language: str) -> str:
    """Put a shard's page fragment into the merged index; its name there (another one if
    a different fragment of another shard has the same short name)."""
    source = out / "fragment" / f"{name}.pf_fragment"
    data, digits = b"", 7  # read only when the name is taken: most fragments are not
    while (target := dest / "fragment" / f"{name}.pf_fragment").exists():
        data = data or source.read_bytes()
        if target.read_bytes() == data:
            return name
        name, digits = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}", digits + 1
    link(source, target)
    return name


# --- Pagefind's files ----------------------------------------------------------------------

# Pagefind's files: gzip-compressed, then this signature, then CBOR.
_SIGNATURE = b"pagefind_dcd"


def read_index_file(path: Path) -> Any:
    """A Pagefind index file's contents, as CBOR reads them (lists, strings, numbers)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PluginError(f"{path}: not a Pagefind index file this version of digest knows")
    return cbor2.loads(data[len(_SIGNATURE) :])


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
