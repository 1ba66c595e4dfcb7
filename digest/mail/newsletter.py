"""The email edition of an issue: an HTML part that mail clients render, and plain text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from ..errors import DigestError
from ..model import Digest, Paper, Topic
from ..site.pages.editions import weeks
from ..site.pages.paths import page_url
from ..site.render import render_template
from ..text import plain_text, teaser


@dataclass(frozen=True)
class EmailPaper:
    title: str
    url: str
    teaser: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class EmailSection:
    heading: str
    papers: tuple[EmailPaper, ...]


@dataclass(frozen=True)
class Edition:
    """An issue or a week as an email: picks first, then the papers by their main topic."""

    key: str  # 2026-03-17, or 2026-W12: names the email and its files
    day: date  # the newest issue's: the email's date
    subject: str
    issue_url: str
    site_url: str
    sections: tuple[EmailSection, ...]


def edition(digest: Digest, day: date, site_url: str, directory_urls: bool = True) -> Edition:
    issue = next((i for i in digest.issues if i.date == day), None)
    if issue is None:
        known = ", ".join(i.date.isoformat() for i in reversed(digest.issues[-5:]))
        raise DigestError(f"no issue dated {day.isoformat()} (the newest: {known})")
    papers = _shown(digest, issue.slugs)
    subject = f"digest: the issue of {day.isoformat()} ({len(papers)} papers)"
    url = site_url + page_url(f"issues/{day.isoformat()}.md", directory_urls)
    return _edition(digest, papers, day.isoformat(), day, subject, url, site_url, directory_urls)


def week_edition(digest: Digest, key: str, site_url: str, directory_urls: bool = True) -> Edition:
    """The weekly edition (ISO week `key`, as 2026-W12): every paper of its issues once."""
    week = next((w for w in weeks(digest.issues) if w.key == key), None)
    if week is None:
        known = ", ".join(w.key for w in reversed(weeks(digest.issues)[-5:]))
        raise DigestError(f"no issue in the week {key} (the newest weeks: {known})")
    papers = _shown(digest, [slug for issue in week.issues for slug in issue.slugs])
    subject = f"digest: the week {key} ({len(papers)} papers)"
    url = site_url + page_url(week.path, directory_urls)
    last = week.issues[-1].date
    return _edition(digest, papers, key, last, subject, url, site_url, directory_urls)


def _shown(digest: Digest, slugs: Iterable[str]) -> list[Paper]:
    by_slug = {p.slug: p for p in digest.papers}
    return [by_slug[s] for s in dict.fromkeys(slugs) if s not in digest.hidden]


def _edition(
    digest: Digest, papers: list[Paper], key: str, day: date, subject: str, url: str,
    site_url: str, directory_urls: bool,
) -> Edition:  # fmt: skip
    names = {t.slug: t for t in digest.taxonomy.topics}

    def item(paper: Paper) -> EmailPaper:
        topics = tuple(names[s.slug].name for s in digest.topics_of.get(paper.slug, ()))
        url = site_url + page_url(f"papers/{paper.slug}.md", directory_urls)
        return EmailPaper(plain_text(paper.title), url, teaser(paper.abstract, 280), topics)

    picks = [p for p in papers if digest.is_pick(p.slug)]
    sections = [EmailSection("Editor's picks", tuple(item(p) for p in picks))] if picks else []
    rest = [p for p in papers if not digest.is_pick(p.slug)]
    for topic in [*digest.taxonomy.topics, None]:
        members = [p for p in rest if _main_topic(digest, p) == (topic.slug if topic else None)]
        if members:
            sections.append(EmailSection(_heading(topic), tuple(item(p) for p in members)))
    return Edition(
        key=key,
        day=day,
        subject=subject,
        issue_url=url,
        site_url=site_url,
        sections=tuple(sections),
    )


def _main_topic(digest: Digest, paper: Paper) -> str | None:
    scores = digest.topics_of.get(paper.slug, ())
    return scores[0].slug if scores else None


def _heading(topic: Topic | None) -> str:
    return topic.name if topic else "Other papers"


def message(
    edition: Edition, templates_dir: Path, sender: str = "digest@localhost", to: str = ""
) -> EmailMessage:
    """The email: text first, HTML as the alternative; dates from the issue, not the clock."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    msg = EmailMessage()
    msg["Subject"] = edition.subject
    msg["From"] = sender
    if to:
        msg["To"] = to
    msg["Date"] = format_datetime(datetime.combine(edition.day, datetime.min.time(), timezone.utc))
    host = urlsplit(edition.site_url).hostname or "localhost"
    msg["Message-ID"] = f"<digest-{edition.key}@{host}>"
    context = {"edition": edition}
    msg.set_content(render_template(env, "email.txt.j2", context, "the email's text"))
    msg.add_alternative(
        render_template(env, "email.html.j2", context, "the email's HTML"), subtype="html"
    )
    # The email package draws the parts' boundary at random: the same edition would be
    # a different file each time. One from the parts is as safe: "=_" is in no part, as
    # quoted-printable and base64 never write it.
    parts = b"".join(part.as_bytes() for part in msg.iter_parts())
    msg.set_boundary("=_digest_" + hashlib.sha256(parts).hexdigest()[:32])
    return msg
