"""The benchmark runs end to end on a tiny corpus and reports every metric, plausibly."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from digest.model import Paper
from digest.papers.merge import merge
from digest.sources.listings import parse_listing
from digest.tools.bench import (
    _tree,
    goal_lines,
    search_payload,
    synthetic_listings,
    synthetic_papers,
)

from conftest import ROOT


def run_bench(out: Path, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "digest.bench", "--json", str(out), *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    full = "--generator-only" not in args
    assert "papers" in result.stdout
    assert ("generator time / bare MkDocs time" in result.stdout) == full
    assert ("daily rebuild at" in result.stdout) == full
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "x.json"
    return run_bench(out, "--quick", "--sizes", "100", "--no-seeds")


def positive(*values: float) -> bool:
    return all(isinstance(v, (int, float)) and v > 0 for v in values)


def test_the_corpus_is_measured(report: dict[str, Any]) -> None:
    assert [c["corpus"] for c in report["corpora"]] == ["n100"]
    assert report["corpora"][0]["papers"] == 100


def test_build_metrics(report: dict[str, Any]) -> None:
    corpus = report["corpora"][0]
    generator, build = corpus["generator"], corpus["mkdocs"]
    assert positive(generator["seconds"], generator["peak_mb"], build["seconds"], build["peak_mb"])
    assert generator["peak_mb"] != build["peak_mb"]  # each step's own peak, not its parent's
    assert positive(generator["cpu_seconds"], build["cpu_seconds"])
    assert generator["errors"] == 0
    assert build["site_files"] > corpus["papers"]
    assert build["site_bytes"] > 1000 * corpus["papers"]
    assert 1000 < build["paper_page_bytes"] < 1_000_000
    assert positive(corpus["per_paper_build_ms"], corpus["per_paper_build_cpu_ms"])
    assert positive(corpus["generator_share"], corpus["generator_share_cpu"])


def test_search_payload(report: dict[str, Any]) -> None:
    search = report["corpora"][0]["search"]
    assert search["kind"] in ("material", "pagefind") and search["files"]
    assert 0 < search["gzip_bytes"] < search["raw_bytes"]
    assert "assets/search.js" in search["files"]
    page = report["corpora"][0]["search_page"]
    assert page["files"] > len(search["files"]) and page["gzip_bytes"] > search["gzip_bytes"]
    assert page["filters_gzip_bytes"] > 0  # what opening the filters adds
    assert page["upvotes_gzip_bytes"] > 0  # and sorting by upvotes
    assert 0 < page["typical_gzip_bytes"] <= page["gzip_bytes"]
    assert report["goals"]["search_page"]["ratio"] == page["gzip_bytes"]


def test_rebuilds(report: dict[str, Any]) -> None:
    corpus = report["corpora"][0]
    first, again, edited = (corpus["rebuild"][k] for k in ("first", "no_change", "note_edit"))
    assert first["written"] > corpus["papers"]
    assert again["written"] == 0 and again["removed"] == 0
    assert 1 <= edited["written"] <= 20, edited
    assert positive(first["seconds"], again["seconds"], edited["seconds"], again["cpu_seconds"])


def test_daily_rebuild(report: dict[str, Any]) -> None:
    """A new day's listing after a cold build, built with the rebuild cache."""
    corpus = report["corpora"][0]
    daily = corpus["daily"]
    assert daily["papers"] == 100 and daily["listing"].endswith("-bench.json")
    assert daily["cold_seconds"] == corpus["mkdocs"]["seconds"]
    assert daily["ratio"] == daily["cached"]["seconds"] / daily["cold_seconds"]
    # The new day's papers have pages of their own.
    assert daily["cached"]["site_files"] > corpus["mkdocs"]["site_files"] + 100
    assert positive(daily["serve_seconds"], daily["serve_cold_seconds"])
    assert positive(daily["cached"]["paper_page_bytes"])


def test_editions_cost(report: dict[str, Any]) -> None:
    """What the editions, organisations and tags pages cost, from each page's own time."""
    corpus = report["corpora"][0]
    families = corpus["mkdocs"]["page_families"]
    assert families["papers"]["pages"] == corpus["papers"]
    assert {"weeks", "months", "orgs"} <= set(families)
    cost = corpus["editions_cost"]
    added = [families[f] for f in ("weeks", "months", "orgs", "tags") if f in families]
    assert cost["pages"] == sum(f["pages"] for f in added)
    assert 0 < cost["seconds"] < corpus["mkdocs"]["cpu_seconds"]
    assert cost["ratio"] == corpus["mkdocs"]["cpu_seconds"] / (
        corpus["mkdocs"]["cpu_seconds"] - cost["seconds"]
    )
    assert report["goals"]["editions_cost"]["goal"] == 1.05


def test_floor(report: dict[str, Any]) -> None:
    corpus = report["corpora"][0]
    markdown, bare = corpus["floor"]["markdown"], corpus["floor"]["bare_mkdocs"]
    assert markdown["pages"] > corpus["papers"]
    assert positive(markdown["seconds"], bare["seconds"], bare["peak_mb"], bare["cpu_seconds"])
    assert "tables" in markdown["extensions"]


