"""A page as Material writes it, without what no page of this site uses.

- The white space Material's templates indent every tag with (whitespace.py).
- The settings of Material's own search in the page's `__config` (the address of its
  search worker and the words of its results: 0.5 KB a page). The site's search box is
  Pagefind's, run by assets/search.js, which has its own words; Material's scripts start
  their search only for an element marked `data-md-component="search"`, which no page has.
"""

from __future__ import annotations

import json
import re

from jinja2.utils import htmlsafe_json_dumps

from .whitespace import fold_whitespace

_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_SEARCH_WORDS = "search."  # the prefix of the translations only Material's search reads


def light_frame(html: str) -> str:
    """The page without Material's search settings and without its indentation."""
    return fold_whitespace(without_search_settings(html))


def without_search_settings(html: str) -> str:
    """The page with Material's search settings left out of its `__config`, written as
    Material writes it (Jinja's tojson: sorted keys, <, > and & escaped)."""
    found = _CONFIG.search(html)
    if found is None:
        return html
    config = json.loads(found.group(1))
    config.pop("search", None)
    words = config.get("translations") or {}
    config["translations"] = {k: v for k, v in words.items() if not k.startswith(_SEARCH_WORDS)}
    text = str(htmlsafe_json_dumps(config, sort_keys=True))  # str: Markup would escape html
    return html[: found.start(1)] + text + html[found.end(1) :]
