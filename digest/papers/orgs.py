"""Organisations as the site shows them: each with its papers, under one name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Paper


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str  # as its first paper (in the order given) names it
    papers: tuple[Paper, ...]  # in the order given


def organisations(papers: Iterable[Paper]) -> tuple[Organisation, ...]:
    """Every organisation of the papers (given newest first), most papers first."""
    grouped: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.organization_slug:
            grouped.setdefault(paper.organization_slug, []).append(paper)
    found = [
        Organisation(slug, next(p.organization for p in group if p.organization), tuple(group))
        for slug, group in grouped.items()
    ]
    return tuple(sorted(found, key=lambda org: (-len(org.papers), org.slug)))
