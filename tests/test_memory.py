"""What a build holds while it renders pages: not the site's data files once written, and
each page's HTML compressed between MkDocs' two passes (digest/plugin/parked.py).

MkDocs keeps every file object until the build ends. The generated feeds and data files
(papers.json, each topic's papers.json and feeds) come to some 9 KB a paper, 450 MB at
50,000 papers: a file's content is let go once it is written. The bench measures the
memory (`python -m digest.bench`); these tests check, in real builds, that the files are
written whole, that no file object still holds its content, and that other plugins and
hooks find every page's HTML where MkDocs gives it to them."""

from __future__ import annotations

import json
from pathlib import Path

from digest.plugin.parked import ParkedPages

from conftest import copy_project, mkdocs_build

# After every page is built, each generated file that is not a page: its path, and whether
# its object still holds content. The hook runs after the digest plugin's on_files.
HOLDING_HOOK = """
import json
from pathlib import Path
from mkdocs.plugins import event_priority

seen = []

@event_priority(-100)
def on_files(files, config, **kwargs):
    seen[:] = [f for f in files if type(f).__name__ == "GeneratedFile"]
    return files

def on_post_build(config, **kwargs):
    held = {f.src_uri: f._data is not None for f in seen if not f.is_documentation_page()}
    Path(config.site_dir, "held.json").write_text(json.dumps(held), encoding="utf-8")
"""


def test_data_files_are_written_whole_and_then_let_go(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "holding.py").write_text(HOLDING_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - holding.py\n", "utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    held = json.loads((site / "held.json").read_text("utf-8"))
    assert {"papers.json", "feed.xml", "topics/evaluation/papers.json"} <= held.keys()
    assert not any(held.values()), [path for path, holds in held.items() if holds]
    papers = json.loads((site / "papers.json").read_text("utf-8"))
    assert len(papers) > 400
    assert (site / "feed.xml").read_text("utf-8").rstrip().endswith("</feed>")


class _File:
    src_uri = "papers/x.md"


class _Page:
    file = _File()
    content: str | None = None


def test_a_set_aside_page_gets_back_its_html_as_it_was() -> None:
    html = "<p>\u201cQuoted\u201d, caf\u00e9, \U0001f600, &amp; <b>bold</b></p>\n" * 50
    parked, page = ParkedPages(), _Page()
    assert parked.park(page, html) == ""  # what the page holds meanwhile
    parked.give_back(page)
    assert page.content == html
    page.content = "kept"
    parked.give_back(page)  # given back once only
    assert page.content == "kept"


# A hook as another plugin would be: it adds to each page's HTML as MkDocs converts it
# (default priority, after digest's conversion), and reads it before the page's template.
OTHER_PLUGIN_HOOK = """
seen = {}

def on_page_content(html, page, **kwargs):
    return html + '<p class="other-plugin">added</p>'

def on_page_context(context, page, **kwargs):
    seen[page.file.src_uri] = (page.content or "").count('class="other-plugin"')
    return context

def on_post_build(config, **kwargs):
    import json, pathlib
    pathlib.Path(config.site_dir, "seen.json").write_text(json.dumps(seen), encoding="utf-8")
"""


def test_other_plugins_find_each_pages_html_where_mkdocs_gives_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "other.py").write_text(OTHER_PLUGIN_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - other.py\n", "utf-8")
    result = mkdocs_build(project, "--no-directory-urls")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    seen = json.loads((site / "seen.json").read_text("utf-8"))
    papers = [path for path in seen if path.startswith("papers/")]
    assert len(papers) > 400 and all(seen[path] == 1 for path in seen), seen
    assert "pages/about.md" in seen  # an editor's page, which is not set aside
    page = (site / "papers" / (papers[0].removeprefix("papers/")[:-3] + ".html")).read_text("utf-8")
    assert '<p class="other-plugin">added</p>' in page and "<h2" in page


# Once every page is read (MkDocs' first pass), what the digest plugin holds of the pages
# the cache had, until each is written: their number, and the bytes held.
REUSED_HOOK = """
import json
from pathlib import Path

def on_env(env, config, **kwargs):
    reused = config.plugins["digest"].reused
    held = {"pages": len(reused), "bytes": sum(len(entry) for entry in reused.values())}
    Path(config.config_file_path).with_name("held.json").write_text(json.dumps(held))
    return env
"""


def test_pages_from_the_cache_are_held_compressed_until_written(tmp_path: Path) -> None:
    """A daily build at 50,000 papers held every cached page's HTML from the first pass to
    the second: 3.0 GB at its peak, against 1.7 GB for a cold build."""
    project = copy_project(tmp_path)
    (project / "reused.py").write_text(REUSED_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - reused.py\n", "utf-8")
    for _ in range(2):  # the second build finds every page in the cache
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
    held = json.loads((project / "held.json").read_text("utf-8"))
    papers = list((project / "site" / "papers").glob("*/index.html"))
    pages = sum(page.stat().st_size for page in (project / "site").rglob("*.html"))
    assert held["pages"] > len(papers) > 400
    assert held["bytes"] < 0.4 * pages, (held, pages)
