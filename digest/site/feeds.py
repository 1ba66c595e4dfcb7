"""Atom and JSON feeds of new papers, and the digest as data (papers.json)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import islice
from typing import Any

from ..model import Digest, Paper
from ..papers.orgs import organisations
from ..papers.tags import reading_lists
from ..text import plain_text, teaser
from .pages.editions import top_papers, weeks
from .pages.lookups import newest_first
from .pages.paths import EDITIONS, WEEKS_FEED

FEED_SIZE = 100  # the newest papers a feed carries
WEEKS_IN_FEED = 52  # the newest weekly editions the editions' feed carries: a year
JSON_BATCH = 8192  # pieces encoded at once: few enough to hold, many enough to be quick
ATOM = "http://www.w3.org/2005/Atom"
# XML 1.0 cannot carry these at all, escaped or not.
AUTHOR = "digest"  # who writes the feeds, as their titles say ("digest: new papers")
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Feed:
    """One feed, written twice: as Atom at `path` and as JSON Feed beside it."""

    path: str  # e.g. "topics/peft/feed.xml"; the JSON Feed is the same with .json
    title: str
    page_url: str
    papers: tuple[Paper, ...]


def feeds_for(digest: Digest, url_for: Callable[[str], str]) -> tuple[Feed, ...]:
    """The site's feed, one per topic, and one of the editor's picks."""
    visible = [p for p in digest.papers if p.slug not in digest.hidden]
    newest = sorted(visible, key=newest_first)  # as the pages list them
    feeds = [Feed("feed.xml", "digest: new papers", url_for("index.md"), tuple(newest[:FEED_SIZE]))]
    members = topic_members(digest, newest)
    for topic in digest.taxonomy.topics:
        # A renamed topic's feed stays at its old addresses too, each with its own id (its
        # address), so a reader subscribed there sees no paper twice.
        feeds += [
            Feed(f"topics/{slug}/feed.xml", f"digest: {topic.name}",
                 url_for(f"topics/{topic.slug}.md"), tuple(members[topic.slug][:FEED_SIZE]))
            for slug in (topic.slug, *topic.formerly)
        ]  # fmt: skip
    for org in organisations(newest):
        feeds.append(
            Feed(f"orgs/{org.slug}/feed.xml", f"digest: {org.name}",
                 url_for(f"orgs/{org.slug}.md"), org.papers[:FEED_SIZE])
        )  # fmt: skip
    place = {p.slug: n for n, p in enumerate(newest)}
    for tag in reading_lists(digest.notes, digest.hidden):
        tagged = sorted((s for s in tag.papers if s in place), key=place.__getitem__)
        feeds.append(
            Feed(f"tags/{tag.slug}/feed.xml", f"digest: {tag.name}", url_for(f"tags/{tag.slug}.md"),
                 tuple(newest[place[s]] for s in tagged[:FEED_SIZE]))
        )  # fmt: skip
    picks = [p for p in newest if digest.is_pick(p.slug)]
    feeds.append(
        Feed(
            "picks/feed.xml",
            "digest: editor's picks",
            url_for("picks.md"),
            tuple(picks[:FEED_SIZE]),
        )
    )
    return tuple(feeds)


def topic_members(digest: Digest, papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """Each topic's papers, in the order given: one pass over the papers, not one a topic."""
    members: dict[str, list[Paper]] = {t.slug: [] for t in digest.taxonomy.topics}
    for paper in papers:
        # dict.fromkeys: a paper counts once in a topic, whatever its scores say.
        for slug in dict.fromkeys(s.slug for s in digest.topics_of.get(paper.slug, ())):
            if slug in members:
                members[slug].append(paper)
    return members


def json_path(feed: Feed) -> str:
    return feed.path.removesuffix(".xml") + ".json"


def render_feeds(
    feeds: Iterable[Feed], digest: Digest, url_for: Callable[[str], str], site_url: str
) -> dict[str, bytes]:
    names = {t.slug: t.name for t in digest.taxonomy.topics}
    current = {paper.slug for paper in digest.papers}
    files = {}
    for feed in feeds:
        entries = [_entry(p, digest, names, url_for, current) for p in feed.papers]
        files[feed.path] = atom(feed, entries, site_url)
        files[json_path(feed)] = json_feed(feed, entries, site_url)
    return files


