"""The site's navigation, which every page carries: sections, topics and editors' pages."""

from __future__ import annotations

from collections.abc import Collection
from html import escape
from typing import Any

from ..model import Taxonomy
from ..papers.kinds import KIND_NAMES
from .pages.paths import (
    EDITIONS,
    HOME,
    ISSUES,
    ORGS,
    PICKS,
    SEARCH,
    STATS,
    STATUS,
    TAGS,
    TOPICS,
    UNSORTED,
    WITH_CODE,
    kind_path,
    topic_path,
)


def navigation(
    taxonomy: Taxonomy, generated: Collection[str], editor_pages: list[str]
) -> list[Any]:
    """A short navigation: sections only. Paper pages stay out of it, since every page
    carries the whole navigation and a long one makes the build quadratic."""
    topics = [{escape(t.name): topic_path(t.slug)} for t in taxonomy.topics]
    nav: list[Any] = [{"Home": HOME}, {"Search": SEARCH}, {"Topics": [TOPICS, *topics]}]
    nav.append({"Issues": ISSUES})
    if EDITIONS in generated:
        nav.append({"Editions": EDITIONS})
    collections = [{"Picks": PICKS}] if PICKS in generated else []
    collections.append({"With code": WITH_CODE})
    collections += [{name: kind_path(kind)} for kind, name in KIND_NAMES.items()]
    nav.append({"Collections": collections})
    if TAGS in generated:
        nav.append({"Reading lists": TAGS})
    if ORGS in generated:
        nav.append({"Organisations": ORGS})
    if UNSORTED in generated:
        nav.append({"Unsorted": UNSORTED})
    return [*nav, {"Statistics": STATS}, *editor_pages, {"Status": STATUS}]


def paths_in(nav: Any) -> set[str]:
    """The page paths a navigation (mkdocs.yml's `nav:` form) names, at any depth."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return set().union(*(paths_in(item) for item in items))
