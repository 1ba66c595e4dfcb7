"""The search index in shards (digest/plugin/search.py): the merged index says what one
Pagefind pass over the whole site says, and a shard is indexed again only when what
Pagefind reads of its pages changed; a damaged shard is made again, never used."""

from __future__ import annotations

import gc
import gzip
import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2
import pytest

from digest.plugin import search
from digest.plugin.search import (
    FACTS_FILE,
    SEARCH_IGNORES,
    SHARDS,
    index_for_search,
    plan_shards,
)
from digest.plugin.search_files import read_index_file
from digest.site.search_merge import chunk_bounds, merge_sorts, shard_of, without_ignored
from digest.site.search_words import merge_pieces, word_pieces

FRAGMENT_SIGNATURE = b"pagefind_dcd"


def index_by_url(folder: Path) -> dict[str, Any]:
    """What a Pagefind index says, with every page named by its URL rather than by its
    number: its pages (word count and fragment), words (each page's locations, and the
    words' variants), filters, the values of each sort order, and the meta fields."""
    entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
    (language, about), *others = entry["languages"].items()
    assert not others, entry
    meta = read_index_file(folder / f"pagefind.{about['hash']}.pf_meta")
    fragments = []
    for name, count in meta[1]:
        data = gzip.decompress((folder / "fragment" / f"{name}.pf_fragment").read_bytes())
        fragments.append((json.loads(data[len(FRAGMENT_SIGNATURE) :]), count))
    urls = [fragment["url"] for fragment, _ in fragments]

    def by_url(pages: list[Any]) -> list[Any]:  # page numbers are differences, in order
        numbers = itertools.accumulate(page[0] for page in pages)
        return sorted([urls[n], page[1], page[2]] for n, page in zip(numbers, pages, strict=True))

    words = {}
    for low, high, name in meta[2]:
        for word in read_index_file(folder / "index" / f"{name}.pf_index")[0]:
            assert low <= word[0][: len(low)] and word[0][: len(high)] <= high, (low, high, word)
            words[word[0]] = [by_url(word[1]), sorted([v[0], by_url(v[1])] for v in word[2])]
    filters = {}
    for _, name in meta[3]:
        filter_name, values = read_index_file(folder / "filter" / f"{name}.pf_filter")
        filters[filter_name] = {value: sorted(urls[n] for n in pages) for value, pages in values}
    records = {fragment["url"]: fragment for fragment, _ in fragments}
    return {
        "pages": {
            url: [count, fragment] for url, (fragment, count) in zip(urls, fragments, strict=True)
        },
        "words": words,
        "filters": filters,
        "sorts": {
            name: [records[urls[n]]["meta"].get(name) for n in pages] for name, pages in meta[4]
        },
        "fields": meta[5],
        "count": about["page_count"],
        "language": language,
    }


def pagefind_in_one_pass(site: Path, output: Path) -> Path:
    """Pagefind's own index of the whole site, as one run writes it."""
    pages = output.parent / "pages"
    shutil.copytree(site, pages, ignore=shutil.ignore_patterns("pagefind"))
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path",
               str(output), "--exclude-selectors", SEARCH_IGNORES, "--silent"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return output


def files_of(folder: Path) -> dict[str, bytes]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site, tmp_path / "site"))


def a_paper_page(site: Path) -> Path:
    return sorted(site.glob("papers/*/index.html"))[0]


def test_the_merged_index_says_what_one_pagefind_pass_says(site: Path, tmp_path: Path) -> None:
    assert len(plan_shards(site)) >= 3, "the seeds should make several shards"
    index_for_search(site, tmp_path / "cache")
    merged = index_by_url(site / "pagefind")
    whole = index_by_url(pagefind_in_one_pass(site, tmp_path / "one" / "pagefind"))
    assert merged["count"] == whole["count"] == len(whole["pages"]) >= 400
    for part in ("pages", "filters", "fields", "language"):
        assert merged[part] == whole[part], part
    assert merged["words"].keys() == whole["words"].keys()
    differ = [w for w in whole["words"] if merged["words"][w] != whole["words"][w]]
    assert not differ, differ[:5]
    # Pages with equal values may come in another order: their values come in the same.
    assert merged["sorts"] == whole["sorts"]


