"""Hostile listings stay text: a real `mkdocs build --strict` of listings whose titles,
abstracts, organisations and links carry HTML, Markdown, Jinja2, extension syntax, YAML,
math with HTML inside, bidi controls and bad URLs. Every page, the search index, the feeds,
papers.json and the email edition must show that text literally and add no markup."""

from __future__ import annotations

import email
import json
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from digest.papers.merge import slug_for
from digest.site.math import ATTRIBUTES as MATHML_ATTRIBUTES
from digest.site.math import ELEMENTS as MATHML_ELEMENTS

from conftest import copy_project, mkdocs_build, search_records, serve

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
TEXT_LISTING = HOSTILE / "2026-01-05-hostile.txt"
API_LISTING = HOSTILE / "2026-01-06-hostile.json"
DAY = "2026-01-05"

# The titles of the text listing, exactly as its lines hold them (escapes for what is
# invisible). The first carries a PEFT abstract, so it has a topic page too.
IMG_TITLE = "x <img src=x onerror=alert('quokka')>"
MATH_TITLE = (
    "Math $<img src=x onerror=alert('math')>$ and \\(<script>alert('m2')</script>\\) inline"
)
TEXT_TITLES = [
    IMG_TITLE,
    "{{ config.site_name }} {% include 'mkdocs.yml' %} {# comment #} Jinja\u202eevil\u2069"
    " and \u2066isolate\u2069 with zero\u200bwidth\u200d joiners",
    "\u2728\U0001f525 ?!? \u2014 \u00b7\u00b7 \U0001f680",  # slugifies to nothing
    "# Heading **bold never closed _under_score [link](javascript:alert('t')) "
    "![img](data:image/svg+xml,<svg/onload=alert('t2')>) | a | b | &amp; &#60;tag&#62; &lt;b&gt;",
    MATH_TITLE,
    "--- title: pwned key: value !!python/object/apply:os.system ['id'] - list + item 1. one "
    "> quote",
    "Links \"quoted\" 'single' <angle> [bracket] (paren) javascript:alert('l1') data:text/html,x",
]
# Abstracts without TeX typography (`~`, quotes in backquotes) or math: shown exactly.
PLAIN_ABSTRACT_TITLES = [*TEXT_TITLES[:4], TEXT_TITLES[5]]

# Where a title shows with its math drawn as MathML (headings, lists, search: the text of
# its symbols, each quote a prime) and where as plain text with `$...$` (the <title>,
# og:title, feeds, the email).
TEX_SHOWN = {
    MATH_TITLE: "Math <imgsrc=xonerror=alert(\u2032math\u2032)> and "
    "<script>alert(\u2032m2\u2032)</script> inline",
}
PLAIN_SHOWN = {
    MATH_TITLE: "Math $<img src=x onerror=alert('math')>$ and "
    "$<script>alert('m2')</script>$ inline",
}

# A calm listing of the same shape: its site is the reference for the theme's own markup
# (scripts, comments, elements), which a hostile listing must not add to.
CALM = """Daily Papers

Jan 5

Calm Adapters for Parameter-Efficient Tuning

We study parameter-efficient LoRA adapters with low-rank adaptation. It works well.

Calm Labs
·
Jan 3 7

A Paper With Math $x^2$ and Links

We prove $a < b$ and \\(c > d\\) for every case. Code: https://github.com/calm/repo and https://example.com/x.

  • 3 authors
·
Jan 4
"""

CALM_API = json.dumps(
    [
        {
            "paper": {
                "id": "2601.00003",
                "authors": [{"name": "Ada Lovelace"}],
                "publishedAt": "2026-01-04T10:00:00.000Z",
                "title": "A Calm API Paper on Retrieval",
                "summary": "We retrieve calmly. See https://example.org/calm for more.",
                "upvotes": 3,
                "githubRepo": "https://github.com/calm/api",
                "githubStars": 5,
                "organization": {"name": "calm", "fullname": "Calm Org"},
            }
        }
    ]
).encode()


def visible(text: str) -> str:
    """Text as a reader sees it: without format characters (bidi controls, zero-width
    characters) and noncharacters (U+FFFE, U+FFFF, ...), white space (U+0085 and U+2028
    included) collapsed to single spaces."""
    kept = "".join(
        ch for ch in text if unicodedata.category(ch) != "Cf" and ord(ch) & 0xFFFE != 0xFFFE
    )
    return " ".join(kept.split())


def tex_shown(title: str) -> str:
    return TEX_SHOWN.get(title, visible(title))


