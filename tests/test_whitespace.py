"""Pages without their templates' indentation: lighter, and shown exactly as before."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.site.frame import without_search_settings
from digest.site.whitespace import fold_whitespace
from digest.tools.screenshots import serve

from conftest import copy_project, mkdocs_build, stay_on_this_site

KEPT_TAGS = ("pre", "textarea", "code", "kbd", "script", "style")


def words(html: str) -> list[str]:
    """What a page says and is made of, white space aside."""
    return html.split()


def kept_elements(html: str) -> list[str]:
    return re.findall(r"<(pre|textarea|code|kbd|script|style)\b.*?</\1>", html, re.S)


def test_indentation_between_tags_becomes_one_line_break() -> None:
    html = '<ul>\n      <li>\n        <a href="x/">One  paper</a>\n      </li>\n    </ul>\n'
    assert fold_whitespace(html) == '<ul>\n<li>\n<a href="x/">One  paper</a>\n</li>\n</ul>\n'


def test_white_space_that_a_browser_shows_stays() -> None:
    html = (
        "<p>A title  with two spaces</p>\n  <pre><code>x  =  1\n    y\n</code></pre>\n"
        "  <p>Inline <code>a   b\n   c</code> and <kbd>Ctrl  +\n  C</kbd></p>\n"
        '<textarea>\n  kept\n</textarea>\n<script>\n  var s = ">\\n  <";\n</script>\n'
        "<style>\n  a > b { }\n</style>"
    )
    folded = fold_whitespace(html)
    assert kept_elements(folded) == kept_elements(html)
    assert "<p>A title  with two spaces</p>" in folded
    assert len(folded) < len(html)


def test_attributes_and_text_without_line_breaks_stay_as_written() -> None:
    html = '<a title="a  b\n   c" href="x">  spaced  out  </a>\n    <b>x</b>'
    folded = fold_whitespace(html)
    assert '<a title="a  b\n   c" href="x">  spaced  out  </a>' in folded
    assert folded.endswith("</a>\n<b>x</b>")


def test_materials_search_settings_are_left_out_and_the_rest_kept_as_script_safe_json() -> None:
    config = {
        "base": "../..",
        "search": "assets/javascripts/workers/search.js",
        "translations": {"clipboard.copy": "Copy </script><b>", "search.result.none": "None"},
    }
    as_material_writes = json.dumps(config).replace("<", "\\u003c")  # Jinja's tojson
    page = f'<p>x</p><script id="__config" type="application/json">{as_material_writes}</script>'
    slim = without_search_settings(page)
    assert material_config(slim) == {
        "base": "../..",
        "translations": {"clipboard.copy": "Copy </script><b>"},
    }
    assert slim.startswith("<p>x</p>") and slim.count("</script>") == 1  # still one script
    assert without_search_settings("<p>no settings</p>") == "<p>no settings</p>"


# Fragments of pages: tags (kept ones among them), text and white space of every sort.
fragments = st.lists(
    st.one_of(
        st.sampled_from(["<p>", "</p>", "<a href='x'>", "</a>", "<br>", "<li>", "</li>"]),
        st.sampled_from(KEPT_TAGS).map(lambda tag: f"<{tag}>\n  a  \n</{tag}>"),
        st.text(alphabet=" \t\n\r\f", max_size=6),
        st.text(alphabet="ab <>&", max_size=6),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(fragments)
def test_folding_keeps_every_word_and_every_kept_element(html: str) -> None:
    folded = fold_whitespace(html)
    assert words(folded) == words(html)
    assert kept_elements(folded) == kept_elements(html)
    assert fold_whitespace(folded) == folded  # folding twice changes nothing more


# Saves each page's HTML as Material wrote it, before the digest plugin folds it, beside
# the page as as-written.html: the same folder, so the same links and assets.
AS_WRITTEN_HOOK = """
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(100)
def on_post_page(output, page, config, **kwargs):
    folder = Path(config.site_dir, page.file.dest_uri).parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "as-written.html").write_text(output, encoding="utf-8")
    return output
