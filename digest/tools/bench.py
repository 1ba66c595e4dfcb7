"""A benchmark anyone can run: `python -m digest.bench [--sizes 2000,10000] [--quick]`.

It measures the repository's own content ("seeds") and synthetic corpora of N papers made
from the seed papers, each generated into a temporary project. Every step runs in a fresh
Python process that reports its own time and peak memory, so memory is per step. It prints
a table and writes the numbers as JSON (`--json`, default bench-results.json).

Per corpus: the generator alone; a full `mkdocs build` with the site's size; the search
payload a visitor downloads before the first result; `digest build` twice (the second
writes nothing) and once more after editing one note; the floor: Python-Markdown alone
over the same generated pages, and MkDocs building them without the digest plugin; what
the editions, organisations and tags pages cost, from each page's own time in the build
(page_times.py); and the daily rebuild: a new day's listing built with the rebuild cache,
and `mkdocs serve`.

Synthetic listings are the API's JSON, as `digest fetch` keeps it: most papers name an
organisation, and each has upvotes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from subprocess import DEVNULL, PIPE
from typing import Any

import yaml

from .page_times import TIMES_FILE

DEFAULT_SIZES = (2000, 10000, 50000)
QUICK_SIZES = (200, 1000)
SCALE_BASE = 2000  # the per-paper build time goal compares the largest size with this one
GOALS = {"scaling": 1.3, "generator_share": 0.10, "classify_share": 0.10, "editions_cost": 1.05}
# The search page's first download, gzipped: up to 10,000 papers, and beyond.
SEARCH_PAGE_GOALS = ((10_000, 300_000), (None, 400_000))
# The generator alone at 50,000 papers: under 20 s and 1 GB (checked at 50,000 or more).
GENERATOR_GOAL = {"papers": 50_000, "seconds": 20.0, "peak_mb": 1024.0}
PER_ISSUE = (100, 200)  # papers per synthetic daily listing
FIRST_ISSUE = date(2024, 1, 1)
RANDOM_SEED = 20240101
ORG_SHARE = 0.6  # synthetic papers that name an organisation, as most of the API's do
ORG_COUNT = 500  # synthetic organisations: a few with many papers, most with a few
GZIP_LEVEL = 6  # what web servers commonly use
NOTE_LINE = b"\nOne more line, added by the benchmark.\n"
DAILY_PAPERS = 100  # the new day's listing of the daily rebuild
# The page families (first folder of their paths) of issue 18's pages.
EDITION_FAMILIES = ("weeks", "months", "orgs", "tags")
DAILY_GOALS = {"ratio": 0.2, "seconds_at_50000": 120.0, "serve_seconds": 20.0}
CONFIG = "mkdocs.yml"
BARE_CONFIG = "mkdocs-bare.yml"
FLOOR = "floor"  # the bare build's docs and site, inside each generated project
BUILD_OUT = "build/markdown"  # where `digest build --out` writes, inside each project
_BUILD_REPORT = re.compile(r"(\d+) written, (\d+) unchanged, (\d+) removed")


class BenchError(Exception):
    """A step failed: the message says which, with the end of its output."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- mkdocs.yml as data -----------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's YAML, with MkDocs' `!ENV` tag resolved as MkDocs resolves it."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        names = [str(v) for v in loader.construct_sequence(node)]
    else:
        names = [str(loader.construct_scalar(node))]  # type: ignore[arg-type]
    default = names.pop() if len(names) > 1 else None
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_config(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)


def markdown_extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The mkdocs.yml extensions as Python-Markdown takes them: names and their options."""
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        name, value = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if value:
            options[name] = value
    return names, options


def bare_config(config: dict[str, Any], nav: list[Any]) -> dict[str, Any]:
    """The project's configuration without the digest plugin, over the pre-generated tree."""
    plugins = [p for p in config.get("plugins") or [] if _plugin_name(p) != "digest"]
    return {
        **config,
        "plugins": plugins,
        "docs_dir": f"{FLOOR}/docs",
        "site_dir": f"{FLOOR}/site",
        "nav": nav,
    }


def _plugin_name(entry: str | dict[str, Any]) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else entry


# --- corpora ----------------------------------------------------------------------------


def seed_papers(root: Path) -> list[Any]:
    """The repository's papers, those with an editor's note first (so notes stay valid)."""
    from ..papers.merge import merge
    from ..papers.notes import find_paper, parse_note
    from ..pipeline import read_listings
    from ..sources.content_folder import read_content

    listings, _ = read_listings(read_content(root / "content"))
    papers = [p for p in merge(listings) if p.abstract]
    noted = set()
    for path in sorted((root / "content" / "notes").glob("*.md")):
        note, _ = parse_note(str(path), path.read_bytes())
        found = find_paper(note.paper, papers) if note is not None else None
        if found is not None:
            noted.add(found.slug)
    return sorted(papers, key=lambda p: p.slug not in noted)


def synthetic_papers(seeds: list[Any], count: int) -> list[tuple[str, str]]:
    """`count` distinct (title, abstract) pairs: the seeds first, then numbered variants."""
    from ..text import title_key

    papers = []
    for i in range(count):
        seed, variant = seeds[i % len(seeds)], i // len(seeds)
        title = seed.title if variant == 0 else f"{seed.title} (variant {variant})"
        papers.append((title, seed.abstract))
    if len({title_key(title) for title, _ in papers}) != count:
        raise BenchError("synthetic titles collide after normalisation")
    return papers


