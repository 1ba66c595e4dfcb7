"""The digest as data: papers.json (every visible paper), topics/<slug>/papers.json and
orgs.json (every organisation, with the name shown for its slug)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..model import Digest, Paper
from ..papers.orgs import organisations
from .feeds import topic_members
from .pages.lookups import newest_first
from .pages.paths import org_path


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
        "kinds": list(digest.kinds[paper.slug]),
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
    files["orgs.json"] = orgs_file(visible, url_for)
    return files


def orgs_file(visible: list[Paper], url_for: Callable[[str], str]) -> bytes:
    """Every organisation as the Organisations page lists it: most papers first. The search
    page reads it for the names its organisation filter shows, once the filters open."""
    orgs = organisations(sorted(visible, key=newest_first))
    records = [
        {"slug": o.slug, "name": o.name, "papers": len(o.papers), "url": url_for(org_path(o.slug))}
        for o in orgs
    ]
    return _json_array(b"", [_json_line(r).encode() for r in records], b"")


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