def plain_shown(title: str) -> str:
    return PLAIN_SHOWN.get(title, visible(title))


def listing_lines() -> list[str]:
    # Split at line feeds only: str.splitlines would also split at U+0085 and U+2028,
    # which the listing carries inside an abstract.
    return TEXT_LISTING.read_text(encoding="utf-8").split("\n")


def api_items() -> list[dict]:
    return json.loads(API_LISTING.read_text(encoding="utf-8"))


def api_titles() -> list[str]:
    return [item["paper"]["title"] for item in api_items()]


def all_titles() -> list[str]:
    return TEXT_TITLES + api_titles()


# --- reading HTML -------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "xlink:href", "data"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


@dataclass
class Scan:
    """Everything that can carry behaviour in one HTML document, and its text."""

    elements: set[tuple[str, frozenset[str]]] = field(default_factory=set)
    script_srcs: set[str] = field(default_factory=set)
    inline_scripts: set[str] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    handlers: list[str] = field(default_factory=list)
    bad_urls: list[str] = field(default_factory=list)
    text: str = ""
    texts_by_tag: dict[str, list[str]] = field(default_factory=dict)
    metas: dict[str, str] = field(default_factory=dict)


class Scanner(HTMLParser):
    """Elements, attributes, scripts and comments of a page, and the text of chosen tags
    (character references decoded, as a browser shows them)."""

    WATCHED = ("h1", "title", "a", "p", "li")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._open: list[tuple[str, list[str]]] = []
        self._script: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        scan = self.scan
        scan.elements.add((tag, frozenset(name for name, _ in attrs)))
        for name, value in attrs:
            if name.startswith("on"):
                scan.handlers.append(f"<{tag} {name}={value!r}>")
            squeezed = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                scan.bad_urls.append(f"<{tag} {name}={value!r}>")
        found = dict(attrs)
        if tag == "meta" and (found.get("property") or found.get("name")):
            scan.metas[found.get("property") or found.get("name") or ""] = (
                found.get("content") or ""
            )
        if tag == "script":
            if found.get("src"):
                scan.script_srcs.add(found["src"] or "")
            self._script = []
        if tag in self.WATCHED:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script).strip()
            if body:
                self.scan.inline_scripts.add(body)
            self._script = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, parts = self._open.pop(i)
                text = "".join(parts).replace("\u00b6", "").strip()
                self.scan.texts_by_tag.setdefault(name, []).append(text)
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            return
        self._text.append(data)
        for _, parts in self._open:
            parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.scan.comments.add(data)

    def close(self) -> None:
        super().close()
        self.scan.text = "".join(self._text)


def scan_html(html: str) -> Scan:
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of a page with its attributes (character references decoded)."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Tags(convert_charrefs=True).feed(html)
    return found


def scan_site(site: Path) -> dict[str, Scan]:
    return {
        str(path.relative_to(site)): scan_html(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def paper_url(title: str) -> str:
    return f"papers/{slug_for(title)}/index.html"


# --- the builds ---------------------------------------------------------------------------


def build_with(project: Path, listings: dict[str, bytes]) -> Path:
    sources = project / "content" / "sources"
    for old in [*sources.iterdir(), *(project / "content" / "notes").iterdir()]:
        old.unlink()
    for name, data in listings.items():
        (sources / name).write_bytes(data)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    for title in TEXT_TITLES:  # the test and the fixture agree on every title
        assert title in listing_lines(), title
    build_with(project, {p.name: p.read_bytes() for p in sorted(HOSTILE.glob("*-hostile.*"))})
    return project


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path) -> Path:
    return hostile_project / "site"


@pytest.fixture(scope="module")
def hostile_pages(hostile_site: Path) -> dict[str, Scan]:
    return scan_site(hostile_site)


@pytest.fixture(scope="module")
def calm_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scan]:
    project = copy_project(tmp_path_factory.mktemp("calm"))
    calm = {f"{DAY}-calm.txt": CALM.encode("utf-8"), "2026-01-06-calm.json": CALM_API}
    return scan_site(build_with(project, calm))


# --- the pages ----------------------------------------------------------------------------


