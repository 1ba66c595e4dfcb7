"""The search index in shards (digest/plugin/search.py): the merged index says what one
Pagefind pass over the whole site says, and a shard is indexed again only when what
Pagefind reads of its pages changed; a damaged shard is made again, never used."""

from __future__ import annotations

import collections
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
from urllib.parse import urlsplit

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
from digest.site.search_merge import (
    MergeError,
    base36,
    chunk_bounds,
    date_order,
    page_names,
    shard_of,
    without_ignored,
)
from digest.site.search_words import COMMON_PAGES, common_from, merge_pieces, word_pieces

FRAGMENT_SIGNATURE = b"pagefind_dcd"


def index_by_url(folder: Path) -> dict[str, Any]:
    """What a Pagefind index says, with every page named by its URL rather than by its
    number: its pages (word count and fragment), words (each page's locations, and the
    words' variants), filters, sort orders, and the meta fields."""
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
    return {
        "pages": {
            url: [count, fragment] for url, (fragment, count) in zip(urls, fragments, strict=True)
        },
        "words": words,
        "filters": filters,
        "sorts": meta[4],
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
    for part in ("pages", "filters", "fields", "language", "sorts"):
        assert merged[part] == whole[part], part
    assert merged["sorts"] == []  # the search page sorts by the pages' names (see below)
    assert merged["words"].keys() == whole["words"].keys()
    expected = without_common_places(whole["words"], plan_shards(site))
    differ = [w for w in whole["words"] if merged["words"][w] != expected[w]]
    assert not differ, differ[:5]
    the = merged["words"]["the"][0]  # on every page: places kept only in small shards
    assert len([url for url, places, _ in the if places]) < len(the) / 5
    assert any(places for _, places, _ in merged["words"]["mixtur"][0])


def without_common_places(words: dict[str, Any], shards: list[Any]) -> dict[str, Any]:
    """One pass's words as the merged index holds them: a word on more pages of a shard
    than common_from allows keeps no places in those pages' text (search_words.py)."""
    shard_of_url = {
        "/" + path.removesuffix("index.html"): shard.name
        for shard in shards
        for path in shard.files
    }
    common = {shard.name: common_from(len(shard.files)) for shard in shards}

    def pages_as_merged(pages: list[Any]) -> list[Any]:
        on = collections.Counter(shard_of_url[url] for url, _, _ in pages)
        return [
            [url, [] if on[shard_of_url[url]] > common[shard_of_url[url]] else places, meta]
            for url, places, meta in pages
        ]

    return {
        word: [pages_as_merged(pages), [[v, pages_as_merged(p)] for v, p in variants]]
        for word, (pages, variants) in words.items()
    }


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
    abstract = html.index('<h2 id="abstract"')
    changed = html[:abstract] + html[abstract:].replace("<p>", "<p>Quokkaformers ", 1)
    page.write_text(changed, "utf-8")
    date = re.search(r'data-pagefind-meta="date:([^"]+)"', html)[1]

    assert index_for_search(site, cache) == [shard_of(date)]
    merged = index_by_url(site / "pagefind")
    url = "/" + page.parent.relative_to(site).as_posix() + "/"
    assert [found[0] for found in merged["words"]["quokkaform"][0]] == [url]
    whole = index_by_url(pagefind_in_one_pass(site, tmp_path / "one" / "pagefind"))
    expected = without_common_places(whole["words"], plan_shards(site))
    assert merged["words"] == expected and merged["pages"] == whole["pages"]


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
    """A site of a few pages: each name's page has its date and upvotes (if not "")."""
    for name, (date, upvotes) in pages.items():
        (folder / name).mkdir(parents=True)
        keys = f'<span data-pagefind-meta="date:{date}"></span>' if date else ""
        keys += f'<span data-pagefind-meta="upvotes:{upvotes}"></span>' if upvotes else ""
        body = f"<div data-pagefind-body><h1>Page {name}</h1>{keys}</div>"
        (folder / name / "index.html").write_text(f'<html lang="en"><body>{body}</body></html>')
    return folder


def merged_pages(folder: Path) -> list[dict[str, Any]]:
    """The merged index's pages, in its order: name, place (the number the name ends
    with), url, date and upvotes (from its fragment), and its upvotes as the index's sorts
    file lists them, by place."""
    entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
    [about] = entry["languages"].values()
    meta = read_index_file(folder / f"pagefind.{about['hash']}.pf_meta")
    pages = []
    for name, _ in meta[1]:
        prefix, _, place = name.rpartition("_")
        data = gzip.decompress((folder / "fragment" / f"{name}.pf_fragment").read_bytes())
        fragment = json.loads(data[len(FRAGMENT_SIGNATURE) :])
        sorts = json.loads((folder / "sorts" / f"{prefix}.json").read_text("utf-8"))
        pages.append({
            "name": name, "place": int(place, 36), "url": fragment["url"],
            "date": fragment["meta"].get("date", ""), "upvotes": fragment["meta"].get("upvotes"),
            "listed upvotes": sorts["upvotes"][int(place, 36)],
        })  # fmt: skip
    return pages


def in_place_order(folder: Path) -> list[dict[str, Any]]:
    return sorted(merged_pages(folder), key=lambda page: page["place"])


def test_pages_are_named_by_their_place_in_date_order(tmp_path: Path) -> None:
    pages = {"b": ("2024-07-05", "12"), "a": ("2024-07-05", ""), "c": ("2024-01-05", "7"),
             "home": ("", ""), "d": ("2024-08-01", "0")}  # fmt: skip
    site = small_site(tmp_path / "site", pages)
    index_for_search(site, tmp_path / "cache")
    found = in_place_order(site / "pagefind")

    assert [page["url"] for page in found] == ["/c/", "/a/", "/b/", "/d/", "/home/"]
    assert [page["place"] for page in found] == [0, 1, 2, 3, 4]
    assert [page["listed upvotes"] for page in found] == [7, 0, 12, 0, 0]
    assert len({page["name"].rpartition("_")[0] for page in found}) == 1


def test_a_changed_index_names_its_pages_anew(tmp_path: Path) -> None:
    """A browser keeps the fragments it fetched: no page of a changed index has a name
    that a fragment had before."""
    site = small_site(tmp_path / "site", {"a": ("2024-01-05", "1"), "b": ("2024-02-05", "2")})
    cache = tmp_path / "cache"
    index_for_search(site, cache)
    before = {page["name"] for page in merged_pages(site / "pagefind")}
    index_for_search(site, cache)
    assert {page["name"] for page in merged_pages(site / "pagefind")} == before

    small_site(site, {"c": ("2024-01-01", "3")})  # a new first page
    index_for_search(site, cache)
    after = in_place_order(site / "pagefind")
    assert [page["url"] for page in after] == ["/c/", "/a/", "/b/"]
    assert not before & {page["name"] for page in after}


def test_every_seed_paper_is_named_in_date_order_with_its_upvotes(
    site: Path, tmp_path: Path
) -> None:
    index_for_search(site, tmp_path / "cache")
    papers = json.loads((site / "papers.json").read_text("utf-8"))
    upvotes = {urlsplit(paper["url"]).path: paper["upvotes"] or 0 for paper in papers}
    found = in_place_order(site / "pagefind")
    dated = found[: len(papers)]
    assert sorted(page["url"] for page in dated) == sorted(upvotes)
    assert all(not page["date"] for page in found[len(papers) :])  # undated pages come last
    assert [page["date"] for page in dated] == sorted(page["date"] for page in dated)
    for page in dated:
        assert page["listed upvotes"] == int(page["upvotes"]) == upvotes[page["url"]]


def test_shards_that_cannot_be_merged_are_indexed_in_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = small_site(tmp_path / "site", {"a": ("2024-01-05", "1"), "b": ("2024-07-05", "")})
    merge = search.write_index

    def refuse_shards(dest: Path, *, outputs: list[Path]) -> None:
        if len(outputs) > 1:
            raise MergeError("shards indexed by two versions of Pagefind")
        merge(dest, outputs=outputs)

    monkeypatch.setattr(search, "write_index", refuse_shards)
    assert index_for_search(site, tmp_path / "cache")[-1] == "all"
    assert [page["url"] for page in in_place_order(site / "pagefind")] == ["/a/", "/b/"]


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


def test_date_order_is_the_lists_newest_first_read_backwards() -> None:
    """Oldest first; on one day the least upvoted first, and of equals the last url first:
    backwards, the site's lists' order (newest, most upvoted, then by address)."""
    pages = [
        ("2024-02-01", "/b/", 3), ("", "/home/", 0), ("2024-01-01", "/z/", 0),
        ("2024-02-01", "/a/", 3), ("2024-02-01", "/c/", 9),
    ]  # fmt: skip
    order = date_order(pages)
    assert order == [2, 0, 3, 4, 1]
    # By slug, as the lists: "muon" before "muon-at-scale", though "-" sorts before "/".
    alike = [("2024-02-01", f"/p/{slug}{end}", 0) for slug in ("m-x", "m") for end in "/"]
    assert date_order(alike) == [0, 1]
    assert date_order([(d, u.replace("/", "") + ".html", n) for d, u, n in alike]) == [0, 1]
    assert page_names("en_v1", order) == ["en_v1_1", "en_v1_4", "en_v1_0", "en_v1_2", "en_v1_3"]
    assert [base36(n) for n in (0, 9, 10, 35, 36, 1295, 46656)] == [
        "0", "9", "a", "z", "10", "zz", "1000"
    ]  # fmt: skip


def test_chunk_bounds_cut_where_chunks_meet() -> None:
    bounds = chunk_bounds([("apple", "banana"), ("band", "cherry"), ("chess", "zoo")])
    assert bounds == [("apple", "bana"), ("band", "cher"), ("ches", "zoo")]


def test_a_pages_shard_is_the_iso_week_of_its_date() -> None:
    assert shard_of("2024-03-31") == "2024-W13"  # a Sunday: its week's last day
    assert shard_of("2024-04-01") == "2024-W14"
    assert shard_of("2024-10-01T08:00") == "2024-W40"
    assert shard_of("2024-12-30") == "2025-W01"  # ISO years: sorted in time
    assert shard_of("") == shard_of("soon") == shard_of("2024-13-01")
    assert shard_of("2024-02-30") == "pages"


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
    shards = [[word_pieces(first, 100)], [word_pieces(second, 100)]]
    [(text, cbor, weight)] = merge_pieces(shards, [0, offset])
    assert (text, cbor) == ("w", cbor2.dumps(joined))
    assert weight == 3 + 2 + 2 + 2 + 2 + 1  # each page's locations, and one for the page


def test_a_word_on_most_of_a_shards_pages_keeps_its_pages_not_its_places() -> None:
    """A common word ("the") is still found on every page it is on, and in titles, but
    its places in the text (most of the index's size) are gone; a rarer word keeps all."""
    pages = 1000
    common = common_from(pages)
    assert COMMON_PAGES < common < pages

    def word(text: str, on: int) -> list[Any]:
        return [text, [[1, [5, -2, 9], [-1, 0]] for _ in range(on)], []]

    def decoded(text: str, on: int) -> list[Any]:
        [(_, cbor, weight)] = merge_pieces([[word_pieces(word(text, on), pages)]], [0])
        return [cbor2.loads(cbor), weight]

    assert decoded("the", common + 1) == [
        ["the", [[1, [], [-1, 0]]] * (common + 1), []],
        common + 1,
    ]
    assert decoded("mixture", common) == [word("mixture", common), (3 + 1) * common]
    assert common_from(10) == COMMON_PAGES  # a small shard keeps every place
