"""topics.yml read and validated: the topics, their rules and the classifier's settings,
every problem reported at once with its line."""

from __future__ import annotations

import math
import re
import reprlib
from dataclasses import fields
from functools import lru_cache
from typing import Any

from ..errors import DigestError, Problem, error
from ..model import ClassifierSettings, Rule, Taxonomy, Topic
from .kinds import KIND_REASONS
from .matching import phrase_expression
from .yamlfile import KEY_LINES, LINE, load_with_lines

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOPIC_KEYS = {"slug", "name", "description", "rules", "formerly", LINE, KEY_LINES}
_RULE_KINDS = ("phrase", "word", "pattern")
_RULE_KEYS = {*_RULE_KINDS, "kind", "weight", LINE, KEY_LINES}


def load_taxonomy(path: str, text: str) -> Taxonomy:
    """Parse topics.yml, reporting every problem at once as a DigestError."""
    data = load_with_lines(path, text)
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise DigestError(error(path, 1, "topics.yml needs a top-level 'topics:' list"))
    for key in sorted(map(str, set(data) - {"classifier", "topics", LINE, KEY_LINES})):
        problems.append(error(path, data[KEY_LINES].get(key, 1), f"unknown key {key!r}"))
    classifier_line = data[KEY_LINES].get("classifier", 1)
    settings = _settings(path, data.get("classifier") or {}, problems, classifier_line)
    topics_line = data[KEY_LINES].get("topics", 1)  # a plain value in the list has no line
    topics = [_topic(path, item, problems, topics_line) for item in data["topics"]]
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


def _settings(path: str, raw: Any, problems: list[Problem], line: int) -> ClassifierSettings:
    known = {f.name: f for f in fields(ClassifierSettings)}
    values = {}
    if not isinstance(raw, dict):
        problems.append(error(path, line, "'classifier' must be a mapping of settings"))
        raw = {}
    for key, value in raw.items():
        if key in (LINE, KEY_LINES):
            continue
        at = raw[KEY_LINES].get(key, raw[LINE])
        default = getattr(ClassifierSettings(), str(key), None)
        if str(key) not in known:
            problems.append(error(path, at, f"unknown classifier setting {str(key)!r}"))
        elif not _is_number(value) or value < 0:
            problems.append(error(path, at, f"classifier setting {key!r} must be a number >= 0"))
        elif isinstance(default, int) and value != int(value):
            problems.append(error(path, at, f"classifier setting {key!r} must be a whole number"))
        else:
            values[key] = float(value) if default is None else type(default)(value)
    return ClassifierSettings(**values)


def _topic(path: str, item: Any, problems: list[Problem], list_line: int) -> Topic | None:
    if not isinstance(item, dict):
        problems.append(error(path, list_line, f"each topic must be a mapping, not {_shown(item)}"))
        return None
    line, slug = item[LINE], item.get("slug")
    where = f"topic {_shown(slug)}" if slug else "a topic"
    before = len(problems)
    if not isinstance(slug, str) or not _SLUG.match(slug):
        problems.append(error(path, line, f"{where}: slug must be lower-case words joined by '-'"))
    elif slug == "index":  # topics/index.md is the list of topics
        problems.append(error(path, line, f"{where}: 'index' is the Topics page's address"))
    for key in ("name", "description"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append(error(path, line, f"{where}: {key!r} is required text"))
    for key in sorted(map(str, set(item) - _TOPIC_KEYS)):  # a YAML key may be a date
        problems.append(error(path, line, f"{where}: unknown key {key!r}"))
    raw_rules = item.get("rules") or []
    if not isinstance(raw_rules, list):
        problems.append(error(path, line, f"{where}: 'rules' must be a list of rules"))
        raw_rules = []
    kinds = [_kind_rule(path, where, raw, problems) for raw in raw_rules if _is_kind_rule(raw)]
    rules = [_rule(path, where, raw, problems, line) for raw in raw_rules if not _is_kind_rule(raw)]
    formerly = _formerly(path, line, where, item.get("formerly", []), problems)
    if len(problems) > before:
        return None
    return Topic(
        slug,
        item["name"].strip(),
        item["description"].strip(),
        tuple(r for r in rules if r),
        formerly,
        tuple(k for k in kinds if k),
    )


def _is_kind_rule(raw: Any) -> bool:
    return isinstance(raw, dict) and "kind" in raw


def _kind_rule(
    path: str, where: str, raw: Any, problems: list[Problem]
) -> tuple[str, float] | None:
    """{kind: benchmark, weight: 6}: a paper of that kind (kinds.py) scores the weight."""
    kind, weight, line = raw["kind"], raw.get("weight", 1), raw[LINE]
    unknown = sorted(map(str, set(raw) - _RULE_KEYS))
    if unknown:
        problems.append(error(path, line, f"{where}: unknown rule key {unknown[0]!r}"))
        return None
    if not isinstance(kind, str) or kind not in KIND_REASONS or set(_RULE_KINDS) & set(raw):
        known = ", ".join(KIND_REASONS)
        problems.append(error(path, line, f"{where}: a kind rule names one kind of {known}"))
        return None
    if not _is_number(weight):
        problems.append(error(path, line, f"{where}: rule weight must be a number"))
        return None
    return kind, float(weight)


def _rule(path: str, where: str, raw: Any, problems: list[Problem], topic_line: int) -> Rule | None:
    if not isinstance(raw, dict):  # a plain value carries no line: its topic's is given
        like = "like {phrase: ..., weight: 2}"
        message = f"{where}: each rule must be a mapping, {like}, not {_shown(raw)}"
        problems.append(error(path, topic_line, message))
        return None
    line = raw[LINE]
    weight = raw.get("weight", 1)
    unknown = sorted(map(str, set(raw) - _RULE_KEYS))
    if unknown:
        problems.append(error(path, line, f"{where}: unknown rule key {unknown[0]!r}"))
    if not _is_number(weight):
        problems.append(error(path, line, f"{where}: rule weight must be a number"))
        return None
    kinds = [kind for kind in _RULE_KINDS if kind in raw]
    if len(kinds) != 1:
        says = "a rule has one of 'phrase', 'word' or 'pattern'"
        problems.append(error(path, line, f"{where}: {says}"))
        return None
    (kind,) = kinds
    text = raw[kind]
    if not isinstance(text, str) or not text.strip():
        problems.append(error(path, line, f"{where}: a rule's {kind} must be text"))
        return None
    if kind == "phrase" and not re.search(r"\w", text):
        problems.append(error(path, line, f"{where}: the phrase {text!r} has no words to match"))
        return None
    if kind != "phrase" and _compiles(text) and re.compile(text).match(""):
        problems.append(error(path, line, f"{where}: the {kind} {text!r} matches empty text"))
        return None
    pattern = phrase_expression(text) if kind == "phrase" else text
    try:
        _compiled(pattern)
    except re.error as exc:
        problems.append(error(path, line, f"{where}: bad {kind} {text!r}: {exc}"))
        return None
    label = text if kind == "phrase" else _pattern_label(text)
    return Rule(label, kind, pattern, float(weight))


def _shown(value: Any) -> str:
    """A value as a message shows it: cut short (a YAML alias can make it any size)."""
    text = reprlib.repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _is_number(value: Any) -> bool:
    """A finite int or float: YAML's .nan and .inf would leave every score unordered or
    every paper in one topic."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    # A whole number may have 400 digits, which math.isfinite cannot take as a float.
    return (isinstance(value, int) or math.isfinite(value)) and abs(value) <= 1e9


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