def test_every_page_has_only_the_themes_own_markup(
    hostile_pages: dict[str, Scan], calm_pages: dict[str, Scan]
) -> None:
    calm_elements = set().union(*(s.elements for s in calm_pages.values()))
    calm_srcs = set().union(*(s.script_srcs for s in calm_pages.values()))
    calm_scripts = set().union(*(s.inline_scripts for s in calm_pages.values()))
    calm_comments = set().union(*(s.comments for s in calm_pages.values()))
    assert len(hostile_pages) > 10
    for name, scan in hostile_pages.items():
        assert scan.handlers == [], name
        assert scan.bad_urls == [], name
        # An element, or an attribute on it, that no calm page has came from the listing,
        # unless it is the MathML of a formula, which only MathML's allow-list passes.
        drawn_math = {
            (tag, attributes)
            for tag, attributes in scan.elements
            if tag in MATHML_ELEMENTS and attributes <= MATHML_ATTRIBUTES
        }
        assert scan.elements - calm_elements - drawn_math == set(), name
        assert not {tag for tag, _ in scan.elements} & {"iframe", "img", "object", "embed"}, name
        assert scan.script_srcs <= calm_srcs, name
        assert scan.inline_scripts <= calm_scripts, name
        assert scan.comments <= calm_comments, name


def test_paper_pages_show_the_titles_and_abstracts_as_text(
    hostile_pages: dict[str, Scan],
) -> None:
    for title in all_titles():
        scan = hostile_pages[paper_url(title)]
        assert scan.texts_by_tag["h1"] == [tex_shown(title)], title
        assert scan.texts_by_tag["title"] == [f"{plain_shown(title)} - digest"], title
        assert scan.metas["og:title"] == plain_shown(title), title
        assert "site_name:" not in scan.text  # no snippet or include was followed
    raw = listing_lines()
    for title in PLAIN_ABSTRACT_TITLES:
        abstract = raw[raw.index(title) + 2]
        paragraphs = hostile_pages[paper_url(title)].texts_by_tag["p"]
        assert visible(abstract) in paragraphs, title
    for item in api_items():
        paragraphs = hostile_pages[paper_url(item["paper"]["title"])].texts_by_tag["p"]
        assert visible(item["paper"]["summary"]) in paragraphs


def test_math_with_html_inside_is_drawn_as_text(hostile_pages: dict[str, Scan]) -> None:
    scan = hostile_pages[paper_url(MATH_TITLE)]
    assert "<imgsrc=xonerror=alert(\u2032m3\u2032)>" in scan.text
    assert "</span><script>alert(\u2032m4\u2032)</script>" in scan.text
    assert "and click and" in " ".join(scan.text.split())  # \href's text, without its link
    assert "<iframesrc=javascript:alert(\u2032m6\u2032)>" in scan.text  # display math
    assert ("math", frozenset({"display"})) in scan.elements


def test_organisations_and_links_stay_text(hostile_pages: dict[str, Scan]) -> None:
    facts = hostile_pages[paper_url(IMG_TITLE)].text
    assert "<script>alert('org')</script> Evil<b>Org</b>" in facts
    api = hostile_pages[paper_url(api_titles()[0])]
    assert "<img src=x onerror=alert('api-org')>" in api.text
    # A githubRepo with markup in it is no repository address: it is dropped.
    assert not any("alert('repo')" in link for link in api.texts_by_tag["a"])


def test_list_pages_show_the_titles_as_link_text(hostile_pages: dict[str, Scan]) -> None:
    issue = hostile_pages[f"issues/{DAY}/index.html"].texts_by_tag["a"]
    unsorted = hostile_pages["unsorted/index.html"].texts_by_tag["a"]
    peft = hostile_pages["topics/peft/index.html"].texts_by_tag["a"]
    for title in TEXT_TITLES:
        assert tex_shown(title) in issue, title
    assert tex_shown(IMG_TITLE) in peft
    assert tex_shown(TEXT_TITLES[2]) in unsorted


# --- the search index, the feeds and the data ----------------------------------------------


def test_the_search_index_holds_text_only(
    hostile_site: Path, hostile_pages: dict[str, Scan]
) -> None:
    # Pagefind keeps each page's text as text: every hostile title comes back exactly as the
    # page shows it, never as markup (the browser test below shows it as text, too).
    records = search_records(hostile_site)
    assert records
    titles = {r["meta"]["title"] for r in records if r["url"].startswith("/papers/")}
    assert {tex_shown(t) for t in all_titles()} <= titles
    for record in records:
        assert record["url"].startswith("/") and "javascript:" not in record["url"]


