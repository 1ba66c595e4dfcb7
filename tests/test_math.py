"""Math drawn as MathML when the site is built: what TeX can and cannot put on a page."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from digest.site.math import ATTRIBUTES, ELEMENTS, UnsafeMath, mathml, with_mathml


def inline(tex: str) -> str:
    """A formula as pymdownx.arithmatex marks it up in a page."""
    escaped = html.escape(f"\\({tex}\\)")
    return f'<p>a <span class="arithmatex">{escaped}</span> b</p>'


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(f"<root>{markup}</root>")


def test_a_formula_becomes_mathml_in_place() -> None:
    page = with_mathml(inline(r"\frac{1}{2} x_i^2"))
    assert page.startswith('<p>a <math display="inline"><mrow><mfrac>') and page.endswith(
        "</math> b</p>"
    )
    block = with_mathml('<div class="arithmatex">\\[\nO(n^2)\n\\]</div>')
    assert block.startswith('<math display="block">') and "<msup><mi>n</mi><mn>2</mn>" in block


def test_pages_without_math_are_left_as_they_are() -> None:
    page = '<p>$5 and <span class="other">\\(x\\)</span></p>'
    assert with_mathml(page) is page


def test_tex_cannot_link_style_or_add_markup() -> None:
    linked = with_mathml(inline(r"\href{javascript:alert(1)}{click} \style{color:red}{x}"))
    assert "href" not in linked and "style" not in linked and "javascript" not in linked
    assert "<mi>c</mi><mi>l</mi>" in linked  # the link's text stays, as math
    for tex in (r"\class{evil}{x}", r"\color{red} x", r"\mathbin{\style{x}{y}}"):
        drawn = with_mathml(inline(tex))
        assert "evil" not in drawn and "mathcolor" not in drawn and "style=" not in drawn


def test_what_cannot_be_drawn_safely_stays_as_tex_text() -> None:
    for tex in (r"\text{<b>bold</b>}", r"\text{<img src=x onerror=alert(1)>}", r"\nosuch{x}"):
        page = inline(tex)
        assert with_mathml(page) == page, tex  # the arithmatex span: TeX, as text


# TeX-ish text: commands, braces, markup and punctuation in any order.
PIECES = [
    r"\frac",
    r"\href",
    r"\style",
    r"\class",
    r"\text",
    r"\color",
    r"\sqrt",
    r"\mathbb",
    r"\tt",
    r"\begin{matrix}",
    r"\end{matrix}",
    r"{",
    r"}",
    r"^",
    r"_",
    r"&",
    r"<",
    r">",
    r"'",
    r'"',
    r"<b>",
    r"</b>",
    r"<script>",
    r"javascript:",
    r"x",
    r"1",
    r"=",
    r"\\",
    r"%",
    r"#",
]
TEX = st.lists(st.sampled_from([*PIECES, " "]), max_size=12).map("".join)


@given(TEX)
def test_any_tex_gives_allowed_mathml_or_its_own_markup(tex: str) -> None:
    page = inline(tex)
    drawn = with_mathml(page)
    if drawn == page:
        return
    for element in parsed(drawn).iter():
        if element.tag in {"root", "p"}:
            continue
        assert element.tag in ELEMENTS, (tex, drawn)
        assert set(element.attrib) <= ATTRIBUTES, (tex, drawn)


@given(TEX)
def test_mathml_either_draws_or_says_why(tex: str) -> None:
    try:
        markup = mathml(tex)
    except UnsafeMath:
        return
    assert parsed(markup)[0].tag == "math"


def test_no_formula_is_drawn_larger_than_a_few_em() -> None:
    """A `\\rule{5000em}{5000em}` in an abstract made every page listing the paper some
    80,000 px wide and tall: such TeX stays as its text; ordinary spaces are drawn."""
    for tex in (
        r"\rule{5000em}{5000em}",
        r"\hspace{3000em}",
        r"\kern9000em",
        r"\mspace{90000mu}",
        r"\left( \rule{1em}{800em} \right)",
        r"\hphantom{\rule{9000em}{1em}}",
        r"\rule{1pt}{3in}",
        r"{a \above 900em b}",
    ):
        page = inline(tex)
        assert with_mathml(page) == page, tex
    for tex, length in (
        (r"a \quad b \qquad c", "2em"),
        (r"\Bigg( x", "2.470em"),
        (r"\hspace{2cm}", "2cm"),
    ):
        assert f'="{length}"' in with_mathml(inline(tex)), tex
