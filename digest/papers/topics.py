"""Topics: classify papers by topics.yml's weighted rules, and say why in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from ..model import Paper, RuleMatch, Taxonomy, TopicScore
from .kinds import KIND_REASONS, kinds_of
from .matching import RuleIndex


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicScore, ...]:
    """The paper's topics, most central first: at most max_topics, each above the bar."""
    return _classifier(taxonomy).classify(title, abstract)


@lru_cache(maxsize=8)
def _classifier(taxonomy: Taxonomy) -> Classifier:
    """One compiled classifier per taxonomy: compiling its rules takes far longer than a
    paper, and `digest classify` and the tests classify one paper at a time."""
    return Classifier(taxonomy)


def classify_all(
    papers: Iterable[Paper],
    taxonomy: Taxonomy,
    kinds: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, tuple[TopicScore, ...]]:
    """Each paper's ranked topics, by slug. `kinds` gives each paper's kinds by slug, when
    they are found already (for the pages): found again, they would be a seventh of the
    work."""
    classifier = Classifier(taxonomy)
    return {
        paper.slug: classifier.classify(
            paper.title, paper.abstract, None if kinds is None else kinds[paper.slug]
        )
        for paper in papers
    }


class Classifier:
    """A taxonomy's rules compiled once, for classifying many papers."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.settings = taxonomy.settings
        self.topics = taxonomy.topics
        self.rules = [rule for topic in taxonomy.topics for rule in topic.rules]
        self.topic_of = [n for n, topic in enumerate(taxonomy.topics) for _ in topic.rules]
        self.index = RuleIndex(self.rules)
        # A rule's match in a title, and its n matches in an abstract, are the same plain
        # data for every paper: made once.
        weight = self.settings.title_weight
        self.in_title = [RuleMatch(r.label, "title", r.weight * weight) for r in self.rules]
        self.in_abstract: dict[tuple[int, int], RuleMatch] = {}
        self.slugs = [topic.slug for topic in taxonomy.topics]
        self.kind_rules = [
            (n, kind, RuleMatch(KIND_REASONS[kind], "paper", weight))
            for n, topic in enumerate(taxonomy.topics)
            for kind, weight in topic.kinds
        ]

    def classify(
        self, title: str, abstract: str, kinds: tuple[str, ...] | None = None
    ) -> tuple[TopicScore, ...]:
        """The paper's topics, best first (by score, then slug): at most max_topics. The
        best needs main_min_score; each other min_score and relative_cutoff times the best.

        A paper is about something even when few of a topic's words say so: one clear
        match files it (rather than leaving it unsorted), while a second or third topic
        must show more than a passing mention. `kinds`: the paper's kinds, if known."""
        settings = self.settings
        ranked = sorted(self._scores(title, abstract, kinds))
        if not ranked or -ranked[0][0] < settings.main_bar:
            return ()
        bar = max(-ranked[0][0] * settings.relative_cutoff, settings.min_score)
        return tuple(
            TopicScore(slug, -score, tuple(found))
            for rank, (score, slug, _, found) in enumerate(ranked[: settings.max_topics])
            if rank == 0 or -score >= bar
        )

    def _scores(
        self, title: str, abstract: str, kinds: tuple[str, ...] | None
    ) -> list[tuple[float, str, int, list[RuleMatch]]]:
        """The topics reaching the lower of the two bars (main_min_score, min_score), as
        (-score, slug, topic, matches) to sort; a topic no rule matched scores 0, so it is
        only listed when 0 reaches that bar."""
        settings, topic_of = self.settings, self.topic_of
        in_title = self.index.hits(title, 1)
        in_abstract = self.index.hits(abstract, settings.abstract_hits_cap)
        matches: dict[int, list[RuleMatch]] = {}
        for i in sorted(in_title.keys() | in_abstract.keys()):  # rule order, as topics.yml
            found = matches.get(topic_of[i])
            if found is None:
                found = matches[topic_of[i]] = []
            if i in in_title:
                found.append(self.in_title[i])
            if i in in_abstract:
                key = (i, in_abstract[i])
                found.append(self.in_abstract.get(key) or self._in_abstract(*key))
        if self.kind_rules:
            if kinds is None:
                kinds = kinds_of(title, abstract)
            for n, kind, match in self.kind_rules:
                if kind in kinds:
                    matches.setdefault(n, []).append(match)
        least = min(settings.main_bar, settings.min_score)
        listed = range(len(self.topics)) if least <= 0 else matches
        scores = []
        for n in listed:
            found = matches.get(n, [])
            points = round(sum([m.points for m in found]), 3)
            if points >= least:
                scores.append((-points, self.slugs[n], n, found))
        return scores

    def _in_abstract(self, i: int, hits: int) -> RuleMatch:
        rule = self.rules[i]
        match = self.in_abstract[i, hits] = RuleMatch(rule.label, "abstract", rule.weight * hits)
        return match


def reason_text(score: TopicScore) -> str:
    """Why a paper has a topic, in words: the editor's note, or the rules that matched."""
    if score.note:
        return f"set by the editor in {score.note}"
    found = ", ".join(
        f"{m.rule} (+{m.points:g})"
        if m.where == "paper"
        else f"\u201c{m.rule}\u201d in the {m.where} (+{m.points:g})"
        for m in score.matches
    )
    return f"score {score.score:g}: {found}"
