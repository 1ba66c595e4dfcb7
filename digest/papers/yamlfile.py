"""YAML and front matter read safely, with the lines an editor needs to find a mistake."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import DigestError, error

LINE = "__line__"  # the line a mapping starts on
KEY_LINES = "__key_lines__"  # the line of each of its keys


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping_with_lines(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[object] = set()
    for key, _ in node.value:  # PyYAML keeps the last of two equal keys, without a word
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                problem = f"{key.value!r} is given twice: keep one"
                raise yaml.constructor.ConstructorError(None, None, problem, key.start_mark)
            seen.add(key.value)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    mapping[KEY_LINES] = {
        str(key.value): key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_lines)


def _date(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date or time, or a YAML error at its line: PyYAML takes `2026-02-30` for a date
    by its digits, then fails to make it with a ValueError, which names no line."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        problem = f"{node.value!r} is not a date ({exc})"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _date)


def load_with_lines(path: str, text: str, first_line: int = 1) -> Any:
    """Parse YAML; every mapping carries its line under LINE and its keys' under KEY_LINES.

    `first_line` is where the YAML starts in the file (front matter starts on line 2).
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DigestError(error(path, line, f"YAML does not parse: {problem}")) from None
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, dict):
        data[LINE] = data.get(LINE, 1) + offset
        data[KEY_LINES] = {k: v + offset for k, v in data.get(KEY_LINES, {}).items()}
        for key, value in data.items():
            if key not in (LINE, KEY_LINES):
                _shift(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift(item, offset)


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """A mapping without the line bookkeeping."""
    return {k: v for k, v in data.items() if k not in (LINE, KEY_LINES)}


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(path: str, text: str) -> tuple[dict[str, Any], str, int]:
    """Front matter (with lines), the body, and the body's first line number.

    A file without front matter has an empty mapping. Front matter that does not parse,
    or is not a mapping, is an error naming the line: MkDocs would silently drop it.
    """
    match = _FRONT.match(text)
    if not match:
        if text.startswith("---"):
            raise DigestError(error(path, 1, "front matter is not closed by a '---' line"))
        return {}, text, 1
    data = load_with_lines(path, match.group(1) or "", first_line=2)
    if data is None:
        data = {LINE: 2, KEY_LINES: {}}
    if not isinstance(data, dict):
        raise DigestError(error(path, 2, "front matter must be a mapping of keys to values"))
    body = text[match.end() :]
    return data, body, text[: match.end()].count("\n") + 1