def test_goals_are_reported(report: dict[str, Any]) -> None:
    goals = report["goals"]
    assert goals["per_paper_scaling"] is None  # one synthetic size: nothing to compare
    assert positive(goals["generator_share"]["ratio"], goals["generator_share"]["ratio_cpu"])
    assert len(report["environment"]["load_average"]) == 2
    assert goals["generator_share"]["goal"] == 0.10
    # Classifying alone takes a part of the generator's time, and says how large.
    assert 0 < goals["classify_share"]["ratio"] < 1
    assert goals["classify_share"]["goal"] == 0.10


def test_synthetic_corpus_parses_back_to_distinct_papers(papers: tuple[Paper, ...]) -> None:
    """Every synthetic paper survives parse and merge as its own paper, all topics' text."""
    generated = synthetic_papers(list(papers), 3 * len(papers) + 7)
    listings = synthetic_listings(generated, random.Random(1))
    assert all(100 <= len(json.loads(text)) <= 200 for text in list(listings.values())[:-1])
    parsed = [parse_listing(name, text.encode())[0] for name, text in listings.items()]
    assert all(listing.layout == "api" for listing in parsed)
    merged = merge(parsed)
    assert len(merged) == len(generated)
    # As the API's listings: most papers name an organisation, a few organisations many.
    named = Counter(p.organization_slug for p in merged if p.organization_slug)
    assert 0.4 < sum(named.values()) / len(merged) < 0.8
    assert named.most_common(1)[0][1] > 5 * statistics.median(named.values())
    assert all(p.upvotes for p in merged)
    again = synthetic_listings(generated, random.Random(1))
    assert again == listings  # deterministic


def test_search_payload_prefers_pagefind(tmp_path: Path) -> None:
    pagefind = tmp_path / "pagefind"
    (pagefind / "index").mkdir(parents=True)
    entry = {"version": "1", "languages": {"en": {"hash": "en_1", "wasm": "en", "page_count": 3}}}
    (pagefind / "pagefind-entry.json").write_text(json.dumps(entry))
    (pagefind / "wasm.en.pagefind").write_bytes(b"w" * 100)
    (pagefind / "pagefind.en_1.pf_meta").write_bytes(b"m" * 10)
    (pagefind / "index" / "en_a1.pf_index").write_bytes(b"i" * 50)
    (pagefind / "index" / "en_b2.pf_index").write_bytes(b"i" * 70)
    (pagefind / "fragment").mkdir()
    for n in range(12):  # fragments of 12 pages: the 10 largest are counted
        (pagefind / "fragment" / f"en_{n:02}.pf_fragment").write_bytes(b"\x1f\x8b" + b"f" * n)
    (pagefind / "pagefind.js").write_text("script " * 100)
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text("{}")
    found = search_payload(tmp_path)
    assert found["kind"] == "pagefind"
    fragments = [f"pagefind/fragment/en_{n:02}.pf_fragment" for n in range(2, 12)]
    assert found["files"] == [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "pagefind/pagefind.en_1.pf_meta",
        "pagefind/index/en_b2.pf_index",
        *fragments,
    ]
    fragment_bytes = sum(2 + n for n in range(2, 12))
    stored = len(json.dumps(entry)) + 100 + 10 + 70 + fragment_bytes
    assert found["raw_bytes"] == stored + 700
    # Text is gzipped on the way; Pagefind's gzip files go as they are.
    assert found["gzip_bytes"] < found["raw_bytes"] - 600
    assert found["gzip_bytes"] > fragment_bytes


def test_generator_only_measures_the_generator_reading_every_page(tmp_path: Path) -> None:
    report = run_bench(tmp_path / "g.json", "--sizes", "100", "--no-seeds", "--generator-only")
    (corpus,) = report["corpora"]
    generator = corpus["generator"]
    assert "mkdocs" not in corpus and corpus["papers"] == 100
    assert positive(generator["seconds"], generator["cpu_seconds"], generator["peak_mb"])
    assert generator["markdown_bytes"] > 1000 * corpus["papers"]  # every page was rendered
    assert report["goals"]["generator_at_scale"] is None  # far below 50,000 papers


@pytest.mark.parametrize(
    ("seconds", "peak_mb", "verdict"),
    [(15, 900, "met"), (25, 900, "NOT met"), (15, 1500, "NOT met")],
)
def test_the_generator_goal_at_scale_needs_both_time_and_memory(
    seconds: float, peak_mb: float, verdict: str
) -> None:
    goal = {"papers": 50_000, "seconds": 20.0, "peak_mb": 1024.0}
    at_scale = {
        "papers": 50_000,
        "seconds": seconds,
        "cpu_seconds": seconds,
        "peak_mb": peak_mb,
        "goal": goal,
    }
    classify = {"papers": 50_000, "ratio": 0.05, "goal": 0.10}
    found = {
        "per_paper_scaling": None,
        "generator_share": None,
        "generator_at_scale": at_scale,
        "classify_share": classify,
    }
    line, classify_line = goal_lines(found)
    assert classify_line.startswith("classifying / generator time")
    assert classify_line.endswith(" met")
    assert line.startswith("generator at 50000 papers") and line.endswith(f") {verdict}")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_memory_sampling_finds_children_and_forgets_ended_ones() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in _tree(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert child.pid not in _tree(os.getpid())
    assert _tree(child.pid) == [child.pid]  # ended: no children, and no error
