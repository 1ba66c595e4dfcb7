"""Topics: read and validate topics.yml, and classify papers by its weighted rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields
from functools import lru_cache
from typing import Any

from ..errors import DigestError, Problem, error
from ..model import (
    ClassifierSettings,
    Paper,
    Rule,
    RuleMatch,
    Taxonomy,
    Topic,
    TopicScore,
)
from .rules.matching import RuleIndex
from .rules.phrases import phrase_hint, phrase_pattern
from .yamlfile import KEY_LINES, LINE, load_with_lines

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOPIC_KEYS = {"slug", "name", "description", "rules", "formerly", LINE, KEY_LINES}
_RULE_KEYS = {"phrase", "pattern", "weight", LINE, KEY_LINES}


def load_taxonomy(path: str, text: str) -> Taxonomy:
    """Parse topics.yml, reporting every problem at once as a DigestError."""
    data = load_with_lines(path, text)
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise DigestError(error(path, 1, "topics.yml needs a top-level 'topics:' list"))
    settings = _settings(path, data.get("classifier") or {}, problems)
    topics = [_topic(path, item, problems) for item in data["topics"]]
    seen: set[str] = set()
    for topic, item in zip(topics, data["topics"], strict=True):
        if topic and topic.slug in seen:
            problems.append(error(path, _line(item), f"topic {topic.slug!r} is defined twice"))
        seen.add(topic.slug if topic else "")
    problems += _clashing_former_slugs(path, topics, data["topics"])
    if problems:
        raise DigestError(problems)
    return Taxonomy(tuple(t for t in topics if t), settings)


def _formerly(
    path: str, line: int, where: str, raw: Any, problems: list[Problem]
) -> tuple[str, ...]:
    """A topic's former slugs: a list of slugs, as its own slug is written."""
    if not isinstance(raw, list) or not all(isinstance(s, str) and _SLUG.match(s) for s in raw):
        problems.append(
            error(path, line, f"{where}: 'formerly' must be a list of old slugs, like [old-slug]")
        )
        return ()
    return tuple(dict.fromkeys(raw))


def _clashing_former_slugs(
    path: str, topics: list[Topic | None], items: list[Any]
) -> list[Problem]:
    """An old slug keeps its URLs only while no topic has it now and one topic claims it."""
    current = {t.slug for t in topics if t}
    claimed: dict[str, str] = {}
    problems = []
    for topic, item in zip(topics, items, strict=True):
        for old in topic.formerly if topic else ():
            if old in current:
                problems.append(error(path, _line(item), (
                    f"topic {topic.slug!r}: formerly {old!r} is the slug of a topic now; "
                    "a renamed topic's old slug cannot be used again while its URLs redirect"
                )))  # fmt: skip
            elif old in claimed:
                problems.append(error(path, _line(item), (
                    f"topic {topic.slug!r}: formerly {old!r} is also listed by topic "
                    f"{claimed[old]!r}; an old slug can lead to one topic only"
                )))  # fmt: skip
            else:
                claimed[old] = topic.slug
    return problems


def _line(item: Any) -> int | None:
    return item.get(LINE) if isinstance(item, dict) else None


