"""Each fast path of the generator gives what the plain way it replaces gives: front
matter that YAML readers read back as the meta, posixpath.relpath's links, MkDocs'
addresses for the links of HTML it does not read, the
per-character title key, and the kinds' own expressions on the whole text. (Escaping is proven by
rendering, in test_text.py.)"""

from __future__ import annotations

import posixpath
import unicodedata
from urllib.parse import quote, quote_plus

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from digest.papers.kinds import KIND_RULES, kinds_of
from digest.site import frontmatter
from digest.site.pages.paths import page_url
from digest.site.render import relative_link, urls_from
from digest.text import clean, plain_text, quoter, safe_url, title_key

CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings at YAML's edges: words and numbers it reads as other types, indicators, quotes,
# comments, white space it would fold or drop, line breaks, characters it does not allow.
YAML_STRINGS = [
    "", "a", "yes", "No", "null", "~", "2024-01-01", "12", "1e3", "0x1F", "a: b", "- x", "#x",
    "x #y", "'q'", '"d"', "é", "\t", "a\nb", " lead", "trail ", "{x}", "&a", "!t", "%p", "|",
    "? x", "\u2028", "\x85", "\x00", "\ufeff", "a" * 130, "True", "OFF", "...", "<<", ".inf",
    "\U0001d518", "\u200b", "SVFT: Parameter", "Popular $W$\u2026", "https://x.y/a?b=c&d",
    "---", "a:", ":", "\\", "\\n", "\r\n", "\x7f", "\x9f", "\xa0", "\u3000", "\ufffe", "\uffff",
    "*x", "@x", "`x", ",", "[", "]", "=", "1:20", "0o7", "+1", ".5", "-.inf", ".NaN", "y", "N",
]  # fmt: skip
# Words a YAML reader might take for another type, in any mix of cases: NULL, oFF, True.
SPECIAL_WORDS = ["yes", "no", "y", "n", "true", "false", "on", "off", "null", "nan", "inf"]
special = st.sampled_from(SPECIAL_WORDS).flatmap(
    lambda w: st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in w)).map("".join)
)
# Numbers, dates and times as text.
as_text = st.one_of(
    st.integers().map(str), st.floats().map(str), st.dates().map(str),
    st.datetimes().map(str), st.times().map(str), st.decimals().map(str),
)  # fmt: skip
# Every Unicode category but surrogates, which UTF-8 (and so a page) cannot hold.
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
yaml_text = st.lists(
    st.one_of(st.sampled_from(YAML_STRINGS), special, as_text, any_text), min_size=1, max_size=3
).map("".join)
scalars = st.one_of(
    yaml_text, st.integers(), st.booleans(), st.none(),
    st.just([]), st.just({}), st.floats(allow_nan=False),
)  # fmt: skip
small_maps = st.dictionaries(yaml_text, scalars, max_size=4)
metas = st.dictionaries(
    st.one_of(yaml_text, st.sampled_from(["title", "slug", "topics", "listings"])),
    st.one_of(scalars, small_maps, st.lists(st.one_of(scalars, small_maps), max_size=3)),
    max_size=8,
)


