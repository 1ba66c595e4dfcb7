"""The merged index's words, joined from the shards' words as CBOR bytes.

Decoding every shard's words and encoding the merged ones again cost most of a merge (at
50,000 pages, 17 of 32 s went to encoding alone), and a day's new papers make every
chunk of words change. Yet a word's merged list of pages is its shards' lists one after
another, each list's first page number moved (a list holds differences, see
search_merge.py) and nothing else changed. So each shard's words are kept, once, as
Pieces: a list of pages as its CBOR bytes but for its first page's number. Joining them is
writing that number and copying the bytes: cbor2 encodes the same value to the same bytes
(tests/test_search_index.py checks every merged file against cbor2's own encoding).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import cbor2

# A word chunk is closed once it holds this many locations and pages, as Pagefind does
# (its chunk_index), so that a one-word search loads about as much as from Pagefind's own.
CHUNK_SIZE = 20000

# A word on more than this share of a shard's pages, and on more than COMMON_PAGES of them,
# keeps its pages but not its places in their text (its places in their metadata, such as
# the title, stay). Such a word tells pages apart by little (its weight in Pagefind's
# ranking, the IDF, is under 0.92, where a word on 50 of 50,000 pages weighs 6.9), yet its
# places were most of the index: the chunk that holds "the" weighed 179 KB at 50,000
# papers, and every search with a word of that chunk downloaded it.
# A page without places of a word is still found by it, but not by an exact phrase with
# it, so the search boxes leave quotes out of a search (assets/search.js).
COMMON_SHARE = 0.4
COMMON_PAGES = 50


def common_from(pages: int) -> int:
    """How many pages a word must be on, in a shard of so many pages, to keep no places in
    their text."""
    return max(int(pages * COMMON_SHARE), COMMON_PAGES)


# A list of pages: (how many, the first page's number, the last page's number, the CBOR
# of the list less its length and its first number, its weight: locations and pages).
Pages = tuple[int, int, int, bytes, int]
# A word: (the word, its pages, its variants as (variant, pages)).
Word = tuple[str, Pages, tuple[tuple[str, Pages], ...]]
# A merged word: (the word, its CBOR, its weight).
Merged = tuple[str, bytes, int]


def word_pieces(word: list[Any], shard_pages: int, fields: Sequence[int] | None = None) -> Word:
    """A decoded word ([word, pages, variants]) of a shard of so many pages as Pieces: a
    list of more than common_from(shard_pages) pages without its places in their text, and
    the n-th field of its meta locations made the fields[n]-th (None: as they are)."""
    common = common_from(shard_pages)
    return (
        word[0],
        _pages(word[1], common, fields),
        tuple((variant[0], _pages(variant[1], common, fields)) for variant in word[2]),
    )


def _pages(pages: list[Any], common: int, fields: Sequence[int] | None) -> Pages:
    if not pages:
        return (0, 0, 0, b"", 0)
    if len(pages) > common:  # a page: [its number's difference, text places, meta places]
        for page in pages:
            page[1] = []
    if fields is not None:  # in meta locations, -(n + 1) starts the n-th field's
        for page in pages:
            page[2] = [-fields[-at - 1] - 1 if at < 0 else at for at in page[2]]
    first = pages[0]
    rest = cbor2.dumps(pages[1:])[len(_head(4, len(pages) - 1)) :]
    body = cbor2.dumps(first[1]) + cbor2.dumps(first[2]) + rest
    weight = sum(len(page[1]) + 1 for page in pages)
    return (len(pages), first[0], sum(page[0] for page in pages), body, weight)


def merge_pieces(shards: Sequence[Iterable[Word]], offsets: Sequence[int]) -> Iterator[Merged]:
    """The words of every shard in one sorted stream, as CBOR: each shard's words come
    sorted, and a word found in several shards becomes one, its pages and variants in
    shard order, each shard's page numbers moved up by its offset."""
    tagged = [_tagged(words, n) for n, words in enumerate(shards)]
    merged = heapq.merge(*tagged)  # (text, n) is unique: the words are never compared
    for text, found in itertools.groupby(merged, key=lambda item: item[0]):
        parts = [(word, offsets[n]) for _, n, word in found]
        variants: dict[str, list[tuple[Pages, int]]] = {}  # in order of first appearance
        for word, offset in parts:
            for variant, pages in word[2]:
                variants.setdefault(variant, []).append((pages, offset))
        body, weight = _joined([(word[1], offset) for word, offset in parts])
        cbor = [b"\x83", _text(text), body, _head(4, len(variants))]
        for variant, found_in in variants.items():
            variant_body, variant_weight = _joined(found_in)
            cbor += [b"\x82", _text(variant), variant_body]
            weight += variant_weight
        yield text, b"".join(cbor), weight


def _tagged(words: Iterable[Word], n: int) -> Iterator[tuple[str, int, Word]]:
    for word in words:
        yield word[0], n, word


def _joined(parts: list[tuple[Pages, int]]) -> tuple[bytes, int]:
    """Shards' lists of pages as one list's CBOR, each moved up by its offset: the first
    page of each is a difference from the last page of the one before."""
    cbor, count, weight, last = [], 0, 0, 0
    for (pages, first, end, body, pages_weight), offset in parts:
        if pages:
            cbor += [b"\x83", _int(first + offset - last), body]
            count, weight, last = count + pages, weight + pages_weight, end + offset
    return _head(4, count) + b"".join(cbor), weight


def chunk_words(words: Iterable[Merged], size: int = CHUNK_SIZE) -> Iterator[list[Merged]]:
    """The words in chunks of about `size` locations and pages each, in word order."""
    chunk: list[Merged] = []
    filled = 0
    for word in words:
        chunk.append(word)
        filled += word[2]
        if filled >= size:
            yield chunk
            chunk, filled = [], 0
    if chunk:
        yield chunk


def chunk_cbor(chunk: list[Merged]) -> bytes:
    """A chunk file's CBOR: [[word, ...]]."""
    return b"\x81" + _head(4, len(chunk)) + b"".join(cbor for _, cbor, _ in chunk)


# --- CBOR's heads (RFC 8949, section 3), in their shortest form, as cbor2 writes them ---


def _head(major: int, n: int) -> bytes:
    """The head of an item of a major type (0 integer, 3 text, 4 array) with argument n."""
    if n < 24:
        return bytes((major << 5 | n,))
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes((major << 5 | extra,)) + n.to_bytes(size, "big")
    raise ValueError(f"{n} is too large for CBOR")


def _int(n: int) -> bytes:
    return _head(0, n) if n >= 0 else _head(1, -1 - n)


def _text(text: str) -> bytes:
    data = text.encode("utf-8")
    return _head(3, len(data)) + data