def _settings(path: str, raw: Any, problems: list[Problem]) -> ClassifierSettings:
    known = {f.name: f for f in fields(ClassifierSettings)}
    values = {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        if key in (LINE, KEY_LINES):
            continue
        if key not in known:
            problems.append(error(path, raw[LINE], f"unknown classifier setting {key!r}"))
        elif not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            problems.append(
                error(path, raw[LINE], f"classifier setting {key!r} must be a number >= 0")
            )
        else:
            values[key] = type(getattr(ClassifierSettings(), key))(value)
    return ClassifierSettings(**values)


def _topic(path: str, item: Any, problems: list[Problem]) -> Topic | None:
    if not isinstance(item, dict):
        problems.append(error(path, None, f"each topic must be a mapping, not {item!r}"))
        return None
    line, slug = item[LINE], item.get("slug")
    where = f"topic {slug!r}" if slug else "a topic"
    before = len(problems)
    if not isinstance(slug, str) or not _SLUG.match(slug):
        problems.append(error(path, line, f"{where}: slug must be lower-case words joined by '-'"))
    for key in ("name", "description"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append(error(path, line, f"{where}: {key!r} is required text"))
    for key in sorted(set(item) - _TOPIC_KEYS):
        problems.append(error(path, line, f"{where}: unknown key {key!r}"))
    rules = [_rule(path, where, raw, problems) for raw in item.get("rules") or []]
    formerly = _formerly(path, line, where, item.get("formerly", []), problems)
    if len(problems) > before:
        return None
    return Topic(
        slug,
        item["name"].strip(),
        item["description"].strip(),
        tuple(r for r in rules if r),
        formerly,
    )


def _rule(path: str, where: str, raw: Any, problems: list[Problem]) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(error(path, None, f"{where}: each rule must be a mapping, not {raw!r}"))
        return None
    line = raw[LINE]
    weight = raw.get("weight", 1)
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        problems.append(error(path, line, f"{where}: unknown rule key {unknown[0]!r}"))
    if not isinstance(weight, (int, float)) or isinstance(weight, bool):
        problems.append(error(path, line, f"{where}: rule weight must be a number"))
        return None
    if ("phrase" in raw) == ("pattern" in raw):
        problems.append(error(path, line, f"{where}: a rule has either 'phrase' or 'pattern'"))
        return None
    text = raw.get("phrase", raw.get("pattern"))
    if not isinstance(text, str) or not text.strip():
        problems.append(error(path, line, f"{where}: a rule's phrase or pattern must be text"))
        return None
    if "phrase" in raw and not re.search(r"\w", text):
        problems.append(error(path, line, f"{where}: the phrase {text!r} has no words to match"))
        return None
    if "pattern" in raw and _compiles(text) and re.compile(text).match(""):
        problems.append(error(path, line, f"{where}: the pattern {text!r} matches empty text"))
        return None
    pattern = phrase_pattern(text) if "phrase" in raw else text
    hint = phrase_hint(text) if "phrase" in raw else ""
    try:
        _compiled(pattern)
    except re.error as exc:
        problems.append(error(path, line, f"{where}: bad pattern {text!r}: {exc}"))
        return None
    label = text if "phrase" in raw else _pattern_label(text)
    return Rule(label, pattern, float(weight), hint)


def _pattern_label(pattern: str) -> str:
    """A pattern as a reader sees it in "why": without word-boundary and flag noise."""
    return re.sub(r"\\b|\(\?i\)", "", pattern) or pattern


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicScore, ...]:
    """The paper's topics, most central first: at most max_topics, each above the bar."""
    return _classifier(taxonomy).classify(title, abstract)


@lru_cache(maxsize=8)
def _classifier(taxonomy: Taxonomy) -> Classifier:
    """One compiled classifier per taxonomy: compiling its rules takes far longer than a
    paper, and `digest classify` and the tests classify one paper at a time."""
    return Classifier(taxonomy)


def classify_all(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, tuple[TopicScore, ...]]:
    """Each paper's ranked topics, by slug."""
    classifier = Classifier(taxonomy)
    return {paper.slug: classifier.classify(paper.title, paper.abstract) for paper in papers}


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

    def classify(self, title: str, abstract: str) -> tuple[TopicScore, ...]:
        """The paper's topics, best first (by score, then slug): at most max_topics, each
        reaching min_score and relative_cutoff times the best score."""
        settings = self.settings
        ranked = sorted(self._scores(title, abstract))
        if not ranked:
            return ()
        bar = -ranked[0][0] * settings.relative_cutoff
        return tuple(
            TopicScore(slug, -score, tuple(found))
            for score, slug, _, found in ranked[: settings.max_topics]
            if -score >= bar
        )

    def _scores(self, title: str, abstract: str) -> list[tuple[float, str, int, list[RuleMatch]]]:
        """The topics reaching min_score, as (-score, slug, topic, matches) to sort; a
        topic no rule matched scores 0, so it is only listed when 0 reaches min_score."""
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
        listed = range(len(self.topics)) if settings.min_score <= 0 else matches
        scores = []
        for n in listed:
            found = matches.get(n, [])
            points = round(sum([m.points for m in found]), 3)
            if points >= settings.min_score:
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
        f"\u201c{m.rule}\u201d in the {m.where} (+{m.points:g})" for m in score.matches
    )
    return f"score {score.score:g}: {found}"