def weeks_feed(digest: Digest, url_for: Callable[[str], str], site_url: str) -> dict[str, bytes]:
    """weeks/feed.xml and .json: one entry per weekly edition of the newest WEEKS_IN_FEED,
    newest first, its content the week's picks and top papers as links (titles escaped:
    they are scraped text). Bounded like every feed: a reader fetches it on every poll."""
    shown = {p.slug: p for p in digest.papers if p.slug not in digest.hidden}
    picked = {s for s in shown if digest.is_pick(s)}
    entries = []
    every_week = weeks(digest.issues)
    for week in reversed(every_week[-WEEKS_IN_FEED:]):
        top = top_papers(week, shown, picked)
        links = "".join(
            f'<li><a href="{escape(url_for(f"papers/{p.slug}.md"))}">'
            f"{escape(_xml_text(plain_text(p.title)))}</a></li>"
            for p in top
        )
        url = url_for(week.path)
        days = f"{week.issues[0].date.isoformat()} to {week.issues[-1].date.isoformat()}"
        entries.append(
            _Entry(
                id=url,
                title=week.title,
                url=url,
                day=week.issues[-1].date,
                since=week.issues[0].date,
                summary=f"The picks and top papers of the issues of {days}.",
                topics=(),
                html=f"<p>The editor's picks and the top papers:</p><ul>{links}</ul>",
            )
        )
    # The feed's page is the Editions page, which lists the weeks (there is none without).
    home = url_for(EDITIONS if every_week else "issues/index.md")
    feed = Feed(WEEKS_FEED, "digest: weekly editions", home, ())
    return {
        WEEKS_FEED: atom(feed, entries, site_url),
        json_path(feed): json_feed(feed, entries, site_url),
    }


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    url: str
    day: date
    summary: str
    topics: tuple[str, ...]
    html: str = ""  # content as HTML (a weekly edition's links), beside the summary
    # When it was first published, if before `day` (a week's first issue: its entry is
    # updated with each issue after it, and RFC 4287's `published` stays put).
    since: date | None = None


def _entry(
    paper: Paper,
    digest: Digest,
    names: dict[str, str],
    url_for: Callable[[str], str],
    current: Collection[str],
) -> _Entry:
    url = url_for(f"papers/{paper.slug}.md")
    # The id is the paper's first address, kept when a new title moves its page (a reader
    # would see it as a new paper), unless another paper's page is there now.
    first = paper.former_slugs[-1] if paper.former_slugs else paper.slug
    return _Entry(
        id=url if first in current else url_for(f"papers/{first}.md"),
        title=_xml_text(plain_text(paper.title)),
        url=url,
        day=paper.first_seen,
        summary=_xml_text(teaser(paper.abstract, 600)),
        topics=tuple(names[s.slug] for s in digest.topics_of.get(paper.slug, ())),
    )


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(feed: Feed, entries: list[_Entry], site_url: str) -> bytes:
    """An Atom feed; its `updated` is the newest entry's date, never the clock."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", site_url + feed.path)
    _sub(root, "title", _xml_text(feed.title))
    # Atom asks for an author of the feed where its entries name none (RFC 4287, 4.1.1).
    _sub(ET.SubElement(root, f"{{{ATOM}}}author"), "name", AUTHOR)
    updated = max((e.day for e in entries), default=date(1970, 1, 1))
    _sub(root, "updated", _stamp(updated))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=site_url + feed.path)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=feed.page_url)
    for e in entries:
        item = ET.SubElement(root, f"{{{ATOM}}}entry")
        _sub(item, "id", e.id)
        _sub(item, "title", e.title)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=e.url)
        _sub(item, "updated", _stamp(e.day))
        _sub(item, "published", _stamp(e.since or e.day))
        _sub(item, "summary", e.summary)
        if e.html:
            ET.SubElement(item, f"{{{ATOM}}}content", type="html").text = e.html
        for topic in e.topics:
            ET.SubElement(item, f"{{{ATOM}}}category", term=topic)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _sub(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def json_feed(feed: Feed, entries: list[_Entry], site_url: str) -> bytes:
    """A JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": site_url + json_path(feed),
        "items": [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "summary": e.summary,
                # JSON Feed 1.1 asks every item for content_html or content_text.
                **({"content_html": e.html} if e.html else {"content_text": e.summary}),
                "date_published": _stamp(e.since or e.day),
                **({"date_modified": _stamp(e.day)} if e.since else {}),
                "tags": list(e.topics),
            }
            for e in entries
        ],
    }
    return _json_bytes(data)


def _json_bytes(data: Any) -> bytes:
    """json.dumps(data, indent=1) and a newline, in UTF-8, encoded a batch of pieces at a
    time: with an indent, json.dumps first lists every piece, hundreds of MB for 50,000
    papers, before joining them."""
    pieces = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=False).iterencode(data)
    out = bytearray()
    while batch := list(islice(pieces, JSON_BATCH)):
        out += "".join(batch).encode("utf-8")
    out += b"\n"
    return bytes(out)
