"""Real `mkdocs build --strict` runs of the default content and of small crafted sites."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from digest.model import Paper
from digest.papers.merge import slug_for

from conftest import copy_project, mkdocs_build, search_records


class LinkCollector(HTMLParser):
    """Links, elements, event-handler attributes and script text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        self.handlers += [name for name in found if name.startswith("on")]
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


class TextOf(HTMLParser):
    """The text (entities decoded) inside every element with one tag name."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag, self.depth, self.parts = tag, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == self.tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self.depth -= 1
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


def text_of(html: str, tag: str) -> str:
    parser = TextOf(tag)
    parser.feed(html)
    return "".join(parser.parts).replace("\u00b6", "").strip()


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_every_paper_topic_and_issue_has_a_page(
    built_site: Path, papers: tuple[Paper, ...]
) -> None:
    for paper in papers:
        assert (built_site / "papers" / paper.slug / "index.html").is_file(), paper.slug
    assert (built_site / "topics" / "peft" / "index.html").is_file()
    for day in ("2025-12-11", "2026-03-14", "2026-03-17", "2026-03-20", "2026-03-24"):
        assert (built_site / "issues" / day / "index.html").is_file()
    assert (built_site / "index.html").is_file()


def test_raw_listings_and_topics_file_are_not_published(built_site: Path) -> None:
    published = {p.name for p in built_site.rglob("*") if p.is_file()}
    assert not any(name.endswith(".txt") for name in published)
    assert "topics.yml" not in published
    assert not (built_site / "sources").exists()


def test_every_internal_link_resolves(built_site: Path) -> None:
    broken = []
    for html_file in built_site.rglob("*.html"):
        collector = LinkCollector()
        collector.feed(html_file.read_text(encoding="utf-8"))
        for href in collector.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            base = built_site if parts.path.startswith("/") else html_file.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(built_site)} -> {href}")
    assert broken == []


def test_paper_pages_stay_out_of_the_navigation(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    start = home.index('<nav class="md-nav md-nav--primary"')
    nav = home[start : home.index("</nav>", start)]
    assert "papers/" not in nav
    sizes = [p.stat().st_size for p in (built_site / "papers").rglob("index.html")]
    assert max(sizes) < 60_000  # no page carries a link to every other page


def nav_titles(html: str) -> list[str]:
    """The words of each link in a page's main navigation, in order."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start : html.index('<div class="md-sidebar md-sidebar--secondary"', start)]
    links = re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)
    return [" ".join(re.sub(r"<[^>]*>", "", link).split()) for link in links]


def test_every_page_names_the_navigations_pages_by_their_titles(built_site: Path) -> None:
    # Pages MkDocs builds early and late; the About page is an editor's, titled in its
    # front matter.
    paper = min(path.name for path in (built_site / "papers").iterdir())
    for path in ("", "status", "pages/about", "topics", f"papers/{paper}"):
        titles = nav_titles(page(built_site, path))
        assert "About" in titles and "Status" in titles and "None" not in titles, (path, titles)


def test_a_paper_page_shows_the_paper(built_site: Path, papers: tuple[Paper, ...]) -> None:
    paper = next(p for p in papers if p.title.startswith("LLaMA-Adapter V2"))
    html = page(built_site, f"papers/{paper.slug}")
    assert (
        "<h1" in html and "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model" in html
    )
    assert "Published 2023-04-28" in html and "12 authors" in html
    assert 'href="https://github.com/ZrrSkywalker/LLaMA-Adapter"' in html
    assert "huggingface.co/papers?q=LLaMA-Adapter+V2" in html
    assert "arxiv.org/search/?query=LLaMA-Adapter+V2" in html
    assert "semanticscholar.org/search?q=LLaMA-Adapter+V2" in html
    assert "../../issues/2025-12-11/" in html
    assert re.search(r'href="../../topics/[a-z-]+/"', html)


def test_math_is_drawn_as_mathml_when_the_site_is_built(
    built_site: Path, papers: tuple[Paper, ...]
) -> None:
    grayhawk = next(p for p in papers if "GrayHawk" in p.title)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page(built_site, f"papers/{grayhawk.slug}"))
    assert heading and '<mi mathvariant="monospace">G</mi>' in heading[1]  # \tt GrayHawk
    delta = next(p for p in papers if r"\(\Delta W\)" in p.abstract)
    html = page(built_site, f"papers/{delta.slug}")
    assert '<math display="inline"><mrow><mi>\u0394</mi><mi>W</mi></mrow></math>' in html
    # Every formula of the seeds converts: none is left as TeX for a script to draw.
    for path in built_site.rglob("*.html"):
        assert 'class="arithmatex"' not in path.read_text(encoding="utf-8"), path