def test_a_change_pagefind_does_not_read_indexes_nothing_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert len(index_for_search(site, cache)) == len(plan_shards(site))
    before = files_of(site / "pagefind")
    page = a_paper_page(site)
    html = page.read_text("utf-8")
    ignored = html.index('<div data-pagefind-ignore="all"')  # related papers, issues, ...
    changed = html[:ignored] + html[ignored:].replace("</a>", " and one more paper</a>", 1)
    assert changed != html and without_ignored(changed) == without_ignored(html)
    page.write_text(changed, "utf-8")

    assert index_for_search(site, cache) == []
    assert files_of(site / "pagefind") == before


def test_a_changed_abstract_indexes_its_month_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index_for_search(site, cache)
    page = a_paper_page(site)
    html = page.read_text("utf-8")
    page.write_text(html.replace("<p>", "<p>Quokkaformers ", 1), "utf-8")
    date = re.search(r'data-pagefind-sort="date:([^"]+)"', html)[1]

    assert index_for_search(site, cache) == [shard_of({"date": date})]
    merged = index_by_url(site / "pagefind")
    url = "/" + page.parent.relative_to(site).as_posix() + "/"
    assert [found[0] for found in merged["words"]["quokkaform"][0]] == [url]
    whole = index_by_url(pagefind_in_one_pass(site, tmp_path / "one" / "pagefind"))
    assert merged["words"] == whole["words"] and merged["pages"] == whole["pages"]


def test_a_damaged_shard_is_indexed_again_never_used(site: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    index_for_search(site, None)
    shutil.copytree(site / "pagefind", cold)
    cache = tmp_path / "cache"
    index_for_search(site, cache)
    shard = sorted((cache / SHARDS).glob("pages-*"))[0]
    index_chunk = sorted((shard / "index").iterdir())[0]
    index_chunk.write_bytes(index_chunk.read_bytes()[:-10])  # a half-written file
    merged = next((cache / SHARDS).glob("merged-*"))
    (merged / "pagefind-entry.json").write_text("{}")  # and a damaged merged index

    assert index_for_search(site, cache) == [shard.name.rsplit("-", 1)[0]]
    assert files_of(site / "pagefind") == files_of(cold)


def test_a_page_whose_key_was_seen_is_not_read_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rebuild cache's key of a generated page says its HTML: what its shard needs of
    it is kept by that key, and a daily build reads only the pages with a new one."""
    cache = tmp_path / "cache"
    papers = sorted(p.relative_to(site).as_posix() for p in site.glob("papers/*/index.html"))
    keys = {path: f"key of {path}" for path in papers}
    cold = tmp_path / "cold"
    index_for_search(site, None)
    shutil.copytree(site / "pagefind", cold)
    read: list[Path] = []
    real_read = search._read
    monkeypatch.setattr(search, "_read", lambda path: read.append(path) or real_read(path))

    index_for_search(site, cache, keys)
    assert len(read) > len(papers)  # the first time, every page is read
    read.clear()
    new_key = dict(keys, **{papers[0]: "a new key"})
    assert index_for_search(site, cache, new_key) == []
    assert [p.relative_to(site).as_posix() for p in read if "papers" in p.parts] == [papers[0]]
    assert files_of(site / "pagefind") == files_of(cold)

    (cache / FACTS_FILE).write_bytes((cache / FACTS_FILE).read_bytes()[:-20])  # damaged
    read.clear()
    assert index_for_search(site, cache, new_key) == []
    assert len(read) > len(papers)  # not believed: every page read again
    assert files_of(site / "pagefind") == files_of(cold)


def small_site(folder: Path, pages: dict[str, tuple[str, str]]) -> Path:
    """A site of a few pages: each name's page has its date, and upvotes written as the
    text of an element with that sort key's name, if one is given."""
    for name, (date, sort) in pages.items():
        (folder / name).mkdir(parents=True)
        upvotes = f'<p data-pagefind-sort="{sort}">3</p>' if sort else ""
        heading = f'<h1 data-pagefind-sort="date:{date}">Page {name}</h1>'
        body = f"<div data-pagefind-body>{heading}{upvotes}</div>"
        (folder / name / "index.html").write_text(f'<html lang="en"><body>{body}</body></html>')
    return folder


def test_pages_with_sort_keys_written_otherwise_are_indexed_in_one_piece(tmp_path: Path) -> None:
    # Page c's upvotes are the text of its element: digest cannot read them to merge.
    pages = {"a": ("2024-01-05", ""), "b": ("2024-07-05", ""), "c": ("2024-08-01", "upvotes")}
    site = small_site(tmp_path / "site", pages)

    assert index_for_search(site, tmp_path / "cache")[-1] == "all"
    assert sorted(index_by_url(site / "pagefind")["pages"]) == ["/a/", "/b/", "/c/"]
    kept = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / SHARDS).iterdir())
    assert kept == ["all", "merged"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """Indexing pauses Python's cycle collector while it merges; a long `mkdocs serve`
    would grow without bound if it were left off."""
    site = small_site(tmp_path / "site", {"a": ("2024-01-05", ""), "b": ("2024-02-05", "")})
    (gc.enable if enabled else gc.disable)()
    try:
        index_for_search(site, tmp_path / "cache")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_ignored_divs_are_cut_whole_and_an_open_one_is_kept() -> None:
    ignored = '<div data-pagefind-ignore="all"><div>x</div><div><div>y</div></div></div>'
    assert without_ignored(f"a{ignored}b{ignored}c") == "abc"
    assert without_ignored('a<div data-pagefind-ignore="all"><div>x</div>b') == (
        'a<div data-pagefind-ignore="all"><div>x</div>b'
    )


def test_merged_sort_orders_follow_values_then_page_order() -> None:
    # Two shards of three and two pages; each lists its pages by upvotes, as Pagefind does.
    shard_sorts = [[["upvotes", [2, 0, 1]]], [["upvotes", [1, 0]]]]
    values = [{"upvotes": ["10", "3", "9"]}, {"upvotes": ["9", "100"]}]
    merged = merge_sorts(shard_sorts, values, [0, 3])
    # Values 3, 9, 9, 10, 100 (numbers, not text); the two 9s in page order (1, then 4).
    assert merged == [["upvotes", [2, 0, 4, 1, 3]]]


def test_chunk_bounds_cut_where_chunks_meet() -> None:
    bounds = chunk_bounds([("apple", "banana"), ("band", "cherry"), ("chess", "zoo")])
    assert bounds == [("apple", "bana"), ("band", "cher"), ("ches", "zoo")]


def test_a_pages_shard_is_the_iso_week_of_its_date() -> None:
    assert shard_of({"date": "2024-03-31"}) == "2024-W13"  # a Sunday: its week's last day
    assert shard_of({"date": "2024-04-01"}) == "2024-W14"
    assert shard_of({"date": "2024-10-01T08:00"}) == "2024-W40"
    assert shard_of({"date": "2024-12-30"}) == "2025-W01"  # ISO years: sorted in time
    assert shard_of({}) == shard_of({"date": "soon"}) == shard_of({"date": "2024-13-01"})
    assert shard_of({"date": "2024-02-30"}) == "pages"


def test_every_merged_word_chunk_is_what_cbor2_writes(site: Path, tmp_path: Path) -> None:
    index_for_search(site, tmp_path / "cache")
    chunks = sorted((site / "pagefind" / "index").glob("*.pf_index"))
    assert chunks
    for path in chunks:
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_SIGNATURE), path.name
        cbor = data[len(FRAGMENT_SIGNATURE) :]
        assert cbor2.dumps(cbor2.loads(cbor)) == cbor, path.name


