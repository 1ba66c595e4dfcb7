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
        new = page_url(topic_path(topic.slug), settings.use_directory_urls)
        for old in topic.formerly:
            was = page_url(topic_path(old), settings.use_directory_urls)
            path = was + "index.html" if was.endswith("/") else was
            link = relative_url(was, new)
            pages[path] = redirect_page(link, settings.site_url + new, topic.name, "topic")
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
        new = page_url(paper_path(paper.slug), settings.use_directory_urls)
        for old in paper.former_slugs:
            if old in taken:
                continue
            taken.add(old)
            was = page_url(paper_path(old), settings.use_directory_urls)
            path = was + "index.html" if was.endswith("/") else was
            link = relative_url(was, new)
            pages[path] = redirect_page(
                link, settings.site_url + new, plain_text(paper.title), "paper"
            )
    return pages


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