def test_search_index_finds_papers_and_holds_each_abstract_once(
    built_site: Path, papers: tuple[Paper, ...]
) -> None:
    records = search_records(built_site)
    titles = {r["url"]: r["meta"]["title"] for r in records}
    for paper in papers[::25]:
        assert titles[f"/papers/{paper.slug}/"] == paper.title
        tail = " ".join(paper.abstract[-80:].split())
        holders = {r["url"] for r in records if tail in " ".join(r["content"].split())}
        assert holders == {f"/papers/{paper.slug}/"}, paper.slug


def test_home_page_lists_the_latest_issue_topics_and_archive(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Latest issue" in html and "issues/2026-03-24/" in html
    assert "topics/peft/" in html
    for day in ("2025-12-11", "2026-03-14", "2026-03-17", "2026-03-20"):
        assert f"issues/{day}/" in html


HOSTILE_TITLE = 'x <img src=x onerror=alert(1)> *boom* [link](javascript:alert(2)) {: onclick="y"}'
HOSTILE_ABSTRACT = (
    "<script>alert(3)</script> An abstract with **markdown**, a [link](javascript:alert(4)), "
    '{{ jinja }} {% raw %} and --8<-- "mkdocs.yml" and &amp; entities. ' * 3
)


def test_hostile_listing_text_stays_text(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    sources = project / "content" / "sources"
    for old in [*sources.iterdir(), *(project / "content" / "notes").iterdir()]:
        old.unlink()
    (sources / "2026-01-05-hostile.txt").write_text(
        f"{HOSTILE_TITLE}\n{HOSTILE_ABSTRACT}\nA Calm Paper\n{'Calm words here. ' * 30}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for html_file in site.rglob("*.html"):
        collector = LinkCollector()
        text = html_file.read_text(encoding="utf-8")
        collector.feed(text)
        assert not any(h.lower().startswith("javascript:") for h in collector.links), html_file
        assert collector.handlers == [], html_file
        assert "img" not in collector.tags, html_file
        assert not any("alert(" in s for s in collector.script_text), html_file
    html = page(site, f"papers/{slug_for(HOSTILE_TITLE)}")
    assert text_of(html, "h1") == HOSTILE_TITLE
    assert HOSTILE_ABSTRACT.strip()[:120] in text_of(html, "p")
    assert "site_name:" not in html  # the snippet line was not followed
    # Search keeps the text as text: the result shows it literally (see test_hostile.py).
    records = {r["url"]: r for r in search_records(site)}
    record = records[f"/papers/{slug_for(HOSTILE_TITLE)}/"]
    assert record["meta"]["title"] == HOSTILE_TITLE
    assert HOSTILE_ABSTRACT.strip()[:120] in record["content"]


# 0206: a mistyped 2026, which made the build stop with a traceback in the editions.
@pytest.mark.parametrize(
    "bad", ["nodate.txt", "2026-02-30-x.txt", "0206-03-14-x.txt", "2206-03-14-x.txt"]
)
def test_a_badly_named_listing_fails_strict_build_naming_the_file(tmp_path: Path, bad: str) -> None:
    project = copy_project(tmp_path)
    (project / "content" / "sources" / bad).write_text("Title\nAbstract.\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"content/sources/{bad}" in result.stderr
    assert "YYYY-MM-DD-name.txt" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("mistake", "found"),
    [
        ("{% if %}", "Expected an expression"),  # the template cannot even be read
        ("{{ paper.no_such_field }}", "no_such_field"),  # only rendering a page meets it
    ],
)
def test_a_template_mistake_fails_the_build_naming_template_and_line(
    tmp_path: Path, mistake: str, found: str
) -> None:
    project = copy_project(tmp_path)
    template = project / "site_templates" / "paper.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, mistake + "\n")
    template.write_text("".join(lines), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "paper.md.j2:3" in result.stderr and found in result.stderr
    assert "Traceback" not in result.stderr