"""

CODE_PAPER = "normuon-making-muon-more-efficient-and-scalable"
CODE_NOTE = f"""---
paper: {CODE_PAPER}
---
Inline `a   b` code, and a block:

    x  =  1
        y = [1,
             2]

and a block with markup in it, as a highlighter writes:

<pre><span>def</span> <span>f</span>():
    <span>return</span> <b>1</b>
</pre>
"""


@pytest.fixture(scope="module")
def both_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("whitespace"))
    (project / "as_written.py").write_text(AS_WRITTEN_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - as_written.py\n", "utf-8")
    (project / "content" / "notes" / "normuon.md").write_text(CODE_NOTE, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_pages_are_lighter_and_say_the_same(both_sites: Path) -> None:
    pages = sorted(both_sites.rglob("as-written.html"))
    assert len(pages) > 400
    for as_written in pages:
        written, folded = as_written.read_text("utf-8"), (as_written.parent / "index.html")
        built = folded.read_text("utf-8")
        # Material's settings (__config) lose those of its search, which no page uses.
        config, written_config = material_config(built), material_config(written)
        assert config == without_search(written_config) != written_config, as_written
        assert words(without_config(built)) == words(without_config(written)), as_written
        assert kept_elements(without_config(built)) == kept_elements(without_config(written))
    papers = [p for p in pages if p.parent.parent.name == "papers"]
    before = statistics.median(p.stat().st_size for p in papers)
    after = statistics.median((p.parent / "index.html").stat().st_size for p in papers)
    assert after < 0.88 * before, (before, after)


def test_code_keeps_its_spaces(both_sites: Path) -> None:
    text = (both_sites / "papers" / CODE_PAPER / "index.html").read_text("utf-8")
    assert "<code>a   b</code>" in text
    assert "<pre><code>x  =  1\n    y = [1,\n         2]\n</code></pre>" in text
    assert "():\n    <span>return</span>" in text


CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def material_config(html: str) -> dict:
    return json.loads(CONFIG.search(html).group(1))


def without_config(html: str) -> str:
    return CONFIG.sub("", html)


def without_search(config: dict) -> dict:
    words = {k: v for k, v in config["translations"].items() if not k.startswith("search.")}
    return {**{k: v for k, v in config.items() if k != "search"}, "translations": words}


# What a visitor sees, as the browser laid it out: the text as shown (innerText follows
# the layout: white space the page shows is in it, white space it folds is not) and every
# element's place and size. Any white space that shows moves a box or changes the text.
LAYOUT = """() => ({
  text: document.body.innerText,
  boxes: [...document.querySelectorAll("body *")].map((element) => {
    const box = element.getBoundingClientRect();
    return [element.tagName, box.x, box.y, box.width, box.height].join(" ");
  }),
})"""


def settled_layout(page) -> dict:
    """The layout once it stops changing: the freshness banner appears after a fetch."""
    last = page.evaluate(LAYOUT)
    for _ in range(20):
        page.wait_for_timeout(100)
        layout = page.evaluate(LAYOUT)
        if layout == last:
            return layout
        last = layout
    raise AssertionError(f"{page.url} never settled")


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_look_exactly_as_before(both_sites: Path, browser, width: int) -> None:
    with_math = next(
        p.parent.name
        for p in (both_sites / "papers").glob("*/index.html")
        if "<math" in p.read_text("utf-8")
    )
    folders = ["", "topics/peft/", f"papers/{with_math}/", f"papers/{CODE_PAPER}/"]
    with serve(both_sites) as url:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        stay_on_this_site(page)
        for folder in folders:
            layouts = []
            for name in ("as-written.html", "index.html"):
                page.goto(f"{url}{folder}{name}", wait_until="networkidle")
                layouts.append(settled_layout(page))
            assert len(layouts[0]["boxes"]) > 100
            assert layouts[0]["text"] == layouts[1]["text"], f"{folder} at {width} px"
            assert layouts[0]["boxes"] == layouts[1]["boxes"], f"{folder} at {width} px"
        context.close()
