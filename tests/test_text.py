from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from digest.site.render import markdown_text
from digest.text import clean, extract_links, first_sentence, plain_text, safe_url, segments
from digest.tools.bench import markdown_extensions, read_config


def test_links_are_split_trimmed_and_marked_as_code() -> None:
    text = (
        "We release it.https://github.com/a/b.https://github.com/a/b. "
        "See (https://example.org/page) and https://huggingface.co/x/y, "
        "also ftp://nope.example and https://gitlab.com/g/p)."
    )
    links = extract_links(text)
    assert [(link.url, link.is_code) for link in links] == [
        ("https://github.com/a/b", True),
        ("https://example.org/page", False),
        ("https://huggingface.co/x/y", True),
        ("https://gitlab.com/g/p", True),
    ]
    # A code host after "?" or "#" and "@" is not where the link goes.
    tricks = extract_links("https://evil.example?@github.com/x https://evil.example#@gitlab.com/y")
    assert [link.is_code for link in tricks] == [False, False]
    assert extract_links("https://someone@github.com/a/b")[0].is_code


def test_links_keep_balanced_parentheses_and_never_carry_markup() -> None:
    (link,) = extract_links("at https://en.wikipedia.org/wiki/Foo_(bar).")
    assert link.url == "https://en.wikipedia.org/wiki/Foo_(bar)"
    (link,) = extract_links('x https://evil.example/"><script>alert(1)</script>')
    assert link.url == "https://evil.example/"


def test_tex_typography_outside_math() -> None:
    assert plain_text("Large Language Models~(LLMs) are ``cherry'' picked") == (
        "Large Language Models (LLMs) are \u201ccherry\u201d picked"
    )


def test_inline_math_is_kept_as_math() -> None:
    parts = segments(r"Costs $\{\pm 1, \pm i\}$ and \(\Delta W\) but not $5 or $10.")
    assert [(s.text, s.is_math) for s in parts if s.is_math] == [
        (r"\{\pm 1, \pm i\}", True),
        (r"\Delta W", True),
    ]
    assert "$5 or $10." in "".join(s.text for s in parts if not s.is_math)


def test_untrusted_text_cannot_make_markup() -> None:
    hostile = '<script>x</script> *em* [l](javascript:x) {: onclick="y"} --8<-- "f" &amp; # h'
    escaped = markdown_text(hostile)
    assert not any(ch in re.sub(r"&#\d+;", "", escaped) for ch in "<>*[]{}#&")
    assert "&#60;script&#62;" in escaped
    assert rendered(escaped) == (["p"], hostile.replace("~", " "))  # a TeX tie is a space


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


SITE_MARKDOWN = markdown_extensions(read_config(Path(__file__).parents[1] / "mkdocs.yml"))


def rendered(source: str) -> tuple[list[str], str]:
    """The elements and the text (white space collapsed) of Markdown as the site renders it."""
    names, configs = SITE_MARKDOWN
    html = markdown.markdown(source, extensions=names, extension_configs=configs)
    parser = Elements()
    parser.feed(html)
    return parser.tags, " ".join("".join(parser.text).split())


class Hrefs(HTMLParser):
    """Each link's target as a browser reads it (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href"]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com&#64;evil.example/p",  # would lead to evil.example, decoded
        "https://github.com/a/b&#34;&#62;x",  # would be a quote and a '>', decoded
        "https://example.org/find?q=1&lang=en&amp;x=2",
    ],
)
def test_a_link_leads_where_its_text_says(url: str) -> None:
    names, configs = SITE_MARKDOWN
    html = markdown.markdown(f"[x]({safe_url(url)})", extensions=names, extension_configs=configs)
    parser = Hrefs()
    parser.feed(html)
    assert parser.hrefs == [url]


SYNTAX = st.sampled_from([
    "1. ", "2) ", "- ", "+ ", "* ", "# ", "## ", "> ", "!!! note ", "??? ", "| a | b |",
    "---", "===", "    ", "\n", "<b>", "</p>", "<!--", "&amp;", "&#60;", "*x*", "_y_", "`c`",
    "[a](b)", "![i](j)", "<https://x.org>", "{: .c }", "[TOC]", "--8<-- ", "\\", "~~", "^^",
    "==", "::", "|", "[^1]", "*[HTML]: x", "```", "~~~", "  \n",
])  # fmt: skip
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=6)
MARKDOWNISH = st.lists(st.one_of(SYNTAX, PRINTABLE), max_size=10).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH)
def test_escaped_text_renders_as_exactly_that_text(raw: str) -> None:
    text = clean(raw)  # as every listing's text is cleaned when it is read
    parts = segments(text)  # with TeX quotes and ties made typographic
    assume(not any(s.is_math for s in parts))
    tags, shown = rendered(markdown_text(text))
    assert set(tags) <= {"p", "br"}
    assert shown == " ".join("".join(s.text for s in parts).split())


def test_math_markup_cannot_carry_html() -> None:
    escaped = markdown_text(r"$<img src=x onerror=alert(1)>$")
    assert escaped.startswith('<span class="arithmatex">') and escaped.endswith("</span>")
    inner = escaped.removeprefix('<span class="arithmatex">').removesuffix("</span>")
    assert "<" not in inner and ">" not in inner


def test_clean_removes_invisible_and_bidi_characters() -> None:
    assert clean("a\u202eb\u200bc\u0085d\n e") == "abc d e"


def test_clean_keeps_the_joiners_that_are_part_of_writing() -> None:
    """Dropping every format character split a family emoji into four people and misspelt
    Persian; between ASCII letters a joiner only hides one word in another."""
    family, flag = "\U0001f469\u200d\U0001f467", "\U0001f3f3\ufe0f\u200d\U0001f308"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want"
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    for text in (family, flag, persian, scotland):
        assert clean(f"a {text} b") == f"a {text} b"
    assert clean("Goo\u200dgle \u200c\u0645 \U000e0067tag") == "Google \u0645 tag"


def test_first_sentence_is_short() -> None:
    text = "First sentence here. Second one. " + "x " * 200
    assert first_sentence(text) == "First sentence here."
    assert len(first_sentence("word " * 100)) <= 160
