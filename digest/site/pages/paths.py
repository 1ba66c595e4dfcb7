"""Where each page lives: source paths, the URLs MkDocs gives them, feeds in a page's head."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...model import Digest

HOME = "index.md"
TOPICS = "topics/index.md"
ISSUES = "issues/index.md"
UNSORTED = "unsorted.md"
PICKS = "picks.md"
STATUS = "status.md"
STATS = "statistics.md"
SEARCH = "search.md"
WITH_CODE = "with-code.md"
ORGS = "orgs/index.md"
TAGS = "tags/index.md"
EDITIONS = "weeks/index.md"
WEEKS_FEED = "weeks/feed.xml"  # one entry per weekly edition


def page_url(src_path: str, use_directory_urls: bool = True) -> str:
    """Where MkDocs publishes a page, relative to the site's root."""
    if not use_directory_urls:
        return src_path.removesuffix(".md") + ".html"
    if src_path == "index.md" or src_path.endswith("/index.md"):
        return src_path.removesuffix("index.md")
    return src_path.removesuffix(".md") + "/"


def feed_links(feed_path: str, title: str) -> list[dict[str, str]]:
    """A page's feeds, for `<link rel="alternate">` in its head (paths from the site root)."""
    return [
        {"href": feed_path, "type": "application/atom+xml", "title": f"{title} (Atom)"},
        {"href": feed_path.removesuffix(".xml") + ".json", "type": "application/feed+json",
         "title": f"{title} (JSON Feed)"},
    ]  # fmt: skip


def paper_path(slug: str) -> str:
    return f"papers/{slug}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def issue_path(day: date) -> str:
    return f"issues/{day.isoformat()}.md"


def org_path(slug: str) -> str:
    return f"orgs/{slug}.md"


def week_path(key: str) -> str:
    """An ISO week's edition, key 2026-W12."""
    return f"weeks/{key}.md"


def month_path(key: str) -> str:
    """A month's edition, key 2026-03."""
    return f"months/{key}.md"


def tag_path(slug: str) -> str:
    return f"tags/{slug}.md"


def kind_path(kind: str) -> str:
    return f"kinds/{kind}s.md"


def with_code_path(topic: str) -> str:
    return f"with-code/{topic}.md"


def paged_path(path: str, number: int) -> str:
    """Page 1 keeps the list's own path; page n is page-n below it."""
    return path if number == 1 else f"{path.removesuffix('.md')}/page-{number}.md"


def pages_showing_editor_text(digest: Digest) -> set[str]:
    """The generated pages that show what an editor wrote (a note, an introduction),
    whose links may reach any page or file of the site."""
    notes = {paper_path(slug) for slug, note in digest.notes.items() if note.body.strip()}
    intros = {topic_path(slug) for slug, intro in digest.intros.items() if intro.strip()}
    return notes | intros | ({HOME} if digest.home_intro.strip() else set())
