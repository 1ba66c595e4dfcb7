"""Pages that send a reader on: a renamed topic's old page leads to its page now."""

from __future__ import annotations

import posixpath
from html import escape

from ..model import SiteSettings, Taxonomy
from .pages.paths import page_url, topic_path


def moved_topic_pages(taxonomy: Taxonomy, settings: SiteSettings) -> dict[str, bytes]:
    """For each former slug of a topic (topics.yml's `formerly`), an HTML file at the old
    page's address that redirects to the topic's page, for bookmarks and links elsewhere."""
    pages = {}
    for topic in taxonomy.topics:
        new = page_url(topic_path(topic.slug), settings.use_directory_urls)
        for old in topic.formerly:
            was = page_url(topic_path(old), settings.use_directory_urls)
            path = was + "index.html" if was.endswith("/") else was
            pages[path] = redirect_page(relative_url(was, new), settings.site_url + new, topic.name)
    return pages


def relative_url(start: str, target: str) -> str:
    """target as a link from the page at start (both relative to the site's root), so the
    redirect works wherever the site is served."""
    folder = start if start.endswith("/") else posixpath.dirname(start) or "."
    link = posixpath.relpath(target or ".", folder)
    return link + "/" if target.endswith("/") or not target else link


def redirect_page(link: str, canonical: str, name: str) -> bytes:
    link, canonical, name = escape(link), escape(canonical), escape(name)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{name}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={link}">
</head>
<body>
<p>This topic has moved: <a href="{link}">{name}</a>.</p>
</body>
</html>
""".encode()
