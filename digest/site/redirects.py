"""Pages that send a reader on: a renamed topic's old page, or a paper's under an older
title, leads to its page now."""

from __future__ import annotations

import posixpath
from collections.abc import Container, Iterable
from html import escape

from ..model import Paper, SiteSettings, Taxonomy
from ..text import plain_text
from .pages.paths import page_url, paper_path, topic_path


def moved_topic_pages(taxonomy: Taxonomy, settings: SiteSettings) -> dict[str, bytes]:
    """For each former slug of a topic (topics.yml's `formerly`), an HTML file at the old
    page's address that redirects to the topic's page, for bookmarks and links elsewhere."""
    pages = {}
    for topic in taxonomy.topics:
        new = topic_path(topic.slug)
        for old in topic.formerly:
            pages.update(_redirect(topic_path(old), new, topic.name, "topic", settings))
    return pages


def moved_paper_pages(
    papers: Iterable[Paper], hidden: Container[str], settings: SiteSettings
) -> dict[str, bytes]:
    """For each slug a paper's page had under an older title, an HTML file there that
    redirects to its page now; not where another paper's page is now."""
    papers = list(papers)
    taken = {paper.slug for paper in papers}
    pages = {}
    for paper in (paper for paper in papers if paper.slug not in hidden):
        new, name = paper_path(paper.slug), plain_text(paper.title)
        for old in paper.former_slugs:
            if old not in taken:
                taken.add(old)
                pages.update(_redirect(paper_path(old), new, name, "paper", settings))
    return pages


def _redirect(old: str, new: str, name: str, what: str, settings: SiteSettings) -> dict[str, bytes]:
    """The HTML file at the old page's address (pages by source path) leading to the new."""
    was, now = (page_url(path, settings.use_directory_urls) for path in (old, new))
    path = was + "index.html" if was.endswith("/") else was
    return {path: redirect_page(relative_url(was, now), settings.site_url + now, name, what)}


def relative_url(start: str, target: str) -> str:
    """target as a link from the page at start (both relative to the site's root), so the
    redirect works wherever the site is served."""
    folder = start if start.endswith("/") else posixpath.dirname(start) or "."
    link = posixpath.relpath(target or ".", folder)
    return link + "/" if target.endswith("/") or not target else link


def redirect_page(link: str, canonical: str, name: str, what: str) -> bytes:
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
<p>This {what} has moved: <a href="{link}">{name}</a>.</p>
</body>
</html>
""".encode()
