"""Front matter as PyYAML writes it, without PyYAML's per-value work on every page.

Pages' front matter has a few shapes: a mapping of scalars, lists of scalars, lists of
small mappings and small mappings. For those, each scalar is written as PyYAML writes it
(asked of PyYAML once per distinct value and remembered: the same dates, slugs and flags
recur on thousands of pages), laid out as PyYAML lays out block collections. Anything
else, or a value PyYAML would spread over several lines, goes to PyYAML itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

# The C emitter when PyYAML has it (same YAML, several times faster); both are safe dumpers.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Exact types, as PyYAML's representers are looked up (floats are left to PyYAML: 0.0 and
# -0.0 are equal, so remembering one would write the other wrong).
_SCALARS = (str, int, bool, type(None))


def dump(meta: dict[str, Any]) -> str:
    """yaml.dump(meta) with the options below, byte for byte."""
    lines: list[str] = []
    if type(meta) is not dict or not meta or _shared(meta) or not _block_mapping(meta, "", lines):
        return _dump(meta)
    return "".join(lines)


def _shared(meta: dict[str, Any]) -> bool:
    """Whether a list or mapping appears twice: PyYAML writes it once, with an anchor."""
    seen: set[int] = {id(meta)}
    pending: list[Any] = list(meta.values())
    while pending:
        value = pending.pop()
        if type(value) in (list, dict):
            if id(value) in seen:
                return True
            seen.add(id(value))
            pending += value.values() if type(value) is dict else value
    return False


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31 - 1)


def _block_mapping(mapping: dict[str, Any], indent: str, lines: list[str]) -> bool:
    """Append the mapping's lines; False when a value is not one of the known shapes."""
    for key, value in mapping.items():
        written = _key(key) if type(key) is str else None
        if written is None:
            return False
        scalar = _scalar(value)
        if scalar is not None:
            lines.append(f"{indent}{written}: {scalar}\n")
        elif type(value) is dict and not indent:
            lines.append(f"{written}:\n")
            if not _block_mapping(value, "  ", lines):
                return False
        elif type(value) is list and not indent:
            lines.append(f"{written}:\n")
            if not all(_item(item, lines) for item in value):
                return False
        else:
            return False
    return True


def _item(item: Any, lines: list[str]) -> bool:
    """A list item in a top-level mapping: PyYAML does not indent such a list."""
    scalar = _scalar(item)
    if scalar is not None:
        lines.append(f"- {scalar}\n")
        return True
    nested: list[str] = []
    if type(item) is not dict or not item or not _block_mapping(item, "  ", nested):
        return False
    lines.append("- " + nested[0][2:])
    lines += nested[1:]
    return True


def _scalar(value: Any) -> str | None:
    """A scalar, or an empty list or mapping, as PyYAML writes it after `key: `; None for
    anything else or what does not fit on one line."""
    kind = type(value)
    if kind in (list, dict):
        return _written(kind, None) if not value else None
    # The type is part of the key: True == 1, and both would share one entry.
    return _written(kind, value) if kind in _SCALARS else None


@lru_cache(maxsize=65536)
def _written(kind: type, value: Any) -> str | None:
    written = _dump({"k": kind() if value is None and kind in (list, dict) else value})
    return written[3:-1] if written.startswith("k: ") and _one_line(written) else None


@lru_cache(maxsize=1024)
def _key(key: str) -> str | None:
    written = _dump({key: 0})
    return written[: -len(": 0\n")] if written.endswith(": 0\n") and _one_line(written) else None


def _one_line(written: str) -> bool:
    """Whether PyYAML wrote one line: a break inside a value is followed by indentation,
    which depends on where the value stands."""
    return written.count("\n") == 1 and not any(c in written for c in _BREAKS)


_BREAKS = "\r\x85\u2028\u2029"  # what YAML also counts as line breaks
