"""Charts drawn at build time as inline SVG, so readers download no chart script.

Every function is pure and returns markup to paste into a generated Markdown page. Python-Markdown
does not count `<svg>` as block-level HTML: it would wrap it in `<p>` and read `_x_` in a label
as emphasis. So each chart comes inside `<figure class="digest-chart">`, which Markdown keeps as
one raw HTML block: one element a line, no blank line, no indented line.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..text import counted

_FONT = 14  # px in viewBox units: text scales with the chart
# The smallest text a chart may scale down to, in CSS px. A chart is never narrower than what
# keeps its text at that size: on a phone, it scrolls sideways inside its figure instead.
_MIN_TEXT = 10
_EM = _FONT * 0.35  # what to add to a y to centre a line of text on it
# Colours are CSS (var() with a fallback) in style attributes: presentation attributes such as
# fill="var(...)" are not read as CSS by every browser. Text and axes follow currentColor, so
# they flip with Material's light and dark palettes.
_BAR = "fill:var(--md-primary-fg-color,#3f51b5)"
_LATEST = "fill:var(--md-accent-fg-color,#526cfe)"
_TEXT = "fill:currentColor"
_MUTED = "fill:var(--md-default-fg-color--light,currentColor)"
_AXIS = "stroke:currentColor;stroke-opacity:0.35;stroke-width:1"
# Quotes, and what Markdown or arithmatex would act on if the block were ever read as Markdown;
# as character references they still read the same to any XML or HTML parser.
_ENTITIES = {c: f"&#{ord(c)};" for c in '"*_`[]\\$'}

Bar = tuple[float, str]  # a column's value and its tooltip


def _num(x: float) -> str:
    """Fixed precision, so the same data always gives the same bytes."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(value: object) -> str:
    # Whitespace collapses to one space: a newline in a label could end the raw HTML block.
    return escape(" ".join(str(value).split()), _ENTITIES)


def _el(tag: str, attrs: dict[str, str | float], text: object = None, tip: object = None) -> str:
    """One element on its own line; `tip` becomes a <title> child, which browsers show on hover."""
    pairs = "".join(
        f" {key}={quoteattr(value if isinstance(value, str) else _num(value))}"
        for key, value in attrs.items()
    )
    inner = "" if text is None else _text(text)
    if tip is not None:
        inner += f"<title>{_text(tip)}</title>"
    return f"<{tag}{pairs}>{inner}</{tag}>"


def _width_of(text: str) -> float:
    # No font metrics at build time: 0.6 em a character is a safe guess for UI fonts.
    return len(" ".join(text.split())) * _FONT * 0.6


def _fit(text: str, room: float) -> str:
    """`text` cut with an ellipsis to fit `room`; the tooltip keeps the whole of it."""
    text = " ".join(text.split())
    most = max(int(room / (_FONT * 0.6)), 1)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _fit_apart(labels: Sequence[str], room: float) -> list[str]:
    """Each label fitted to `room`; labels cut alike ("Parameter-Efficient Fine-Tun…"
    twice) keep their beginning and their end instead, so the bars can be told apart."""
    fitted = [_fit(label, room) for label in labels]
    alike = {text for text in fitted if fitted.count(text) > 1}
    return [
        _fit_ends(label, room) if text in alike else text
        for label, text in zip(labels, fitted, strict=True)
    ]


def _fit_ends(text: str, room: float) -> str:
    text = " ".join(text.split())
    most = max(int(room / (_FONT * 0.6)), 3)
    if len(text) <= most:
        return text
    head = (most - 1) // 2
    return text[:head].rstrip() + "…" + text[len(text) - (most - 1 - head) :].lstrip()


def _scale(value: float, top: float, length: float) -> float:
    return value / top * length if top > 0 else 0.0


def _check(labels: Sequence[object], values: Sequence[int]) -> None:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    if any(value < 0 for value in values):
        raise ValueError("chart values must not be negative")