def typed(value: object) -> object:
    """The value with each scalar's type beside it: in Python True == 1 == 1.0."""
    if isinstance(value, dict):
        return [(typed(k), typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


@CHECK
@given(metas)
def test_front_matter_reads_back_as_the_meta(meta: dict) -> None:
    written = frontmatter.dump(meta)
    assert typed(yaml.safe_load(written)) == typed(meta)
    # MkDocs finds front matter with a pattern of its own, and reads it with libyaml.
    body, found = get_data(f"---\n{written}---\nbody\n")
    assert (body, typed(found)) == ("body\n", typed(meta))


@CHECK
@given(yaml_text)
def test_a_string_is_one_line_that_reads_back_as_itself(text: str) -> None:
    written = frontmatter._scalar(text)
    assert written is not None and not set(written) & set("\n\r\x85\u2028\u2029")
    assert yaml.safe_load(f"k: {written}\nl:\n- {written}\n") == {"k": text, "l": [text]}


def test_only_plainly_plain_strings_go_unquoted() -> None:
    meta = {"title": "Muon, [fast] & 'scalable'", "a": "SVFT: PEFT", "b": "No", "c": "3D"}
    assert frontmatter.dump(meta) == (
        'title: Muon, [fast] & \'scalable\'\na: "SVFT: PEFT"\nb: "No"\nc: "3D"\n'
    )


PATH_PARTS = ["", ".", "..", "a", "b", "a.md", "index.md", "x/", "/", "...", "a b"]
paths = st.lists(st.sampled_from(PATH_PARTS), max_size=4).map("/".join)


@CHECK
@given(paths, paths)
def test_relative_links_are_relpaths(page: str, target: str) -> None:
    try:
        expected: object = posixpath.relpath(target, posixpath.dirname(page) or ".")
    except ValueError:
        expected = ValueError
    try:
        found: object = relative_link(page, target)
    except ValueError:
        found = ValueError
    assert found == expected


# Page sources as the site has them: folders, index pages, pages beside them.
page_sources = st.lists(st.sampled_from(["a", "b", "papers", "x-1"]), max_size=3).flatmap(
    lambda folders: st.sampled_from(["index.md", "p.md", "q-2.md"]).map(
        lambda name: "/".join([*folders, name])
    )
)


@CHECK
@given(page_sources, page_sources, st.booleans())
def test_html_links_are_the_addresses_mkdocs_makes(page: str, target: str, dirs: bool) -> None:
    expected = get_relative_url(page_url(target, dirs), page_url(page, dirs))
    assert urls_from(page, dirs)(target) == expected


def key_per_character(title: str) -> str:
    """title_key as it was written: one category lookup per character."""
    folded = unicodedata.normalize("NFKC", clean(title)).casefold()
    words = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in folded)
    return " ".join(words.split()) or folded


@CHECK
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127))))
def test_title_key_is_the_per_character_key(title: str) -> None:
    assert title_key(title) == key_per_character(title)


KIND_WORDS = st.sampled_from(
    ["We introduce", "this paper presents", "a new benchmark", "dataset", "data set",
     "corpus", "survey", "REVIEW", "Bench", "x-bench", " ", ".", "\u0131", "\u017f", "\u212a"]
)  # fmt: skip
kind_text = st.lists(st.one_of(KIND_WORDS, st.text(max_size=5)), max_size=15).map("".join)


@CHECK
@given(kind_text, kind_text)
def test_kinds_are_what_their_expressions_find_in_the_whole_text(title: str, abstract: str) -> None:
    title_folded, abstract_folded = plain_text(title).casefold(), plain_text(abstract).casefold()
    expected = tuple(
        kind
        for kind, rule in KIND_RULES.items()
        if rule.in_title.search(title_folded) or rule.in_abstract.search(abstract_folded)
    )
    assert kinds_of(title, abstract) == expected


def test_a_kind_is_found_in_any_case_and_only_where_the_paper_says_so() -> None:
    assert kinds_of("X-BENCH: Testing Agents", "") == ("benchmark",)
    assert kinds_of("A model", "We first introduce a new BENCHMARK for agents.") == ("benchmark",)
    assert kinds_of("A model", "We evaluate on a benchmark. We introduce a model.") == ()


@CHECK
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from("aZ09:/?#=&%@+,;!$~._-<>\"' é"))))
def test_safe_urls_are_what_quote_makes(url: str) -> None:
    # ... with "&" written "&amp;" for the link's target (text.safe_url says why).
    assert safe_url(url) == quote(url, safe=":/?#=&%@+,;!$~._-").replace("&", "&amp;")


@CHECK
@given(
    st.one_of(st.text(), st.text(alphabet=st.sampled_from("aZ09 +./:?&=%~_-é\u2028"))),
    st.sampled_from(["", "/", "./", ":/?#=&%@+,;!$~._-"]),
)
def test_quoters_quote_as_urllib(text: str, safe: str) -> None:
    assert quoter(safe)(text) == quote(text, safe=safe)
    assert quoter(safe, plus=True)(text) == quote_plus(text, safe=safe)
