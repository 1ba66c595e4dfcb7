"""Every page of the site, in a stable order: each page family's module decides its own."""

from __future__ import annotations

from functools import partial

from ...model import Digest
from ...papers.kinds import KIND_NAMES
from .editions import edition_pages, editions_page, months, weeks
from .home import home_page
from .issue import issue_page, issues_page
from .lists import kind_page, picks_pages, unsorted_pages, with_code_pages
from .lookups import Lookups
from .orgs import org_page, orgs_page
from .paper import paper_page
from .paths import paper_path
from .records import LaterRecord, PagePlan, paginated
from .search import search_page
from .stats import stats_page
from .status import status_page
from .tags import tag_pages
from .topic import topic_page, topics_page


def plan_pages(digest: Digest) -> tuple[PagePlan, ...]:
    """Every page of the site, in a stable order."""
    index = Lookups(digest)
    pages = [home_page(index), search_page(index), topics_page(index), issues_page(index)]
    for topic in digest.taxonomy.topics:
        pages += paginated(topic_page(index, topic))
    issues = digest.issues
    for i, issue in enumerate(issues):
        before = issues[i - 1] if i > 0 else None
        after = issues[i + 1] if i + 1 < len(issues) else None
        pages += paginated(issue_page(index, issue, before, after))
    pages += [
        LaterRecord(paper_path(paper.slug), "paper.md.j2", partial(paper_page, index, paper))
        for paper in index.papers.values()
    ]
    pages += unsorted_pages(index)
    pages += picks_pages(index)
    pages += with_code_pages(index)
    for kind in KIND_NAMES:
        pages += paginated(kind_page(index, kind))
    overview = editions_page(index)
    pages += [overview] if overview else []
    all_weeks = weeks(issues)
    for editions, linked in ((all_weeks, ()), (months(issues), all_weeks)):
        pages += [p for page in edition_pages(index, editions, linked) for p in paginated(page)]
    pages += tag_pages(index)
    overview = orgs_page(index)
    if overview:
        pages.append(overview)
        for org in index.orgs:
            pages += paginated(org_page(index, org))
    pages.append(stats_page(index))
    pages.append(status_page(index))
    return tuple(pages)