def _chart_id(kind: str, title: str, description: str, data: object) -> str:
    """A readable slug of the title plus a hash of everything drawn: two different charts on
    one page, even with the same title, never share an id."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:32].strip("-") or "chart"
    payload = json.dumps([kind, title, description, data], ensure_ascii=False)
    return f"chart-{slug}-{hashlib.sha256(payload.encode()).hexdigest()[:8]}"


def _svg(kind: str, title: str, description: str, data: object, size: tuple[float, float],
         body: list[str]) -> str:  # fmt: skip
    uid = _chart_id(kind, title, description, data)
    width, height = size
    min_width = min(math.ceil(width * _MIN_TEXT / _FONT), width)
    root = {
        "xmlns": "http://www.w3.org/2000/svg",
        "id": uid,
        "class": f"digest-chart-{kind}",
        "role": "img",
        "aria-labelledby": f"{uid}-title {uid}-desc",
        "viewBox": f"0 0 {_num(width)} {_num(height)}",
        "width": "100%",
        # 100% wide up to the drawn width, and scaled down no further than readable text.
        "style": (
            f"display:block;min-width:{_num(min_width)}px;max-width:{_num(width)}px;"
            f"height:auto;font-size:{_FONT}px"
        ),
    }
    # Material's figure is fit-content wide, which would shrink a 100%-wide SVG to nothing,
    # and a flex column that centres it, which would put a wider chart's left edge out of
    # reach: a block. It scrolls what does not fit, and tabindex lets a keyboard scroll it.
    figure = (
        f'<figure class="digest-chart" tabindex="0" style="display:block;width:100%;'
        f'max-width:{_num(width)}px;overflow-x:auto">'
    )
    title_el = _el("title", {"id": f"{uid}-title"}, title)
    desc_el = _el("desc", {"id": f"{uid}-desc"}, description)
    head = _el("svg", root).removesuffix("</svg>")
    return "\n".join([figure, head, title_el, desc_el, *body, "</svg>", "</figure>"])


def _no_data(kind: str, title: str, description: str, size: tuple[float, float]) -> str:
    at = {"x": size[0] / 2, "y": size[1] / 2 + _EM, "text-anchor": "middle", "style": _MUTED}
    return _svg(kind, title, description, [], size, [_el("text", at, "No data yet")])


def _columns(x0: float, base: float, room: tuple[float, float], top: float, bars: list[Bar],
             latest: bool = False) -> list[str]:  # fmt: skip
    """Columns side by side in `room` (width, height) standing on `base`, and the base line."""
    slot = room[0] / len(bars)
    out = []
    for i, (value, tip) in enumerate(bars):
        tall = _scale(value, top, room[1])
        style = _LATEST if latest and i == len(bars) - 1 else _BAR
        box = {"x": x0 + i * slot + slot * 0.1, "y": base - tall, "width": slot * 0.8}
        out.append(_el("rect", {**box, "height": tall, "style": style}, tip=tip))
    out.append(_el("line", {"x1": x0, "y1": base, "x2": x0 + room[0], "y2": base, "style": _AXIS}))
    return out


def bar_chart(title: str, labels: list[str], values: list[int], description: str, *,
              width: int = 640, bar_height: int = 18) -> str:  # fmt: skip
    """Horizontal bars, one a label, the longest for the largest value (papers per topic...)."""
    _check(labels, values)
    if not labels:
        return _no_data("bar", title, description, (width, 3 * _FONT))
    gap, top = bar_height * 0.4, max(values)
    label_room = min(width * 0.4, max(_width_of(label) for label in labels) + 8)
    plot = max(width - label_room - _width_of(str(top)) - 8, 1)
    body = []
    shown = _fit_apart(labels, label_room - 8)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_height + gap)
        length, middle = _scale(value, top, plot), y + bar_height / 2 + _EM
        left = {"x": label_room - 6, "y": middle, "text-anchor": "end", "style": _TEXT}
        bar = {"x": label_room, "y": y, "width": length, "height": bar_height, "style": _BAR}
        body += [
            _el("text", left, shown[i]),
            _el("rect", bar, tip=f"{label}: {value}"),
            _el("text", {"x": label_room + length + 4, "y": middle, "style": _TEXT}, value),
        ]
    size = (width, gap + len(labels) * (bar_height + gap))
    return _svg("bar", title, description, [labels, values], size, body)


def column_chart(title: str, labels: list[str], values: list[int], description: str, *,
                 width: int = 640, height: int = 200) -> str:  # fmt: skip
    """Vertical columns over time (papers per issue), labelling as many x ticks as fit."""
    _check(labels, values)
    if not labels:
        return _no_data("column", title, description, (width, height))
    top = max(values)
    left, base = _width_of(str(top)) + 8, height - 2 * _FONT
    room = (width - left - 4, base - _FONT)
    bars = [(value, f"{label}: {value}") for label, value in zip(labels, values, strict=True)]
    body = _columns(left, base, room, top, bars)
    for value, y in ((top, _FONT), (0, base)):  # the y axis: just its two ends
        at = {"x": left - 4, "y": y + _EM, "text-anchor": "end", "style": _MUTED}
        body.append(_el("text", at, value))
    # Label every step-th column: as many as fit side by side without touching.
    widest = max(_width_of(label) for label in labels) + 8
    step = math.ceil(len(labels) / max(int(room[0] // widest), 1))
    for i in range(0, len(labels), step):
        centre = left + (i + 0.5) * room[0] / len(labels)
        x = min(max(centre, widest / 2), width - widest / 2)  # keep the label inside the chart
        at = {"x": x, "y": base + _FONT * 1.4, "text-anchor": "middle", "style": _MUTED}
        body.append(_el("text", at, labels[i]))
    return _svg("column", title, description, [labels, values], (width, height), body)


def small_multiples(title: str, series: dict[str, list[int]], labels: list[str],
                    description: str, *, totals: list[int] | None = None, width: int = 640,
                    columns: int = 3, each: str = "each issue") -> str:  # fmt: skip
    """One tiny column chart a topic: its share (%) of each issue's papers, all on one y scale.

    Chosen over one stacked chart: 23 stacked colours can't be told apart, while a grid of
    small panels in one colour compares at a glance. `totals` is each issue's paper count
    (a paper may have several topics); by default the sum of the series."""
    for values in series.values():
        _check(labels, values)
    if not (series and labels):
        return _no_data("multiples", title, description, (width, 3 * _FONT))
    if totals is None:
        totals = [sum(column) for column in zip(*series.values(), strict=True)]
    _check(labels, totals)
    shares = {
        name: [100 * v / t if t else 0.0 for v, t in zip(values, totals, strict=True)]
        for name, values in series.items()
    }
    top = max(math.ceil(max(max(row) for row in shares.values()) / 10) * 10, 10)  # round, shared
    panel_w, panel_h = width / columns, 4.5 * _FONT + 16
    room = (panel_w - 14, panel_h - _FONT - 16)
    note = f"Share of the papers of {each}; every panel from 0 to {top}%"
    body = [_el("text", {"x": 0, "y": _FONT, "style": _MUTED}, note)]
    for k, (name, row) in enumerate(shares.items()):
        x0, y0 = (k % columns) * panel_w + 2, 2 * _FONT + (k // columns) * panel_h
        base = y0 + panel_h - 8
        grid = {"x1": x0, "y1": base - room[1], "x2": x0 + room[0], "y2": base - room[1]}
        bars = [
            (share, f"{name}, {label}: {v} of {counted(t, 'paper')} ({share:.1f}%)")
            for label, share, v, t in zip(labels, row, series[name], totals, strict=True)
        ]
        body += [
            _el("text", {"x": x0, "y": y0 + _FONT, "style": _TEXT}, _fit(name, room[0])),
            _el("line", {**grid, "style": _AXIS + ";stroke-dasharray:2 3"}),  # the top of scale
            *_columns(x0, base, room, top, bars),
        ]
    size = (width, 2 * _FONT + math.ceil(len(series) / columns) * panel_h)
    return _svg("multiples", title, description, [labels, totals, series], size, body)


def sparkline(title: str, labels: list[str], values: list[int], description: str, *,
              width: int = 240, height: int = 40) -> str:  # fmt: skip
    """A small column strip for the top of a topic page; the latest issue in the accent colour."""
    _check(labels, values)
    if not labels:
        return _no_data("spark", title, description, (width, height))
    bars = [(value, f"{label}: {value}") for label, value in zip(labels, values, strict=True)]
    body = _columns(0, height - 1, (width, height - 2), max(values), bars, latest=True)
    return _svg("spark", title, description, [labels, values], (width, height), body)


def _cell(value: str | int) -> str:
    # A cell is Markdown: escape HTML, then what Markdown would act on, the pipe above all.
    text = html.escape(" ".join(str(value).split()), quote=False)
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


def data_table(headers: list[str], rows: list[list[str | int]]) -> str:
    """The numbers behind a chart as a Markdown table; columns of numbers align right."""
    if not headers:
        return ""
    if any(len(row) != len(headers) for row in rows):
        raise ValueError(f"every row needs {len(headers)} cells, one a header")
    columns = list(zip(*rows, strict=True)) or [()] * len(headers)
    numeric = [bool(column) and all(isinstance(c, int) for c in column) for column in columns]
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    return "\n".join(lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows])