def synthetic_listings(papers: list[tuple[str, str]], rng: random.Random) -> dict[str, str]:
    """Daily listings as the API gives them, 100 to 200 papers each, in a seeded order."""
    shuffled = papers[:]
    rng.shuffle(shuffled)
    listings: dict[str, str] = {}
    day = FIRST_ISSUE
    while shuffled:
        size = rng.randint(*PER_ISSUE)
        chunk, shuffled = shuffled[:size], shuffled[size:]
        listings[listing_name(day)] = listing_text(chunk)
        day += timedelta(days=1)
    return listings


def listing_name(day: date) -> str:
    return f"{day.isoformat()}-bench.json"


def listing_text(papers: list[tuple[str, str]]) -> str:
    """A daily listing as the API gives it and `digest fetch` keeps it: each paper's title
    and abstract, its upvotes and, for most, an organisation."""
    return json.dumps([api_item(title, abstract) for title, abstract in papers], indent=1) + "\n"


def api_item(title: str, abstract: str) -> dict[str, Any]:
    """A paper as the API lists it. Its upvotes and organisation are drawn from its title, so
    a paper is the same in every corpus: upvotes from 1 to some 400, most of them few, and
    organisations by a log-uniform rank, so that a few have hundreds of papers."""
    draw = random.Random(title)  # a str seed is hashed with SHA-512: the same on every run
    paper: dict[str, Any] = {"title": title, "summary": abstract}
    paper["upvotes"] = int(math.exp(6 * draw.random()))
    if draw.random() < ORG_SHARE:
        rank = int(ORG_COUNT ** draw.random())
        paper["organization"] = {"name": f"bench-lab-{rank}", "fullname": f"Bench Lab {rank}"}
    return {"paper": paper}


def copy_inputs(root: Path, dest: Path, with_sources: bool) -> None:
    """mkdocs.yml (with the page_times hooks), site_templates/ and content/ (without its
    listings, if asked)."""
    skip = shutil.ignore_patterns() if with_sources else _ignore_sources(root / "content")
    shutil.copytree(root / "content", dest / "content", ignore=skip)
    shutil.copytree(root / "site_templates", dest / "site_templates")
    hooks = Path(__file__).with_name("page_times.py")
    config = (root / CONFIG).read_text("utf-8")
    (dest / CONFIG).write_text(f"{config}\nhooks:\n  - {json.dumps(str(hooks))}\n", "utf-8")


