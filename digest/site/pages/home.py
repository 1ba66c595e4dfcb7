"""The home page: the editor's picks, the latest issue's first papers, topics and months."""

from __future__ import annotations

from .issue import months
from .lookups import Lookups
from .paths import HOME, WEEKS_FEED, feed_links
from .records import PageRecord, page_record

HOME_PICKS = 10  # the home page shows the newest picks; the Picks page has them all
HOME_MONTHS = 12  # and the last year of issues; the Issues page has them all
# And the latest issue's first papers, picks and the most upvoted: a home page a phone
# draws at once, where the issue page has them all.
HOME_LATEST = 20


def home_page(index: Lookups) -> PageRecord:
    digest = index.digest
    latest = digest.issues[-1] if digest.issues else None
    papers = index.issue_papers(latest) if latest else []
    papers.sort(key=lambda p: -(p.upvotes or 0))  # stable: ties keep listing order
    page = page_record(
        HOME, "home.md.j2", "Home", "Papers that matter, sorted by topic and date",
        intro=digest.home_intro,
        picks=index.items(index.picks()[:HOME_PICKS]),
        latest=latest,
        papers=index.items(index.picks_first(papers)[:HOME_LATEST]),
        latest_count=len(papers),
        topics=index.counted_topics(),
        months=months(index)[:HOME_MONTHS],
        paper_count=len(index.papers),
        issue_count=len(digest.issues),
        feed="feed.xml",
    )  # fmt: skip
    page.meta["feeds"] = feed_links("feed.xml", "New papers") + feed_links(
        WEEKS_FEED, "Weekly editions"
    )
    return page