@pytest.mark.parametrize(
    ("number", "length"),
    [(0, 1), (23, 23), (24, 24), (255, 255), (256, 256), (65535, 300), (65536, 65536), (2**32, 2)],
)
def test_a_word_joined_from_two_shards_is_what_cbor2_writes(number: int, length: int) -> None:
    """Numbers and texts of every size CBOR writes its heads in (one byte to nine)."""
    variant = "\u00e9" * (length // 2) + "v" * (length % 2)  # two bytes a letter in UTF-8
    first = ["w", [[number, [1, 2], []], [3, [number], [-1, 4]]], [["W", [[number, [5], []]]]]]
    second = ["w", [[2, [7], []]], [["W", [[1, [2], []]]], [variant, [[0, [], []]]]]]
    offset = number + 10
    joined = [
        "w",
        [[number, [1, 2], []], [3, [number], [-1, 4]], [2 + offset - (number + 3), [7], []]],
        [["W", [[number, [5], []], [1 + offset - number, [2], []]]], [variant, [[offset, [], []]]]],
    ]
    shards = [[word_pieces(first)], [word_pieces(second)]]
    [(text, cbor, weight)] = merge_pieces(shards, [0, offset])
    assert (text, cbor) == ("w", cbor2.dumps(joined))
    assert weight == 3 + 2 + 2 + 2 + 2 + 1  # each page's locations, and one for the page
