"""Each fast path of the generator gives exactly what the plain way it replaces gives:
PyYAML's front matter, posixpath.relpath's links, the per-character title key, and an
expression's own search. (Escaping is proven by rendering, in test_text.py.)"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import frontmatter
from digest.kinds import KIND_RULES
from digest.literals import Searcher
from digest.render import relative_link
from digest.text import clean, title_key

CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings that steer PyYAML into each of its styles: plain, quoted because they would
# read back as another type, single-quoted, double-quoted, and spread over lines.
YAML_STRINGS = [
    "", "a", "yes", "No", "null", "~", "2024-01-01", "12", "1e3", "0x1F", "a: b", "- x", "#x",
    "x #y", "'q'", '"d"', "é", "\t", "a\nb", " lead", "trail ", "{x}", "&a", "!t", "%p", "|",
    "? x", "\u2028", "\x85", "\x00", "\ufeff", "a" * 130, "True", "OFF", "...", "<<", ".inf",
    "\U0001d518", "\u200b", "SVFT: Parameter", "Popular $W$\u2026", "https://x.y/a?b=c&d",
]  # fmt: skip
yaml_text = st.lists(st.sampled_from(YAML_STRINGS), min_size=1, max_size=2).map("".join)
scalars = st.one_of(
    yaml_text, st.text(max_size=8), st.integers(), st.booleans(), st.none(),
    st.just([]), st.just({}), st.floats(allow_nan=False),
)  # fmt: skip
small_maps = st.dictionaries(yaml_text, scalars, max_size=4)
metas = st.dictionaries(
    st.one_of(yaml_text, st.sampled_from(["title", "slug", "topics", "listings"])),
    st.one_of(scalars, small_maps, st.lists(st.one_of(scalars, small_maps), max_size=3)),
    max_size=8,
)


@CHECK
@given(metas)
def test_front_matter_is_what_pyyaml_writes(meta: dict) -> None:
    assert frontmatter.dump(meta) == frontmatter._dump(meta)


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
@given(kind_text)
def test_searchers_find_what_their_expressions_find(text: str) -> None:
    for pair in KIND_RULES.values():
        for regex in pair:
            assert Searcher(regex).search(text) == bool(regex.search(text))


def test_searcher_skips_a_text_without_its_literals() -> None:
    searcher = Searcher(re.compile(r"\bPEFT\b"))
    assert searcher.literals == frozenset({"PEFT"})
    assert not searcher.search("peft, in lower case")
    assert searcher.search("PEFT methods")
