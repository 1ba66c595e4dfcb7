"""Atom and JSON feeds of new papers, and the digest as data (papers.json)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from ..model import Digest, Paper
from ..papers.tags import reading_lists
from ..text import plain_text, teaser

FEED_SIZE = 100  # the newest papers a feed carries
ATOM = "http://www.w3.org/2005/Atom"
# XML 1.0 cannot carry these at all, escaped or not.
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
    newest = sorted(visible, key=lambda p: (-p.first_seen.toordinal(), p.slug))
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
    by_org: dict[str, list[Paper]] = {}
    for paper in newest:
        if paper.organization_slug:
            by_org.setdefault(paper.organization_slug, []).append(paper)
    for slug, papers in sorted(by_org.items()):
        name = next(p.organization for p in papers if p.organization)
        feeds.append(
            Feed(f"orgs/{slug}/feed.xml", f"digest: {name}", url_for(f"orgs/{slug}.md"),
                 tuple(papers[:FEED_SIZE]))
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
    files = {}
    for feed in feeds:
        entries = [_entry(p, digest, names, url_for) for p in feed.papers]
        files[feed.path] = atom(feed, entries, site_url)
        files[json_path(feed)] = json_feed(feed, entries, site_url)
    return files


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    url: str
    day: date
    summary: str
    topics: tuple[str, ...]


def _entry(
    paper: Paper, digest: Digest, names: dict[str, str], url_for: Callable[[str], str]
) -> _Entry:
    url = url_for(f"papers/{paper.slug}.md")
    return _Entry(
        id=url,
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
    _sub(root, "title", feed.title)
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
        _sub(item, "published", _stamp(e.day))
        _sub(item, "summary", e.summary)
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
                "date_published": _stamp(e.day),
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


JSON_BATCH = 8192  # pieces encoded at once: few enough to hold, many enough to be quick


def paper_record(paper: Paper, digest: Digest, url_for: Callable[[str], str]) -> dict[str, Any]:
    """Everything the digest knows of a paper, for readers who build on the data."""
    note = digest.notes.get(paper.slug)
    return {
        "slug": paper.slug,
        "title": paper.title,
        "abstract": paper.abstract,
        "url": url_for(f"papers/{paper.slug}.md"),
        "authors": list(paper.authors),
        "authors_count": paper.authors_count,
        "organization": paper.organization,
        "organization_slug": paper.organization_slug,
        "published": paper.published.isoformat() if paper.published else None,
        "first_seen": paper.first_seen.isoformat(),
        "upvotes": paper.upvotes,
        "arxiv_id": paper.arxiv_id,
        "code_url": paper.code_url,
        "stars": paper.stars,
        "topics": [s.slug for s in digest.topics_of.get(paper.slug, ())],
        "pick": digest.is_pick(paper.slug),
        "tags": list(note.tags) if note else [],
        "listings": [
            {"listing": a.listing, "date": a.date.isoformat(), "position": a.position}
            for a in paper.appearances
        ],
        "links": [{"url": link.url, "code": link.is_code} for link in paper.links],
    }


def data_files(digest: Digest, url_for: Callable[[str], str]) -> dict[str, bytes]:
    """papers.json (every visible paper) and topics/<slug>/papers.json, one record a line.

    Each record is encoded once, by json's C encoder (it runs only without an indent), and
    the same line goes into papers.json and into each of its topics' files: json.dumps with
    an indent encodes in Python, some ten times slower."""
    visible = [p for p in digest.papers if p.slug not in digest.hidden]
    lines = {p.slug: _json_line(paper_record(p, digest, url_for)).encode() for p in visible}
    files = {"papers.json": _json_array(b"", list(lines.values()), b"")}
    members = topic_members(digest, visible)
    for topic in digest.taxonomy.topics:
        head = {"slug": topic.slug, "name": topic.name, "description": topic.description}
        # The topic's own fields a line each, then its papers as papers.json has them.
        fields = "".join(f"{_json_line(k)}: {_json_line(v)},\n" for k, v in head.items())
        papers = [lines[p.slug] for p in members[topic.slug]]
        opening = f'{{\n{fields}"papers": '.encode()
        data = _json_array(opening, papers, b"\n}")
        for slug in (topic.slug, *topic.formerly):  # a renamed topic's data at its old address
            files[f"topics/{slug}/papers.json"] = data
    return files


def _json_line(value: Any) -> str:
    """The value as one line of JSON. The line breaks JSON leaves as they are (NEL, LS,
    PS) are escaped too, so that any reader's idea of a line finds one record a line."""
    text = _ENCODER.encode(value)
    # Three substring searches are several times quicker than one search for a class.
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028")
        text = text.replace("\u2029", "\\u2029")
    return text


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # no indent: json's C encoder


def _json_array(before: bytes, lines: list[bytes], after: bytes) -> bytes:
    """A JSON array with an item a line, between `before` and `after`, and a newline."""
    if not lines:
        return before + b"[]" + after + b"\n"
    # The opening and closing ride on the first and last items: one join, one copy of
    # what may be a hundred megabytes, where adding them to the joined bytes copies it again.
    items = lines.copy()
    items[0] = before + b"[\n" + items[0]
    items[-1] += b"\n]" + after + b"\n"
    return b",\n".join(items)
