"""What the generator computed, kept between builds in the rebuild cache.

- Papers' topics: a daily build classifies only the day's new papers, and `mkdocs serve`
  none. A paper's topics are a function of its title and abstract, of topics.yml as read
  and of digest's code: the file is keyed on the last two, and each paper's entry on the
  first. Written again, it keeps only the papers of that build.
- Related papers: a function of every shown paper's slug, title and abstract and of
  digest's code, all of which key the file; a build whose papers are those of the last
  (a note edited, a template, `mkdocs serve` after a build) does not relate them again.
- Each generated page's Markdown, as a hash (KeptMarkdown): a page's cache key holds it,
  and a build whose generator has the same inputs as the last one's knows every page's
  key without rendering any page's Markdown.

Each file starts with a hash of its key and the rest, so a damaged or half-written one,
or one of another key, is not read (the work is done again), never believed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Paper, RuleMatch, SiteSettings, Taxonomy, TopicScore
from ..papers.topics import classify_all
from ..pipeline import Memo
from ..sources.content_folder import Content
from .cache import (
    DIGEST_CODE,
    content_hash,
    files_hash,
    installed_software,
    older_than_kept,
    read_kept,
    write_kept,
)

TOPICS_FILE = "topics.json"
RELATED_FILE = "related.json"
MARKDOWN_DIR = "markdown"


class KeptMemo(Memo):
    """A Memo whose papers' topics are also kept in `folder` (None: nowhere)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None

    def classify(
        self,
        papers: tuple[Paper, ...],
        taxonomy: Taxonomy,
        kinds: Mapping[str, tuple[str, ...]] | None = None,
    ) -> dict[str, tuple[TopicScore, ...]]:
        if self.folder is None:
            return super().classify(papers, taxonomy, kinds)
        path, key = self.folder / TOPICS_FILE, content_hash(repr(taxonomy), _code())
        known = read_kept(path, key)
        text_of = {paper.slug: content_hash(paper.title, paper.abstract) for paper in papers}
        unknown = [p for p in papers if text_of[p.slug] not in known]
        fresh = classify_all(unknown, taxonomy, kinds)
        topics = {}
        for slug, text in text_of.items():  # a paper with no topic has () of its own
            topics[slug] = fresh[slug] if slug in fresh else _scores(known[text])
        if fresh or len(known) != len(set(text_of.values())):
            entries = {text: known.get(text) for text in text_of.values()}
            entries.update({text_of[slug]: _entry(scores) for slug, scores in fresh.items()})
            write_kept(path, key, entries)
        return topics

    def relate(self, texts: list[tuple[str, str, str]]) -> dict[str, tuple[str, ...]]:
        if self.folder is None:
            return super().relate(texts)
        path, key = self.folder / RELATED_FILE, content_hash(_code(), json.dumps(texts))
        known = read_kept(path, key)
        if known:
            return {slug: tuple(slugs) for slug, slugs in known.items()}
        related = super().relate(texts)
        write_kept(path, key, related)
        return related


class KeptMarkdown:
    """Each generated page's Markdown hash, by its source path, as the last build with
    the same generator inputs made it (generator_inputs). The generator is a function of
    these, so a page's Markdown is what it was then. One file per inputs, the newest
    KEEP_SITES kept: `mkdocs serve` has settings of its own (the site's address), and
    serving after a build, or building after serving, keeps both."""

    def __init__(self, folder: Path | None, inputs: str) -> None:
        self.path = folder / MARKDOWN_DIR / f"{inputs}.json" if folder else None
        self.key = inputs
        self.known: dict[str, str] = read_kept(self.path, inputs) if self.path else {}
        self.made: dict[str, str] = {}
        self.rendered = 0  # pages whose Markdown this build made after all

    def get(self, source: str) -> str | None:
        return self.known.get(source)

    def add(self, source: str, markdown_hash: str) -> None:
        self.made[source] = markdown_hash

    def save(self) -> None:
        """Keep this build's hashes, if any differ from the kept ones, and the newest
        files of other inputs."""
        if self.path is None:
            return
        if self.made != self.known:
            write_kept(self.path, self.key, self.made)
        try:  # a cache that cannot be written only means a slower build
            for old in older_than_kept(self.path.parent.glob("*.json"), self.path):
                old.unlink(missing_ok=True)
        except OSError:
            pass


def generator_inputs(content: Content, templates: Path, settings: SiteSettings) -> str:
    """A hash of everything the generator's pages are made from (see KeptMarkdown): the
    content as the generator read it (each file's place below content/ and its bytes),
    the templates folder's files, the settings, digest's code and the installed software."""
    read = [content.topics, content.home_intro, *content.sources, *content.notes]
    read += [*content.intros, *content.pages]
    files = [part for file in read if file is not None for part in (file.rel, file.data)]
    return content_hash(
        content.label, *files, files_hash([templates]), repr(settings), _code(),
        *installed_software(),
    )  # fmt: skip


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