def _ignore_sources(content: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {"sources"} if Path(folder) == content else set()

    return ignore


def drop_orphan_notes(project: Path, papers: list[Any]) -> None:
    """Notes whose paper is not in the corpus would only be errors: remove them."""
    from ..papers.notes import find_paper, parse_note

    for path in sorted((project / "content" / "notes").glob("*.md")):
        note, _ = parse_note(str(path), path.read_bytes())
        if note is None or find_paper(note.paper, papers) is None:
            path.unlink()


def make_project(root: Path, dest: Path, size: int | None) -> str:
    """The seeds project (size None) or a synthetic one; returns a paper's slug in it."""
    seeds = seed_papers(root)
    if not seeds:
        raise BenchError(f"no papers with an abstract in {root / 'content' / 'sources'}")
    if size is None:
        copy_inputs(root, dest, with_sources=True)
    else:
        make_synthetic(root, dest, seeds, size)
    return seeds[0].slug  # the first synthetic title is the first seed's own


def make_synthetic(root: Path, dest: Path, seeds: list[Any], count: int) -> None:
    copy_inputs(root, dest, with_sources=False)
    drop_orphan_notes(dest, seeds[:count])
    sources = dest / "content" / "sources"
    sources.mkdir()
    rng = random.Random(RANDOM_SEED + count)
    for name, text in synthetic_listings(synthetic_papers(seeds, count), rng).items():
        (sources / name).write_text(text, encoding="utf-8")


# --- child processes: one step each, reporting its own time and peak memory ---------------


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """This process's peak memory (or its largest child's). Linux carries a parent's peak
    into a child's across fork and exec, so the process that starts the steps never imports
    the generator itself."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class TreeMemory:
    """The peak of a process's memory plus its children's at the same moment (the
    generator's second process and forked copy, Pagefind), sampled every 50 ms from /proc
    by a thread of this process, so the process measured runs as it would anywhere. 0
    where there is no /proc to read."""

    INTERVAL = 0.05

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(self.INTERVAL):
            kb = sum(map(_memory_kb, _tree(self.pid)))
            self.peak_mb = max(self.peak_mb, kb / 1024)


def _tree(pid: int) -> list[int]:
    """pid and every process below it."""
    found, index = [pid], 0
    while index < len(found):
        found += _children(found[index])
        index += 1
    return found


def _children(pid: int) -> list[int]:
    """The processes a process started, none if it has ended (even while being read)."""
    children: list[int] = []
    with suppress(OSError):
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            children += [int(child) for child in task.read_text().split()]
    return children


def _memory_kb(pid: int) -> int:
    """A process's share of the memory in use: its proportional set size, where pages a
    fork shares count once between the processes that share them; its resident set size
    where the kernel does not say."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1])
        except OSError:  # it ended meanwhile, or the kernel has no such file
            continue
    return 0


@contextmanager
def clock(report: dict[str, Any]) -> Iterator[None]:
    """Time the block into report: wall seconds, and CPU seconds of this process and the
    children it waited for (which other work on a busy machine leaves almost as they are)."""
    wall, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    yield
    report["seconds"] = time.perf_counter() - wall
    report["cpu_seconds"] = time.process_time() + _children_cpu() - cpu


def _settings(project: Path) -> Any:
    """What the plugin would tell the generator, read from the project's mkdocs.yml."""
    from ..model import SiteSettings
    from ..site.pages.status import source_date

    config = read_config(project / CONFIG)
    return SiteSettings(
        site_name=config.get("site_name") or "digest",
        site_url=config.get("site_url") or "/",
        built=source_date(os.environ.get("SOURCE_DATE_EPOCH")),
    )


def child_project(project: Path, root: str, size: str) -> dict[str, Any]:
    return {"slug": make_project(Path(root), project, int(size) if size else None)}


def child_generate(project: Path) -> dict[str, Any]:
    from ..errors import Severity
    from ..papers.topics import classify_all
    from ..pipeline import generate

    settings = _settings(project)
    report: dict[str, Any] = {}
    with clock(report):
        generated = generate(project / "content", project / "site_templates", settings)
        # Pages render as they are read (as MkDocs reads them): read each once, keep none.
        report["markdown_bytes"] = sum(len(text) for text in generated.pages.values())
    # Classifying the same papers again, alone: its part of the generator's time.
    classifying: dict[str, Any] = {}
    with clock(classifying):
        classify_all(generated.digest.papers, generated.digest.taxonomy, generated.digest.kinds)
    report["classify_seconds"] = classifying["seconds"]
    errors = sum(1 for p in generated.problems if p.severity is Severity.ERROR)
    return {
        **report,
        "papers": len(generated.digest.papers),
        "issues": len(generated.digest.issues),
        "pages": len(generated.pages),
        "files": len(generated.files),
        "errors": errors,
    }


def child_mkdocs(project: Path, config_file: str) -> dict[str, Any]:
    import mkdocs.commands.build  # noqa: F401  (imported before the clock starts)
    from mkdocs.__main__ import cli

    report: dict[str, Any] = {}
    times = project / TIMES_FILE
    times.unlink(missing_ok=True)
    with clock(report):
        cli.main(["build", "--config-file", str(project / config_file)], standalone_mode=False)
    if times.exists():  # the page_times hooks' report: each page family's own CPU time
        report["page_families"] = json.loads(times.read_text("utf-8"))
    return report


def child_floor_prep(project: Path) -> dict[str, Any]:
    """generate()'s pages and files (and the editor's pages) as a docs dir, and its config."""
    from ..pipeline import generate
    from ..site.nav import navigation
    from ..write import write_tree

    generated = generate(project / "content", project / "site_templates", _settings(project))
    docs = project / FLOOR / "docs"
    tree: dict[str, str | bytes] = {**generated.pages, **generated.files}
    editor_pages = sorted((project / "content" / "pages").glob("*.md"))
    tree.update({f"pages/{p.name}": p.read_bytes() for p in editor_pages})
    write_tree(docs, tree)
    editor_paths = [f"pages/{p.name}" for p in editor_pages]
    nav = navigation(generated.digest.taxonomy, generated.pages, editor_paths)
    config = bare_config(read_config(project / CONFIG), nav)
    (project / BARE_CONFIG).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return {"pages": len(generated.pages) + len(editor_pages)}


def child_markdown(project: Path) -> dict[str, Any]:
    """Python-Markdown alone over every generated page, with mkdocs.yml's extensions."""
    import markdown

    names, options = markdown_extensions(read_config(project / CONFIG))
    docs = project / FLOOR / "docs"
    texts = [_strip_front_matter(p.read_text("utf-8")) for p in sorted(docs.rglob("*.md"))]
    report: dict[str, Any] = {"pages": len(texts), "extensions": names}
    with clock(report):
        md = markdown.Markdown(extensions=names, extension_configs=options)
        for text in texts:
            md.reset().convert(text)
    return report


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def child_add_day(project: Path, root: str, listed: str) -> dict[str, Any]:
    """A new day's listing after the newest: DAILY_PAPERS papers that none of the
    project's `listed` papers is (the synthetic corpora take the first of the same list)."""
    seeds, count = seed_papers(Path(root)), int(listed)
    new = synthetic_papers(seeds, count + DAILY_PAPERS)[count:]
    sources = project / "content" / "sources"
    newest = max(date.fromisoformat(p.name[:10]) for p in sources.iterdir())
    name = listing_name(newest + timedelta(days=1))
    (sources / name).write_text(listing_text(new), encoding="utf-8")
    return {"listing": name, "papers": len(new)}


CHILD_STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "add-day": child_add_day,
    "project": child_project,
    "generate": child_generate,
    "mkdocs": child_mkdocs,
    "floor-prep": child_floor_prep,
    "markdown": child_markdown,
}


def run_child(step: str, project: Path, *args: str) -> dict[str, Any]:
    """Run one step in a fresh interpreter; its last stdout line is its JSON report."""
    command = [sys.executable, "-m", "digest.tools.bench", "--child", step, str(project), *args]
    with (
        subprocess.Popen(
            command, cwd=project, env=_env(), stdout=PIPE, stderr=PIPE, text=True
        ) as process,
        TreeMemory(process.pid) as memory,
    ):
        stdout, stderr = process.communicate()
    if process.returncode != 0 or not stdout.strip():
        raise BenchError(f"step {step} failed ({process.returncode}):\n{stderr[-4000:]}")
    report = json.loads(stdout.strip().splitlines()[-1])
    report["warnings"] = stderr.count("WARNING")
    # Its own peak, or with its children's at the same moment where /proc tells that;
    # elsewhere its own plus its largest child's, which cannot be less.
    children_peak = report.pop("children_peak_mb")
    if memory.peak_mb:
        report["peak_mb"] = max(report["peak_mb"], memory.peak_mb)
    else:
        report["peak_mb"] += children_peak
    return report


def _env() -> dict[str, str]:
    """The children find this very package, and Material keeps its banner to itself."""
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1"}


def child_main(step: str, project: str, args: list[str]) -> None:
    report = CHILD_STEPS[step](Path(project), *args)
    report["peak_mb"] = peak_mb()
    report["children_peak_mb"] = peak_mb(resource.RUSAGE_CHILDREN)
    print(json.dumps(report))


# --- what the built site weighs -----------------------------------------------------------


def site_metrics(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    papers = [p.stat().st_size for p in site.glob("papers/*/index.html")]
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "site_files": len(files),
        "paper_page_bytes": sum(papers) / len(papers) if papers else 0.0,
    }


def search_payload(site: Path, typical: bool = False) -> dict[str, Any]:
    """What a visitor downloads before the first page of search results: Pagefind's files
    when the site has them (pagefind_files: at most, or typical), else Material's whole
    search index. `gzip_bytes` is what crosses the wire: text gzipped as a web server
    would, Pagefind's own files as they are (they are gzip-compressed already)."""
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        kind, files = "pagefind", [site / SEARCH_SCRIPT, *pagefind_files(pagefind, typical)]
    else:
        kind, files = "material", [site / "search" / "search_index.json"]
    files = [f for f in files if f.is_file()]
    data = [f.read_bytes() for f in files]
    return {
        "kind": kind,
        "files": [f.relative_to(site).as_posix() for f in files],
        "raw_bytes": sum(len(d) for d in data),
        "gzip_bytes": sum(len(on_the_wire(d)) for d in data),
    }


SEARCH_SCRIPT = "assets/search.js"  # the theme's search box
SEARCH_PAGE_SCRIPT = "assets/search-page.js"  # the search page (search/)
ORGS_FILE = "orgs.json"  # the organisations' names, which the search page's filters show


def search_page_payload(site: Path) -> dict[str, Any]:
    """What a visitor downloads before the search page's first results, over the search
    box's (search_payload): the page's script and the index of the one filter every
    search uses (pages that are not papers'); what opening the filters adds: every
    filter's index, for their values and counts, and orgs.json, for the organisations'
    names; and what sorting by upvotes adds: the index's list of pages' upvotes. The
    first download is the upper bound (the largest word chunk and fragments), and
    `typical_gzip_bytes` the same with the middle-sized ones."""
    from ..plugin.search_files import read_index_file

    filters = sorted((site / "pagefind" / "filter").glob("*.pf_filter"))
    always = [f for f in filters if read_index_file(f)[0] == "page"]

    def first_download(typical: bool) -> list[bytes]:
        box = [site / f for f in search_payload(site, typical)["files"]]
        files = [*box, site / SEARCH_PAGE_SCRIPT, *always]
        return [f.read_bytes() for f in files if f.is_file()]

    data, typical = first_download(False), first_download(True)
    upvotes = sorted((site / "pagefind" / "sorts").glob("*.json"))
    others = [
        f.read_bytes() for f in [*filters, site / ORGS_FILE] if f not in always and f.is_file()
    ]
    return {
        "files": len(data),
        "raw_bytes": sum(len(d) for d in data),
        "gzip_bytes": sum(len(on_the_wire(d)) for d in data),
        "typical_gzip_bytes": sum(len(on_the_wire(d)) for d in typical),
        "filters_gzip_bytes": sum(len(on_the_wire(d)) for d in others),
        "upvotes_gzip_bytes": sum(len(on_the_wire(f.read_bytes())) for f in upvotes),
    }


FIRST_RESULTS = 10  # results the search box shows at first, each loading its fragment
GZIP_MAGIC = b"\x1f\x8b"


def on_the_wire(data: bytes) -> bytes:
    return data if data.startswith(GZIP_MAGIC) else gzip.compress(data, GZIP_LEVEL)


def pagefind_files(pagefind: Path, typical: bool = False) -> list[Path]:
    """An upper bound on a first query's downloads: Pagefind's script and worker, its entry
    file, then for its largest language the WebAssembly, the metadata, the largest index
    chunk (a one-word query loads one) and the largest fragments, one per result shown.
    typical: the middle-sized chunk and fragments instead (the largest chunks hold the
    commonest words, "a", "the", "and", with every page's places)."""
    scripts = [pagefind / "pagefind.js", pagefind / "pagefind-worker.js"]
    entry = pagefind / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text("utf-8")).get("languages") or {}
    except (OSError, ValueError):
        return [*scripts, entry]
    if not languages:
        return [*scripts, entry]
    code, lang = max(languages.items(), key=lambda item: item[1].get("page_count", 0))
    # Index chunks and fragments are named by language code and their own content hash.
    chunks = _by_size((pagefind / "index").glob(f"{code}_*.pf_index"))
    fragments = _by_size((pagefind / "fragment").glob(f"{code}_*.pf_fragment"))
    wasm = pagefind / f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"
    meta = pagefind / f"pagefind.{lang.get('hash', '')}.pf_meta"
    chunk, shown = chunks[-1:], fragments[-FIRST_RESULTS:]
    if typical:
        middle = max(0, (len(fragments) - FIRST_RESULTS) // 2)
        half = len(chunks) // 2
        chunk, shown = chunks[half : half + 1], fragments[middle : middle + FIRST_RESULTS]
    return [*scripts, entry, wasm, meta, *chunk, *shown]


def _by_size(paths: Iterable[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: (p.stat().st_size, p.name))


# --- `digest build` rebuilds ---------------------------------------------------------------


def digest_build(project: Path) -> dict[str, Any]:
    """`python -m digest build --out ...`, timed as its user waits for it."""
    command = [sys.executable, "-m", "digest", "build", "--out", BUILD_OUT]
    start, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=_env())
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    match = _BUILD_REPORT.search(result.stdout)
    if match is None:
        raise BenchError(f"digest build failed ({result.returncode}):\n{result.stderr[-4000:]}")
    written, unchanged, removed = map(int, match.groups())
    counts = {"written": written, "unchanged": unchanged, "removed": removed}
    return {**counts, "seconds": seconds, "cpu_seconds": cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def one_note_edited(project: Path, slug: str) -> Iterator[str]:
    """Append a line to the first note, or write a note on `slug` if there is none;
    the content is restored afterwards. Yields what was done."""
    notes = sorted((project / "content" / "notes").glob("*.md"))
    if notes:
        path, original = notes[0], notes[0].read_bytes()
        path.write_bytes(original + NOTE_LINE)
        action = f"edited notes/{path.name}"
    else:
        path, original = project / "content" / "notes" / f"{slug}.md", None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"---\npaper: " + slug.encode() + b"\n---\n" + NOTE_LINE)
        action = f"created notes/{path.name}"
    try:
        yield action
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def rebuilds(project: Path, slug: str) -> dict[str, Any]:
    first = digest_build(project)
    again = digest_build(project)
    with one_note_edited(project, slug) as action:
        edited = digest_build(project)
    return {"first": first, "no_change": again, "note_edit": {**edited, "action": action}}


# --- one corpus, all steps ------------------------------------------------------------------


def measure(name: str, project: Path, slug: str, root: Path) -> dict[str, Any]:
    log(f"{name}: generator")
    generator = run_child("generate", project)
    log(f"{name}: mkdocs build of {generator['papers']} papers")
    build = run_child("mkdocs", project, CONFIG)
    site = project / "site"
    build.update(site_metrics(site))
    search = search_payload(site)
    search_page = search_page_payload(site)
    log(f"{name}: floor (Python-Markdown alone, MkDocs without the plugin)")
    run_child("floor-prep", project)
    floor = {
        "markdown": run_child("markdown", project),
        "bare_mkdocs": run_child("mkdocs", project, BARE_CONFIG),
    }
    log(f"{name}: digest build, again, and after a note edit")
    result = {
        "corpus": name,
        "papers": generator["papers"],
        "issues": generator["issues"],
        "generator": generator,
        "mkdocs": build,
        "search": search,
        "search_page": search_page,
        "rebuild": rebuilds(project, slug),
        "floor": floor,
        "editions_cost": editions_cost(build),
    }
    result["daily"] = daily_rebuild(name, project, root, build, generator["papers"])
    return {**result, **derived(result)}


def editions_cost(build: dict[str, Any]) -> dict[str, Any]:
    """What the editions, organisations and tags pages add to a cold build, from the
    build's own page times (page_times.py): the build's CPU time over what it would be
    without those pages' own time. Two builds of the same site on this machine differ by
    more than the 5% in question; the parts of one build do not."""
    families = build["page_families"]  # none would read as no cost: a KeyError instead
    added = [families[f] for f in EDITION_FAMILIES if f in families]
    seconds = sum(f["seconds"] for f in added)
    return {
        "seconds": seconds,
        "pages": sum(f["pages"] for f in added),
        "ratio": build["cpu_seconds"] / (build["cpu_seconds"] - seconds),
    }


def daily_rebuild(
    name: str, project: Path, root: Path, cold: dict[str, Any], papers: int
) -> dict[str, Any]:
    """The cold `mkdocs build` above left its rebuild cache: add a new day's listing and
    build again, as the daily publish does; then start `mkdocs serve` on that cache."""
    log(f"{name}: a new day's listing, and mkdocs build with the cache")
    added = run_child("add-day", project, str(root), str(papers))
    build = run_child("mkdocs", project, CONFIG)
    build.update(site_metrics(project / "site"))
    # Serving builds for the server's own address, so its pages have keys of their own: the
    # first start fills the cache for the next.
    log(f"{name}: mkdocs serve, first from a cold cache, then from the warm one")
    port = free_port()  # the same address both times, as a maintainer serves: the same pages
    first_serve = serve_start(project, port)
    return {
        **added,
        "cold_seconds": cold["seconds"],
        "cached": build,
        "ratio": build["seconds"] / cold["seconds"],
        "serve_cold_seconds": first_serve,
        "serve_seconds": serve_start(project, port),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_start(project: Path, port: int, timeout: float = 1800.0) -> float:
    """Seconds from `mkdocs serve` starting to its first answer with the home page."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    start = time.perf_counter()
    # A session of its own, so that stopping it stops Pagefind too, which indexes the site
    # in the background and writes to the project's cache (the project is deleted next).
    with subprocess.Popen(
        command, cwd=project, env=_env(), stdout=DEVNULL, stderr=DEVNULL, start_new_session=True
    ) as server:
        try:
            while time.perf_counter() - start < timeout:
                if server.poll() is not None:
                    raise BenchError(f"mkdocs serve stopped ({server.returncode})")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                        if answer.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    time.sleep(0.25)
            raise BenchError("mkdocs serve did not answer")
        finally:
            stop_session(server)


def stop_session(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Stop a process started in a session of its own, and every process of the session."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    process.wait()
    deadline = time.perf_counter() + timeout
    while _group_running(process.pid) and time.perf_counter() < deadline:
        time.sleep(0.05)


def _group_running(group: int) -> bool:
    """Whether a process of the group still runs (not a zombie: those write nothing, and
    where nothing reaps orphans they stay), from /proc; False where there is none."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


def derived(result: dict[str, Any]) -> dict[str, Any]:
    papers = max(result["papers"], 1)
    generator, build = result["generator"], result["mkdocs"]
    bare = result["floor"]["bare_mkdocs"]
    return {
        "per_paper_build_ms": 1000 * build["seconds"] / papers,
        "per_paper_build_cpu_ms": 1000 * build["cpu_seconds"] / papers,
        "generator_share": generator["seconds"] / bare["seconds"],
        "generator_share_cpu": generator["cpu_seconds"] / bare["cpu_seconds"],
    }


@contextmanager
def project_dir(keep: Path | None, name: str) -> Iterator[Path]:
    if keep is not None:
        path = keep / name
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix=f"digest-bench-{name}-") as tmp:
        yield Path(tmp)


def run_corpus(
    root: Path, keep: Path | None, name: str, size: int | None, generator_only: bool = False
) -> dict[str, Any]:
    with project_dir(keep, name) as project:
        log(f"{name}: writing the project")
        made = run_child("project", project, str(root), str(size or ""))
        if generator_only:
            log(f"{name}: generator")
            generator = run_child("generate", project)
            result = {"corpus": name, "papers": generator["papers"], "generator": generator}
        else:
            result = measure(name, project, made["slug"], root)
        result["size"] = size
        return result


# --- the report ----------------------------------------------------------------------------

COLUMNS = (
    ("corpus", 8),
    ("papers", 7),
    ("gen s", 7),
    ("gen MB", 7),
    ("mkdocs s", 9),
    ("mkdocs MB", 9),
    ("site MB", 8),
    ("KB/paper", 8),
    ("search KB raw/gz", 17),
    ("no-change w/s", 14),
    ("note edit w/s", 14),
    ("md-only s", 9),
    ("bare mkdocs s", 13),
    ("ms/paper", 8),
)


def row(r: dict[str, Any]) -> list[str]:
    build, search, rebuild = r["mkdocs"], r["search"], r["rebuild"]
    no_change, note = rebuild["no_change"], rebuild["note_edit"]
    return [
        r["corpus"],
        str(r["papers"]),
        f"{r['generator']['seconds']:.2f}",
        f"{r['generator']['peak_mb']:.0f}",
        f"{build['seconds']:.1f}",
        f"{build['peak_mb']:.0f}",
        f"{build['site_bytes'] / 1e6:.1f}",
        f"{build['paper_page_bytes'] / 1e3:.1f}",
        f"{search['raw_bytes'] / 1e3:.0f}/{search['gzip_bytes'] / 1e3:.0f}",
        f"{no_change['written']}/{no_change['seconds']:.2f}",
        f"{note['written']}/{note['seconds']:.2f}",
        f"{r['floor']['markdown']['seconds']:.2f}",
        f"{r['floor']['bare_mkdocs']['seconds']:.1f}",
        f"{r['per_paper_build_ms']:.1f}",
    ]


GENERATOR_COLUMNS = (
    ("corpus", 8),
    ("papers", 7),
    ("gen s", 7),
    ("gen CPU s", 9),
    ("gen MB", 7),
    ("classify s", 10),
)


def generator_row(r: dict[str, Any]) -> list[str]:
    generator = r["generator"]
    return [
        r["corpus"],
        str(r["papers"]),
        f"{generator['seconds']:.2f}",
        f"{generator['cpu_seconds']:.2f}",
        f"{generator['peak_mb']:.0f}",
        f"{generator['classify_seconds']:.2f}",
    ]


DAILY_COLUMNS = (
    ("corpus", 8),
    ("papers", 7),
    ("cold s", 8),
    ("+1 day cached s", 15),
    ("ratio", 6),
    ("cached MB", 9),
    ("serve cold/warm s", 17),
    ("KB/paper", 8),
    ("site MB", 8),
)


def daily_row(r: dict[str, Any]) -> list[str]:
    daily = r["daily"]
    cached = daily["cached"]
    return [
        r["corpus"],
        str(r["papers"]),
        f"{daily['cold_seconds']:.1f}",
        f"{cached['seconds']:.1f}",
        f"{daily['ratio']:.2f}",
        f"{cached['peak_mb']:.0f}",
        f"{daily['serve_cold_seconds']:.1f}/{daily['serve_seconds']:.1f}",
        f"{cached['paper_page_bytes'] / 1e3:.1f}",
        f"{cached['site_bytes'] / 1e6:.1f}",
    ]


def daily_table(results: list[dict[str, Any]]) -> str:
    """The daily rebuild: a cold build, a new day's listing, the build with the cache."""
    return _aligned(DAILY_COLUMNS, [daily_row(r) for r in results if "daily" in r])


def daily_lines(results: list[dict[str, Any]]) -> list[str]:
    """The daily rebuild's goals: at most 0.2 of a cold build, and 2 minutes from 50,000
    papers on; `mkdocs serve` from a warm cache in 20 s at 10,000 papers or fewer."""
    lines = []
    for r in results:
        if "daily" not in r or not r["size"]:
            continue
        daily, papers = r["daily"], r["papers"]
        ratio = {"ratio": daily["ratio"], "goal": DAILY_GOALS["ratio"]}
        lines.append(
            f"daily rebuild at {papers} papers: {daily['cached']['seconds']:.1f} s, "
            f"{daily['ratio']:.2f} of a cold build (goal <= {DAILY_GOALS['ratio']}) "
            + _verdict(ratio)
        )
        if papers >= 50_000:
            seconds = {"ratio": daily["cached"]["seconds"], "goal": DAILY_GOALS["seconds_at_50000"]}
            lines.append(f"daily rebuild at {papers} papers: goal <= 120 s " + _verdict(seconds))
        if papers <= 10_000:
            serve = {"ratio": daily["serve_seconds"], "goal": DAILY_GOALS["serve_seconds"]}
            lines.append(
                f"mkdocs serve from a warm cache at {papers} papers: "
                f"{daily['serve_seconds']:.1f} s (goal <= {serve['goal']:.0f} s) " + _verdict(serve)
            )
    return lines


def table(results: list[dict[str, Any]]) -> str:
    full = all("mkdocs" in r for r in results)
    columns, cells = (COLUMNS, row) if full else (GENERATOR_COLUMNS, generator_row)
    return _aligned(columns, [cells(r) for r in results])


def _aligned(columns: tuple[tuple[str, int], ...], rows: list[list[str]]) -> str:
    lines = ["  ".join(title.rjust(width) for title, width in columns)]
    for cells in rows:
        lines.append("  ".join(c.rjust(w) for c, (_, w) in zip(cells, columns, strict=True)))
    return "\n".join(lines)


def goals(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-paper build time at the largest size over that at 2,000 (or the smallest size),
    the generator's time over bare MkDocs' at the largest corpus, and the generator's time
    and memory at 50,000 papers or more."""
    largest = max(results, key=lambda r: r["papers"])
    at_scale = None
    if largest["papers"] >= GENERATOR_GOAL["papers"]:
        generator = largest["generator"]
        at_scale = {
            "papers": largest["papers"],
            "seconds": generator["seconds"],
            "cpu_seconds": generator["cpu_seconds"],
            "peak_mb": generator["peak_mb"],
            "goal": GENERATOR_GOAL,
        }
    generator = largest["generator"]
    classify = {
        "papers": largest["papers"],
        "ratio": generator["classify_seconds"] / generator["seconds"],
        "goal": GOALS["classify_share"],
    }
    if not all("mkdocs" in r for r in results):
        return {
            "per_paper_scaling": None,
            "generator_share": None,
            "generator_at_scale": at_scale,
            "classify_share": classify,
        }
    synthetic = sorted((r for r in results if r["size"]), key=lambda r: r["papers"])
    largest = max(results, key=lambda r: r["papers"])
    scaling = None
    if len(synthetic) >= 2:
        base = next((r for r in synthetic if r["size"] == SCALE_BASE), synthetic[0])
        top = synthetic[-1]
        scaling = {
            "from": base["papers"],
            "to": top["papers"],
            "ratio": top["per_paper_build_ms"] / base["per_paper_build_ms"],
            "ratio_cpu": top["per_paper_build_cpu_ms"] / base["per_paper_build_cpu_ms"],
            "goal": GOALS["scaling"],
        }
    papers = largest["papers"]
    search_page = {
        "papers": papers,
        "ratio": largest["search_page"]["gzip_bytes"],
        "typical": largest["search_page"]["typical_gzip_bytes"],
        "goal": next(g for most, g in SEARCH_PAGE_GOALS if most is None or papers <= most),
    }
    share = {
        "papers": largest["papers"],
        "ratio": largest["generator_share"],
        "ratio_cpu": largest["generator_share_cpu"],
        "goal": GOALS["generator_share"],
    }
    editions = {"papers": papers, **largest["editions_cost"], "goal": GOALS["editions_cost"]}
    return {
        "per_paper_scaling": scaling,
        "generator_share": share,
        "generator_at_scale": at_scale,
        "classify_share": classify,
        "search_page": search_page,
        "editions_cost": editions,
    }


def goal_lines(found: dict[str, Any]) -> list[str]:
    scaling, share = found["per_paper_scaling"], found["generator_share"]
    lines = []
    at_scale = found["generator_at_scale"]
    if at_scale is not None:
        goal = at_scale["goal"]
        met = at_scale["seconds"] < goal["seconds"] and at_scale["peak_mb"] < goal["peak_mb"]
        lines.append(
            f"generator at {at_scale['papers']} papers: {at_scale['seconds']:.1f} s "
            f"(CPU {at_scale['cpu_seconds']:.1f} s), {at_scale['peak_mb']:.0f} MB "
            f"(goal < {goal['seconds']:.0f} s and < {goal['peak_mb']:.0f} MB) "
            + ("met" if met else "NOT met")
        )
    classify = found["classify_share"]
    lines.append(
        f"classifying / generator time at {classify['papers']} papers: {classify['ratio']:.3f} "
        f"(goal <= {classify['goal']}) {_verdict(classify)}"
    )
    if share is None:
        return lines
    if scaling is None:
        lines.append("per-paper build time scaling: n/a (needs two synthetic sizes)")
    else:
        lines.append(
            f"per-paper build time at {scaling['to']} / at {scaling['from']} papers: "
            f"{scaling['ratio']:.2f}, CPU time {scaling['ratio_cpu']:.2f} "
            f"(goal <= {scaling['goal']}) {_verdict(scaling)}"
        )
    page = found.get("search_page")
    if page is not None:
        lines.append(
            f"search page's first download at {page['papers']} papers: "
            f"{page['ratio'] / 1e3:.0f} KB gzipped at most, {page['typical'] / 1e3:.0f} KB for a "
            f"typical word (goal <= {page['goal'] / 1e3:.0f} KB) " + _verdict(page)
        )
    editions = found.get("editions_cost")
    if editions is not None:
        lines.append(
            f"build CPU time with / without the editions, organisations and tags pages at "
            f"{editions['papers']} papers: {editions['ratio']:.3f} ({editions['pages']} pages, "
            f"{editions['seconds']:.1f} s) (goal <= {editions['goal']}) {_verdict(editions)}"
        )
    lines.append(
        f"generator time / bare MkDocs time at {share['papers']} papers: "
        f"{share['ratio']:.3f}, CPU time {share['ratio_cpu']:.3f} "
        f"(goal <= {share['goal']}) {_verdict(share)}"
    )
    return lines


def _verdict(goal: dict[str, Any]) -> str:
    return "met" if goal["ratio"] <= goal["goal"] else "NOT met"


# --- the command -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m digest.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", help="synthetic corpus sizes, e.g. 2000,10000 (default 2000,10000,50000)"
    )
    parser.add_argument("--quick", action="store_true", help="a tiny run: sizes 200,1000")
    parser.add_argument(
        "--json", type=Path, default=Path("bench-results.json"), help="where to write the results"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        help="the repository (mkdocs.yml, content/, site_templates/)",
    )
    parser.add_argument(
        "--no-seeds", action="store_true", help="leave out the repository's own content"
    )
    parser.add_argument(
        "--generator-only",
        action="store_true",
        help="measure the generator alone (no MkDocs builds): minutes instead of an hour at 50,000",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def sizes_of(args: argparse.Namespace) -> list[int]:
    if args.sizes is None:
        return list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(f"--sizes takes numbers separated by commas, not {args.sizes!r}") from None
    if any(s <= 0 for s in sizes):
        raise SystemExit("--sizes must be positive")
    return sizes


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = args.project.resolve()
    keep = args.keep.resolve() if args.keep else None
    corpora: list[tuple[str, int | None]] = [] if args.no_seeds else [("seeds", None)]
    corpora += [(f"n{size}", size) for size in sizes_of(args)]
    if not corpora:
        raise SystemExit("nothing to measure: give --sizes, or leave out --no-seeds")
    env = environment()
    results: list[dict[str, Any]] = []
    report: dict[str, Any] = {}
    for name, size in corpora:
        results.append(run_corpus(root, keep, name, size, args.generator_only))
        env["load_average"].append(os.getloadavg()[0])
        report = {"environment": env, "corpora": results, "goals": goals(results)}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        log(f"{name} done; results so far in {args.json}:\n{table(results)}")
    return report


def environment() -> dict[str, Any]:
    """Versions, CPUs and the load average before the run and after each corpus (other
    work on the machine slows wall times, hardly CPU times)."""
    return {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "markdown": version("markdown"),
        "gzip_level": GZIP_LEVEL,
        "load_average": [os.getloadavg()[0]],
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child_main(args.child[0], args.child[1], args.child[2:])
        return
    try:
        report = run(args)
    except BenchError as exc:
        raise SystemExit(f"benchmark failed: {exc}") from None
    print(table(report["corpora"]))
    if any("daily" in r for r in report["corpora"]):
        print(daily_table(report["corpora"]))
    print("\n".join([*goal_lines(report["goals"]), *daily_lines(report["corpora"])]))
    log(f"results written to {args.json}")


if __name__ == "__main__":
    main()
