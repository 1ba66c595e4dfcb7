"""The rebuild cache (.cache/digest/): a build that reuses it writes the same site, byte for
byte, as a build without it, whatever changed in between; a damaged cache is never read."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.config import load_config

from digest.plugin import cache as cache_module
from digest.plugin import old_site
from digest.plugin.cache import CACHE_DIR, site_key

from conftest import copy_project, run_digest

NEWEST = "2026-03-20-trending.txt"  # a day's listing that no note needs


def build(project: Path, site: str, **env: str) -> int:
    """Build into project/site; returns how many generated pages came from the cache."""
    return build_counts(project, site, **env)[0]


def build_counts(project: Path, site: str, **env: str) -> tuple[int, int, int]:
    """How many generated pages came from the cache, of how many, and how many pages'
    Markdown the build made."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
        cwd=project, capture_output=True, text=True, timeout=600, env={**os.environ, **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = re.search(
        r"(\d+) of (\d+) generated pages written from the cache; (\d+) pages' Markdown made",
        result.stderr,
    )
    assert found, result.stderr
    return int(found[1]), int(found[2]), int(found[3])


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def cold_build(project: Path) -> dict[str, bytes]:
    """The site a build with no cache at all writes (the cache is put back after)."""
    kept = project / ".cache-kept"
    shutil.move(project / CACHE_DIR, kept)
    try:
        assert build(project, "site-cold") == 0
    finally:
        shutil.rmtree(project / CACHE_DIR)
        shutil.move(kept, project / CACHE_DIR)
    return files_of(project / "site-cold")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default content without its newest listing, built once: the cache is warm."""
    project = copy_project(tmp_path_factory.mktemp("cached"))
    replace(project / "mkdocs.yml", "  - digest\n", "  - digest:\n      search: false\n")
    shutil.move(project / "content" / "sources" / NEWEST, project / NEWEST)
    assert build(project, "site") == 0
    assert (project / CACHE_DIR).is_dir()
    return project


# Each change, made in turn on the same project, and what share of the pages the next
# build may write from the cache: "some" (some but not all) or "none".
CHANGES: list[tuple[str, Callable[[Path], None], str]] = [
    ("a new day's listing",
     lambda p: shutil.move(p / NEWEST, p / "content" / "sources" / NEWEST), "some"),
    ("an editor's note",
     lambda p: append(p / "content" / "notes" / "normuon.md", "\nOne more word.\n"), "some"),
    ("a topic rule",
     lambda p: replace(p / "content" / "topics.yml", "    rules:\n", "    rules:\n      - {phrase: scalable, weight: 4}\n"), "some"),  # noqa: E501
    ("a page template",
     lambda p: append(p / "site_templates" / "paper.md.j2", "\nRead well.\n"), "some"),
    ("an editor's page in the navigation",
     lambda p: replace(p / "content" / "pages" / "about.md", "About", "About us"), "none"),
    ("the theme",
     lambda p: append(p / "site_templates" / "theme" / "assets" / "digest.css", "\n/* new */\n"), "none"),  # noqa: E501
    ("mkdocs.yml",
     lambda p: replace(p / "mkdocs.yml", "site_description: Papers", "site_description: Reads"), "none"),  # noqa: E501
    ("hooks in mkdocs.yml", lambda p: add_hooks(p, "one"), "none"),
    ("a module the hooks import", lambda p: replace(p / "hooks_words.py", "one", "two"), "none"),
]  # fmt: skip


def add_hooks(project: Path, word: str) -> None:
    """MkDocs hooks (`hooks:` in mkdocs.yml) that add a word to every page, from a module
    of their own beside them."""
    (project / "hooks_words.py").write_text(f"WORD = '{word}'\n", encoding="utf-8")
    (project / "hooks.py").write_text(
        "import sys, os\n"
        "sys.path.insert(0, os.path.dirname(__file__))\n"
        "import hooks_words\n"
        "def on_post_page(output, **kwargs):\n"
        "    return output.replace('</body>', f'<!-- {hooks_words.WORD} --></body>')\n",
        encoding="utf-8",
    )
    append(project / "mkdocs.yml", "\nhooks:\n  - hooks.py\n")


@pytest.mark.parametrize(("change", "make", "reused"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_cached_build_writes_what_a_cold_build_writes(
    project: Path, change: str, make: Callable[[Path], None], reused: str
) -> None:
    make(project)
    pages_from_cache, pages, made = build_counts(project, "site")
    cold = cold_build(project)
    assert files_of(project / "site") == cold, change
    assert made == pages > 0, change  # every page's Markdown made again, to key it
    if reused == "none":
        assert pages_from_cache == 0, change
    else:
        assert pages_from_cache > 0, change
    # Nothing changed since: every page is reused, and no page's Markdown is made again.
    assert build_counts(project, "site") == (pages, pages, 0), change
    assert files_of(project / "site") == cold, change


def test_a_damaged_cache_is_never_read(project: Path) -> None:
    entries = sorted((project / CACHE_DIR).rglob("*"))
    entries = [e for e in entries if e.is_file()]
    assert len(entries) > 30
    for entry in entries[0:10]:  # half-written
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    for entry in entries[10:20]:  # a wrong page under a right name, hash line and all
        entry.write_bytes(entries[-1].read_bytes())
    for entry in entries[20:30]:  # garbage
        entry.write_bytes(b"\x00\xff not a page")
    before = build(project, "site")
    assert 0 < before <= len(entries) - 20  # the damaged ones were rendered again
    assert files_of(project / "site") == cold_build(project)


def test_a_build_for_another_address_keeps_this_ones_pages(project: Path) -> None:
    """`mkdocs serve` builds for its own address (other links, other pages): it keeps its
    pages beside the build's, and the next build still finds its own."""
    build(project, "site")
    assert build(project, "site-elsewhere", SITE_URL="http://127.0.0.1:8765/") == 0
    reused, pages, made = build_counts(project, "site")
    assert reused == pages > 0
    assert made == 0  # nor is any page's Markdown made again


FILES = ["index.md", "pages/about.md"]  # the files no generator made


def test_the_site_key_changes_with_the_software_and_digests_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A new version of digest, MkDocs, Material or any package is a new key for every
    page (the builds above use one version of each)."""
    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("A = 1\n", encoding="utf-8")
    key = site_key(config, ["Home"], [code], FILES)
    assert site_key(config, ["Home"], [code], FILES) == key  # the same, read again
    assert site_key(config, ["Home page"], [code], FILES) != key
    assert site_key(config, ["Home"], [code], [*FILES, "files/figure.png"]) != key
    (code / "module.py").write_text("A = 2\n", encoding="utf-8")
    assert site_key(config, ["Home"], [code], FILES) != key
    (code / "module.py").write_text("A = 1\n", encoding="utf-8")
    software = cache_module.installed_software()
    assert any(line.lower().startswith("mkdocs-material==") for line in software)
    upgraded = [re.sub(r"^(mkdocs==).*", r"\g<1>99.0", line) for line in software]
    monkeypatch.setattr(cache_module, "installed_software", lambda: upgraded)
    assert site_key(config, ["Home"], [code], FILES) != key


def test_a_new_listing_in_a_linked_folder_is_built_from_the_cache_as_cold(
    tmp_path: Path,
) -> None:
    """The listings may be a link to a folder kept elsewhere: a listing added there is a
    new input, so every page's Markdown is made again, and the site is what a cold build
    writes (the pages' Markdown hashes are kept under what the generator read)."""
    project = copy_project(tmp_path / "project")
    replace(project / "mkdocs.yml", "  - digest\n", "  - digest:\n      search: false\n")
    listings = tmp_path / "listings"
    shutil.move(project / "content" / "sources", listings)
    (project / "content" / "sources").symlink_to(listings, target_is_directory=True)
    shutil.move(listings / NEWEST, tmp_path / NEWEST)
    build(project, "site")
    shutil.move(tmp_path / NEWEST, listings / NEWEST)
    reused, pages, made = build_counts(project, "site")
    assert 0 < reused < pages and made == pages
    assert files_of(project / "site") == cold_build(project)


def test_a_pages_entry_is_keyed_on_its_front_matter_too(tmp_path: Path) -> None:
    """The theme shows some of a page's front matter (its title and description in the
    head, its feeds' links): a page whose front matter alone changed is rendered again."""
    cache = cache_module.PageCache(tmp_path, "site")
    page = "---\ntitle: X\ndescription: Old.\n---\n# X\n"
    key = cache.key("papers/x.md", page)
    assert cache.key("papers/x.md", page) == key
    assert cache.key("papers/x.md", page.replace("Old.", "New.")) != key
    assert cache.key("papers/y.md", page) != key


def test_a_paper_page_in_an_editors_own_navigation_keeps_its_title(tmp_path: Path) -> None:
    """A page outside the navigation is drawn from the cache without MkDocs converting it;
    one an editor puts in mkdocs.yml's `nav:` is titled there, built cold or cached."""
    project = copy_project(tmp_path)
    replace(project / "mkdocs.yml", "  - digest\n", "  - digest:\n      search: false\n")
    listed = run_digest(project, "list", "--json")
    paper = min(paper["slug"] for paper in json.loads(listed.stdout))
    append(project / "mkdocs.yml", f"\nnav:\n  - index.md\n  - Best read: papers/{paper}.md\n")
    for cached in (False, True):
        reused, pages, _ = build_counts(project, "site")
        assert (reused == pages) is cached and pages > 0
        home = (project / "site" / "index.html").read_text("utf-8")
        assert f'href="papers/{paper}/"' in home and "Best read" in home, cached
        html = (project / "site" / "papers" / paper / "index.html").read_text("utf-8")
        assert "Best read" in html, cached  # in its own navigation too


def test_a_daily_build_with_search_writes_what_a_cold_build_writes(tmp_path: Path) -> None:
    """With search on, a new day's listing: the cached build reindexes what changed (the
    pages it has seen are not read for their shards again) and writes the same site,
    search index and all, as a build without the cache."""
    project = copy_project(tmp_path)
    shutil.move(project / "content" / "sources" / NEWEST, project / NEWEST)
    assert build(project, "site") == 0
    shutil.move(project / NEWEST, project / "content" / "sources" / NEWEST)
    assert build(project, "site") > 0
    site = files_of(project / "site")
    assert any(path.startswith("pagefind/") for path in site)
    assert site == cold_build(project)
    # The search cache damaged: two weeks' indexes swapped (each whole, under the other's
    # key), a third and the merged index replaced by files. Indexed anew, as cold.
    search = project / CACHE_DIR / "search"
    first, second, third = sorted(p for p in search.iterdir() if p.name[:1].isdigit())[:3]
    first.rename(search / "swapping")
    second.rename(first)
    (search / "swapping").rename(second)
    shutil.rmtree(third)
    third.write_bytes(b"\x00 not an index")
    for merged in search.glob("merged-*"):
        shutil.rmtree(merged)
        merged.write_bytes(b"")
    build(project, "site")
    assert files_of(project / "site") == site
    # The whole search cache a file, the kept topics a folder: the same site, again and
    # again (each build crashed), and no temporary file left over.
    shutil.rmtree(search)
    search.write_bytes(b"x")
    (project / CACHE_DIR / "topics.json").unlink()
    (project / CACHE_DIR / "topics.json").mkdir()
    for _ in range(2):
        build(project, "site")
        assert files_of(project / "site") == site
    assert (project / CACHE_DIR / "topics.json").is_file()
    assert not [p for p in (project / CACHE_DIR).iterdir() if p.name.startswith("tmp")]


def test_a_build_leaves_only_its_own_site_and_the_dot_files(project: Path) -> None:
    """The last build's files are moved aside and deleted while the build runs (old_site.py):
    none is left, nor the folder they were moved to, nor one a killed build left; files
    whose name starts with a dot stay, as MkDocs keeps them."""
    site = project / "site"
    (site / "stale-page").mkdir(exist_ok=True)
    (site / "stale-page" / "index.html").write_text("<p>gone</p>", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    killed = site / f"{old_site.PREFIX}killed"
    (killed / "papers").mkdir(parents=True, exist_ok=True)
    (killed / "papers" / "index.html").write_text("<p>left</p>", encoding="utf-8")
    build(project, "site")
    assert not (site / "stale-page").exists()
    assert (site / ".nojekyll").exists()
    assert not [p.name for p in site.iterdir() if p.name.startswith(old_site.PREFIX)]
    assert (site / "index.html").is_file()


def test_a_notes_link_follows_the_file_it_names_appearing_and_going(tmp_path: Path) -> None:
    """MkDocs makes a note's `../files/figure.png` a link only while the file is there: a
    file that comes or goes changes the HTML of a page whose Markdown did not change."""
    project = copy_project(tmp_path)
    replace(project / "mkdocs.yml", "  - digest\n", "  - digest:\n      search: false\n")
    append(project / "content" / "notes" / "normuon.md", "\n[Figure](../files/figure.png)\n")
    figure = project / "content" / "files" / "figure.png"

    def build(site: str, cache: str) -> dict[str, bytes]:
        """The site built with the cache or cold; not strict: a link may lead nowhere."""
        options = f"  - digest:\n      search: false\n      cache: {cache}\n"
        config = project / f"mkdocs-{site}.yml"
        text = (project / "mkdocs.yml").read_text(encoding="utf-8")
        config.write_text(text.replace("  - digest:\n      search: false\n", options))
        command = ["mkdocs", "build", "-f", config.name, "--site-dir", site]
        result = subprocess.run(
            [sys.executable, "-m", *command], cwd=project, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return files_of(project / site)

    def both_builds() -> tuple[dict[str, bytes], dict[str, bytes]]:
        return build("site", "true"), build("site-cold", "false")

    build("site", "true")  # the cache warm, the figure not there
    figure.parent.mkdir()
    figure.write_bytes(b"PNG")
    cached, cold = both_builds()
    assert cached == cold
    page = next(k for k in cold if k.startswith("papers/normuon") and k.endswith(".html"))
    assert b'href="../../files/figure.png"' in cold[page]  # a link to the file now
    figure.unlink()
    cached, cold = both_builds()
    assert cached == cold
