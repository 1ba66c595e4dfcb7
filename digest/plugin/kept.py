"""Papers' topics kept between builds in the rebuild cache: a daily build classifies only
the day's new papers, and `mkdocs serve` none.

A paper's topics are a function of its title and abstract, of topics.yml as read and of
digest's code: the file is keyed on the last two, and each paper's entry on the first.
The file starts with a hash of its key and the rest, so a damaged or half-written one, or
one of another key, is not read (every paper is classified again), never believed.
Written again, it keeps only the papers of that build.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..model import Paper, RuleMatch, Taxonomy, TopicScore
from ..papers.topics import classify_all
from ..pipeline import Memo
from .cache import DIGEST_CODE, content_hash, files_hash, read_kept, write_kept

TOPICS_FILE = "topics.json"


class KeptMemo(Memo):
    """A Memo whose papers' topics are also kept in `folder` (None: nowhere)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None

    def classify(
        self, papers: tuple[Paper, ...], taxonomy: Taxonomy
    ) -> dict[str, tuple[TopicScore, ...]]:
        if self.folder is None:
            return super().classify(papers, taxonomy)
        path, key = self.folder / TOPICS_FILE, content_hash(repr(taxonomy), _code())
        known = read_kept(path, key)
        text_of = {paper.slug: content_hash(paper.title, paper.abstract) for paper in papers}
        fresh = classify_all([p for p in papers if text_of[p.slug] not in known], taxonomy)
        topics = {}
        for slug, text in text_of.items():  # a paper with no topic has () of its own
            topics[slug] = fresh[slug] if slug in fresh else _scores(known[text])
        if fresh or len(known) != len(set(text_of.values())):
            entries = {text: known.get(text) for text in text_of.values()}
            entries.update({text_of[slug]: _entry(scores) for slug, scores in fresh.items()})
            write_kept(path, key, entries)
        return topics


@cache
def _code() -> str:
    return files_hash([DIGEST_CODE])


def _entry(scores: tuple[TopicScore, ...]) -> list[Any]:
    return [
        [s.slug, s.score, [[m.rule, m.where, m.points] for m in s.matches], s.note] for s in scores
    ]


def _scores(entry: list[Any]) -> tuple[TopicScore, ...]:
    return tuple(
        TopicScore(slug, score, tuple(RuleMatch(*match) for match in matches), note)
        for slug, score, matches, note in entry
    )
