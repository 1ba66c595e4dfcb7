"""Math as MathML, made when the site is built: browsers draw MathML themselves, so a page
with math loads no script, from this site or any other.

pymdownx.arithmatex marks every formula up, in editors' Markdown and in the generated
pages alike (markdown_text writes a title's or abstract's math as arithmatex does):
`<span class="arithmatex">\\(TeX\\)</span>` inline, `<div class="arithmatex">\\[TeX\\]</div>`
on its own. Each becomes latex2mathml's MathML, rewritten through an allow-list.

TeX in abstracts is untrusted. latex2mathml carries some of it into its output as written:
`\\href` into an href, `\\style` and `\\class` into attributes, `\\text{...}` into markup. So
the MathML is parsed and written again with MathML's elements and layout attributes only
(no link, style, class, colour or id); any other element, a command latex2mathml does not
know, or TeX it cannot read keeps the formula as its TeX, as text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

# What arithmatex writes, its TeX HTML-escaped (so without "<" inside; markdown_text
# writes every punctuation character as a character reference).
_MARKED = re.compile(r'<(span|div) class="arithmatex">([^<]*)</\1>')
_DELIMITED = re.compile(r"\\\((.*)\\\)|\\\[(.*)\\\]", re.DOTALL)

# MathML's presentation elements (MathML Core, and the few latex2mathml writes beyond it).
ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mstyle", "mpadded",
    "mphantom", "menclose", "mtable", "mtr", "mtd", "mfenced", "semantics",
})  # fmt: skip
# Layout only: nothing that links, styles, names or colours.
ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "separators", "open",
    "close", "lspace", "rspace", "movablelimits", "accent", "accentunder", "columnalign",
    "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame",
    "linethickness", "width", "height", "depth", "minsize", "maxsize", "symmetric",
    "largeop", "displaystyle", "scriptlevel", "notation", "form",
})  # fmt: skip
# A space, a size or a line is at most this many em (`\qquad` is 2em, `\Bigg` 2.47em): TeX's
# `\rule{5000em}{5000em}` or `\hspace{3000em}` would make every page listing the paper
# tens of thousands of pixels wide. Lengths in em per unit (16 px, 12 pt to the em).
LARGEST_EM = 5.0
_LENGTH_ATTRIBUTES = frozenset({
    "width", "height", "depth", "lspace", "rspace", "minsize", "maxsize", "linethickness",
    "columnspacing", "rowspacing",
})  # fmt: skip
_EM_PER_UNIT = {
    "": 1.0, "em": 1.0, "ex": 0.5, "mu": 1 / 18, "px": 1 / 16, "pt": 1 / 12, "pc": 1.0,
    "in": 6.0, "cm": 6 / 2.54, "mm": 0.6 / 2.54, "%": 0.01,
}  # fmt: skip
_LENGTH = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))([a-z%]*)")


class UnsafeMath(ValueError):
    """MathML that the allow-list does not pass, or TeX that did not convert."""


def with_mathml(page_html: str) -> str:
    """The page's HTML with each formula arithmatex marked up drawn as MathML."""
    if 'class="arithmatex"' not in page_html:  # most pages: at once
        return page_html
    return _MARKED.sub(_drawn, page_html)


def _drawn(match: re.Match[str]) -> str:
    delimited = _DELIMITED.fullmatch(html.unescape(match[2]).strip())
    if delimited is None:
        return match[0]
    block = delimited[2] is not None
    try:
        return mathml(delimited[2] if block else delimited[1], block)
    except UnsafeMath:
        return match[0]  # the TeX, which a reader can still read


def mathml(tex: str, block: bool = False) -> str:
    """The TeX as MathML through the allow-list; UnsafeMath if it cannot be shown so."""
    try:
        root = ET.fromstring(convert(tex, display="block" if block else "inline"))
    except Exception as exc:  # latex2mathml raises many kinds; any means "not as MathML"
        raise UnsafeMath(str(exc)) from None
    return _written(root)


def _written(element: ET.Element) -> str:
    tag = element.tag.rpartition("}")[2]  # without the MathML namespace
    if tag not in ELEMENTS:
        raise UnsafeMath(f"<{tag}> is not MathML")
    if tag in {"mi", "mo"} and (element.text or "").startswith("\\"):
        raise UnsafeMath(f"unknown command {element.text}")
    attributes = "".join(
        f' {name}="{html.escape(_within_bounds(name, value))}"'
        for name, value in sorted(element.attrib.items())
        if name in ATTRIBUTES
    )
    inner = html.escape(element.text or "", quote=False) + "".join(
        _written(child) + html.escape(child.tail or "", quote=False) for child in element
    )
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _within_bounds(name: str, value: str) -> str:
    """The attribute's value, unless a length in it is beyond LARGEST_EM (named spaces such
    as "thinmathspace" are small by definition; spacings are lists of lengths)."""
    if name not in _LENGTH_ATTRIBUTES:
        return value
    for length in filter(None, map(_LENGTH.fullmatch, value.split())):
        per_unit = _EM_PER_UNIT.get(length[2])
        if per_unit is None or abs(float(length[1])) * per_unit > LARGEST_EM:
            raise UnsafeMath(f"{name}={value!r} is larger than {LARGEST_EM}em")
    return value
