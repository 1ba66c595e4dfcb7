"""YAML read safely, with the line each mapping starts on, for messages an editor can act on."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import DigestError, error

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_with_lines(path: str, text: str, first_line: int = 1) -> Any:
    """Parse YAML; every mapping carries its 1-based line under LINE.

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
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift(item, offset)