def test_feeds_carry_titles_and_summaries_as_plain_text(hostile_site: Path) -> None:
    atoms = sorted(hostile_site.rglob("feed.xml"))
    assert len(atoms) > 3
    seen: set[str] = set()
    for path in atoms:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, path
        for entry in parsed.entries:
            assert entry.title_detail.type == "text/plain", path
            assert entry.summary_detail.type == "text/plain", path
            seen.add(entry.title)
        # No HTML content anywhere but in the weekly editions' own lists of links, which
        # test_the_weekly_feed_carries_titles_as_text checks.
        weekly = path.parent.name == "weeks"
        for element in ET.parse(path).getroot().iter():
            allowed = (None, "text", "html") if weekly else (None, "text")
            assert element.get("type") in allowed or element.tag.endswith("link"), path
    assert {plain_shown(t) for t in all_titles()} <= seen
    for path in sorted(hostile_site.rglob("feed.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        weekly = path.parent.name == "weeks"
        for item in feed["items"]:
            # JSON Feed's title, summary and content_text are plain text; content_html
            # would be markup (a weekly edition's is its list of links).
            assert "content_html" not in item or weekly, path
            assert weekly or item["content_text"] == item["summary"], path
            kind = "weeks" if weekly else "papers"
            assert item["url"].startswith(f"http://127.0.0.1:8000/{kind}/"), path
        if path.parent == hostile_site:
            assert {plain_shown(t) for t in all_titles()} <= {i["title"] for i in feed["items"]}


def test_papers_json_keeps_the_text_and_only_http_links(hostile_site: Path) -> None:
    records = json.loads((hostile_site / "papers.json").read_text(encoding="utf-8"))
    assert {r["title"] for r in records} == {visible(t) for t in all_titles()}
    for record in records:
        urls = [link["url"] for link in record["links"]]
        urls += [record["code_url"]] if record["code_url"] else []
        for url in urls:
            assert urlsplit(url).scheme in ("http", "https"), url
            assert not any(ch.isspace() or ch in "<>\"'`" for ch in url), url
    second = next(r for r in records if r["title"].startswith("API second"))
    assert second["code_url"] is None and second["arxiv_id"] is None


# --- the email edition --------------------------------------------------------------------


def test_the_email_shows_the_hostile_text_as_text(hostile_project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digest", "newsletter", DAY, "--out", "out",
         "--site-url", "https://d.example/"],
        cwd=hostile_project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    eml = hostile_project / "out" / f"digest-{DAY}.eml"
    mail = email.message_from_bytes(eml.read_bytes(), policy=default)
    html = mail.get_body(("html",)).get_content()
    scan = scan_html(html)
    assert scan.handlers == [] and scan.bad_urls == []
    assert not scan.script_srcs and not scan.inline_scripts and not scan.comments
    assert {tag for tag, _ in scan.elements} <= {
        "html", "head", "meta", "title", "body", "table", "tr", "td", "h1", "h2", "p", "a",
    }  # fmt: skip
    links = scan.texts_by_tag["a"]
    for title in TEXT_TITLES:
        assert plain_shown(title) in links, title
    text = mail.get_body(("plain",)).get_content()
    assert visible(IMG_TITLE) in text


# --- a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve(hostile_site) as url:
        yield url


def test_a_browser_runs_nothing_from_the_listing(browser, hostile_url: str) -> None:
    blocked: set[str] = set()
    dialogs: list[str] = []
    errors: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.add(url)
            route.abort()

    def console(message) -> None:
        if message.type != "error":
            return
        # This test blocks every outside address, so that nothing leaves the machine;
        # Chromium logs each aborted request as "Failed to load resource". Only errors
        # about those blocked outside addresses are expected (the pages ask for none).
        where = (message.location or {}).get("url", "")
        if "Failed to load resource" in message.text and where in blocked:
            return
        errors.append(f"{message.text} ({where})")

    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.route("**/*", route)
    paper = f"papers/{slug_for(IMG_TITLE)}/"
    try:
        for path in (
            paper,
            f"papers/{slug_for(MATH_TITLE)}/",
            f"papers/{slug_for(api_titles()[0])}/",
            "topics/peft/",
            "unsorted/",
            f"issues/{DAY}/",
        ):
            page.goto(hostile_url + path)
            page.wait_for_load_state("load")
            assert page.locator("article h1").count() == 1, path
            assert _injected(page) == [], path
        page.goto(hostile_url + paper)
        assert page.locator("article h1").inner_text().replace("\u00b6", "").strip() == IMG_TITLE
        search = page.locator("input.md-search__input")
        search.click()
        search.type("onerror")
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        shown = " ".join(results.all_inner_texts())
        assert IMG_TITLE in shown
        page.wait_for_timeout(500)  # time for an injected onerror to fire
        assert _injected(page) == []
        # The search page: its results and its filters' values are text too.
        page.goto(hostile_url + "search/?q=onerror")
        found = page.locator("#search-results > li")
        found.first.wait_for(timeout=15_000)
        assert IMG_TITLE in " ".join(found.all_inner_texts())
        page.click("#search-filters-toggle")  # every filter's values: the organisations too
        page.wait_for_selector("#search-facets input", state="attached")
        page.wait_for_timeout(500)
        assert _injected(page) == []
        orgs = page.eval_on_selector_all(
            "#search-facets input[name=org]",
            "inputs => inputs.map(i => i.parentElement.textContent)",
        )
        assert any("<script>alert('org')</script> Evil<b>Org</b>" in label for label in orgs)
    finally:
        page.close()
    assert dialogs == []
    assert errors == []


def _injected(page) -> list[str]:
    """Elements the listing could have added: images, frames, and any on* attribute."""
    return page.evaluate(
        """() => {
            const found = [];
            for (const el of document.querySelectorAll("*")) {
                const tag = el.tagName.toLowerCase();
                if (["img", "iframe", "object", "embed"].includes(tag)) found.push(tag);
                for (const attr of el.attributes) {
                    if (attr.name.startsWith("on")) found.push(tag + " " + attr.name);
                }
            }
            return found;
        }"""
    )


def test_an_organisation_name_is_text_on_its_page_and_in_its_feed(
    hostile_site: Path, hostile_pages: dict[str, Scan]
) -> None:
    names = {visible(item["paper"]["organization"]["fullname"]) for item in api_items()}
    # Both papers name the API's organisation "o": one page, under the newest name.
    (heading,) = hostile_pages["orgs/o/index.html"].texts_by_tag["h1"]
    assert heading in names
    assert heading in hostile_pages["orgs/index.html"].texts_by_tag["a"]
    feed = feedparser.parse((hostile_site / "orgs" / "o" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception  # well-formed: no U+FFFF in its title
    assert visible(feed.feed.title).removeprefix("digest: ") in names
    assert len(feed.entries) == 2
    # The page's head names its feeds by the organisation, as text: a name that closes
    # the attribute's quotes adds no attribute, and its entities are shown as written.
    html = (hostile_site / "orgs" / "o" / "index.html").read_text(encoding="utf-8")
    feed_titles = {
        attrs["title"] for tag, attrs in start_tags(html) if attrs.get("rel") == "alternate feed"
    }
    assert feed_titles == {f"{heading} (Atom)", f"{heading} (JSON Feed)"}


def test_the_weekly_feed_carries_titles_as_text(hostile_site: Path) -> None:
    data = json.loads((hostile_site / "weeks" / "feed.json").read_bytes())
    html = "".join(item["content_html"] for item in data["items"])
    assert ("<script" not in html and "<img" not in html and "onerror" not in html.lower()) or (
        "&lt;img" in html
    )
    parsed = feedparser.parse((hostile_site / "weeks" / "feed.xml").read_bytes())
    for entry in parsed.entries:
        # What a feed reader shows: the links' texts, never markup from a title.
        assert "<script" not in entry.content[0].value
    assert "&lt;script&gt;" in html  # the API title's <script> is there, as text


def test_a_listings_file_name_and_a_topics_name_stay_text(tmp_path: Path) -> None:
    """Names the site shows that come from no listing's text: a listing's file name (on the
    Status page) and a topic's name from topics.yml (on its With code page)."""
    project = copy_project(tmp_path)
    sources = project / "content" / "sources"
    name = "2026-03-20-a`<img src=x onerror=alert('file')>`$x$.txt"
    (sources / "2026-03-20-trending.txt").rename(sources / name)
    topics = project / "content" / "topics.yml"
    topic = "PEFT <img src=x onerror=alert('topic')> [l](javascript:alert('t'))"
    text = topics.read_text(encoding="utf-8")
    topics.write_text(text.replace("name: Parameter-efficient fine-tuning", f'name: "{topic}"'))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    status = scan_html((site / "status" / "index.html").read_text(encoding="utf-8"))
    coded = scan_html((site / "with-code" / "peft" / "index.html").read_text(encoding="utf-8"))
    for scan in (status, coded):
        assert not {tag for tag, _ in scan.elements} & {"img", "math"}
        assert scan.handlers == [] and scan.bad_urls == []
    assert name in status.text
    assert coded.texts_by_tag["h1"] == [f"With code: {topic}"]
