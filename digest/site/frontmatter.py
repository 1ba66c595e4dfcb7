"""Front matter that reads back to the page's meta, written without PyYAML for the shapes
pages have.

Pages' front matter has a few shapes: a mapping of scalars, lists of scalars, lists of
small mappings and small mappings. For those, each value is written on a line of its own,
laid out as PyYAML lays out block collections. A string is a plain scalar when it plainly
is one: it starts with a letter, is not a word YAML reads as another type (yes, off, null,
in any case) and holds nothing YAML could take for syntax or white space it would drop;
any other string is double-quoted, with escapes for quotes, backslashes, line breaks and
characters YAML does not allow as they are. null, booleans, integers and empty lists or
mappings are written as PyYAML writes them. Keys, and a string that cannot be escaped (a
lone surrogate), are asked of PyYAML; anything else (floats, deeper nesting) goes to
PyYAML itself.

The text is not byte for byte what PyYAML writes (PyYAML quotes some strings singly, and
leaves some starting with a digit or a sign plain), only YAML that yaml.safe_load and
MkDocs' reader (mkdocs.utils.meta.get_data, with libyaml) read back to the same values:
asking PyYAML once per distinct title and description was most of the time spent on front
matter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

# The C emitter when PyYAML has it (same YAML, several times faster); both are safe dumpers.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Plain scalars YAML 1.1 reads as booleans or null (y and n too, as its spec lists them);
# compared casefolded, more than PyYAML's resolver takes.
_WORDS = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "null"})
# In a double-quoted scalar: the quote and the escape character, line breaks and white
# space YAML would fold or drop, the byte order mark, and what is outside YAML's printable
# set (C0 and C1 controls, DEL, U+FFFE, U+FFFF).
_TO_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_SURROGATE = re.compile("[\ud800-\udfff]")  # no UTF-8 for them; PyYAML says what to do


def dump(meta: dict[str, Any]) -> str:
    """The meta as a YAML block mapping that reads back to it."""
    lines: list[str] = []
    if type(meta) is not dict or not meta or not _block_mapping(meta, "", lines):
        return _dump(meta)
    return "".join(lines)


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
    """A scalar, or an empty list or mapping, as written after `key: ` or `- `; None for
    anything else or what does not fit on one line. Exact types: True == 1, but bool is
    not int here, and a subclass is left to PyYAML's representers."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind in (list, dict) and not value:
        return "[]" if kind is list else "{}"
    return None


def _string(text: str) -> str | None:
    if _plain(text):
        return text
    if _SURROGATE.search(text):
        return _pyyaml_scalar(text)
    return f'"{_TO_ESCAPE.sub(_escape, text)}"'


def _plain(text: str) -> bool:
    """Whether the text reads back as itself unquoted, after `key: ` in block context:
    from a letter on, so no number, date, indicator or space starts it; no control, format,
    line or space character but the ASCII space (str.isprintable), so nothing is folded;
    no comment (` #`), no mapping (`: `, a final `:`) and no final space to drop."""
    return (
        text[:1].isalpha()
        and text.isprintable()
        and ": " not in text
        and " #" not in text
        and not text.endswith((" ", ":"))
        and text.casefold() not in _WORDS
    )


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short:
        return short
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"


@lru_cache(maxsize=1024)
def _pyyaml_scalar(value: str) -> str | None:
    written = _dump({"k": value})
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
