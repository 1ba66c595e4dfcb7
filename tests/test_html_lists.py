"""Lists of papers are written as HTML that MkDocs' Markdown never parses: that HTML is
what Python-Markdown makes of the same list written as Markdown, and setting it aside and
putting it back loses nothing, whatever the titles hold."""

from __future__ import annotations

from dataclasses import replace

import markdown
import pytest

from digest.model import SiteSettings
from digest.pipeline import gather
from digest.site.html_blocks import put_back, set_aside
from digest.site.pages.lookups import Lookups
from digest.site.render import environment, urls_from
from digest.sources.content_folder import read_content
from digest.tools.bench import markdown_extensions, read_config

from conftest import ROOT

HOSTILE = "Ends <!-- /digest:html --> here <!-- digest:html 0 --> & <b>bold</b> $x^2$"


@pytest.fixture(scope="module")
def items() -> list:
    """Papers of the seeds as lists show them, the first with a hostile title."""
    digest, _ = gather(read_content(ROOT / "content"))
    index = Lookups(digest)
    listed = index.items(list(index.papers.values())[:30])
    first = listed[0]
    return [replace(first, paper=replace(first.paper, title=HOSTILE)), *listed[1:]]


def rendered(source: str, page: str, **context: object) -> str:
    env = environment(ROOT / "site_templates", SiteSettings())
    template = env.from_string(
        '{% from "_macros.md.j2" import paper_item, paper_list with context %}' + source
    )
    url_to = urls_from(page, True)
    return template.render(href=url_to, url_to=url_to, **context)


def converted(text: str) -> str:
    names, options = markdown_extensions(read_config(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=names, extension_configs=options).convert(text)


@pytest.mark.parametrize("count", [1, 2, 30])
def test_the_html_list_is_what_markdown_makes_of_the_markdown_list(items: list, count: int) -> None:
    page = "topics/evaluation.md"
    # The Markdown list, its links already the addresses MkDocs would make of them.
    as_markdown = rendered(
        "{% for item in items %}\n{{ paper_item(item) }}\n{% endfor %}", page, items=items[:count]
    )
    as_html = rendered("{{ paper_list(items) }}", page, items=items[:count])
    text, blocks = set_aside(as_html)
    assert len(blocks) == 1 and "<li>" not in text
    assert put_back(converted(text), blocks) == converted(as_markdown)


def test_a_title_cannot_end_a_block_or_fake_a_placeholder(items: list) -> None:
    html = rendered("Before.\n\n{{ paper_list(items) }}\nAfter.\n", "index.md", items=items)
    text, blocks = set_aside(html)
    assert len(blocks) == 1 and blocks[0].count("<li>") == len(items)
    assert "Ends &#60;&#33;-- /digest:html --&#62; here" in blocks[0]  # the title's text, as text
    back = put_back(converted(text), blocks)
    assert back.count("<!-- digest:html") == 0 and back.count("<li>") == len(items)
    assert back.startswith("<p>Before.</p>\n<ul>") and back.endswith("</ul>\n<p>After.</p>")


def test_a_placeholder_an_editor_wrote_stays_as_written() -> None:
    html = "<p>x</p>\n<!-- digest:html 3 -->\n\n<p>y</p>"
    assert put_back(html, ["<ul></ul>"]) == html
    assert put_back(html, []) == html


@pytest.mark.parametrize(
    ("page", "prefix"),
    [("index.md", ""), ("topics/index.md", "../"), ("issues/2026-03-24.md", "../../")],
)
def test_links_lead_from_the_page_to_the_paper(items: list, page: str, prefix: str) -> None:
    block = set_aside(rendered("{{ paper_list(items) }}", page, items=items[1:3]))[1][0]
    assert f'<a href="{prefix}papers/{items[1].paper.slug}/">' in block
