"""The build-time SVG charts: well-formed, accessible, escaped, proportional, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
import pytest

from digest.site import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = ['<script>alert("x")</script>', "R&D 'quoted' \"twice\"", "a_b_ *c* `d` $e$ [f]"]
DATES = [f"2024-05-{day:02}" for day in range(1, 31)]


def every_chart(labels: list[str], values: list[int], title: str = "Chart") -> dict[str, str]:
    series = {label: [value, value + 1] for label, value in zip(labels, values, strict=True)}
    return {
        "bar": charts.bar_chart(title, labels, values, "Papers per topic."),
        "column": charts.column_chart(title, labels, values, "Papers per issue."),
        "multiples": charts.small_multiples(title, series, ["d1", "d2"], "Shares."),
        "spark": charts.sparkline(title, labels, values, "Papers per issue."),
    }


def svg_of(markup: str) -> ET.Element:
    figure = ET.fromstring(markup)  # raises on anything that isn't well-formed
    assert figure.tag == "figure"
    (svg,) = figure
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    return svg


def rects(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(".//svg:rect", NS)


@pytest.mark.parametrize("kind", ["bar", "column", "multiples", "spark"])
def test_accessible_name_and_scaling(kind: str) -> None:
    svg = svg_of(every_chart(["a", "b"], [1, 2], title="Papers & <friends>")[kind])
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert svg.find("svg:title", NS).get("id") == title_id
    assert svg.find("svg:title", NS).text == "Papers & <friends>"
    assert svg.find("svg:desc", NS).get("id") == desc_id
    assert re.fullmatch(r"chart-papers-friends-[0-9a-f]{8}-title", title_id)
    assert svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 ")
    assert "max-width:" in svg.get("style", "")


@pytest.mark.parametrize("kind", ["bar", "column", "multiples", "spark"])
def test_a_phone_scrolls_a_chart_rather_than_shrink_its_text(kind: str) -> None:
    markup = every_chart(["a", "b"], [1, 2])[kind]
    figure, svg = ET.fromstring(markup), svg_of(markup)
    style = dict(rule.split(":", 1) for rule in svg.get("style", "").split(";"))
    drawn = float(svg.get("viewBox", "").split()[2])
    narrowest = float(style["min-width"].removesuffix("px"))
    font = float(style["font-size"].removesuffix("px"))
    assert narrowest <= drawn and font * narrowest / drawn >= 10  # px on screen, at the least
    assert "overflow-x:auto" in figure.get("style", "") and figure.get("tabindex") == "0"


def test_ids_never_collide_on_one_page() -> None:
    page = [*every_chart(["a"], [1]).values(), *every_chart(["a"], [2]).values()]
    ids = [e.get("id") for markup in page for e in ET.fromstring(markup).iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 3 * len(page)


@pytest.mark.parametrize("kind", ["bar", "column", "multiples", "spark"])
def test_hostile_labels_come_out_escaped_and_read_back_as_text(kind: str) -> None:
    markup = every_chart(HOSTILE, [1, 2, 3], title=HOSTILE[0])[kind]
    assert "<script" not in markup and "*c*" not in markup and "$e$" not in markup
    svg = svg_of(markup)
    assert svg.find("svg:title", NS).text == HOSTILE[0]
    tips = [rect.find("svg:title", NS).text for rect in rects(svg)]
    for label in HOSTILE:
        assert any(label in tip for tip in tips), label


def test_bars_are_proportional_to_their_values() -> None:
    svg = svg_of(charts.bar_chart("T", ["a", "b", "c", "d"], [1, 2, 5, 0], "D"))
    widths = [float(rect.get("width")) for rect in rects(svg)]
    assert widths[3] == 0
    for width, value in zip(widths, [1, 2, 5], strict=False):
        assert width == pytest.approx(widths[2] * value / 5, abs=0.1)
    assert [rect.find("svg:title", NS).text for rect in rects(svg)] == [
        "a: 1",
        "b: 2",
        "c: 5",
        "d: 0",
    ]


def test_long_labels_that_begin_alike_stay_apart() -> None:
    """Two titles cut to one label would leave two bars nobody can tell apart."""
    first = "Parameter-Efficient Fine-Tuning for Large Models: A Comprehensive Survey"
    second = "Parameter-Efficient Fine-Tuning Methods for Pretrained Language Models"
    third = "A Short Title"
    svg = svg_of(charts.bar_chart("T", [first, second, third], [3, 3, 1], "D", width=320))
    labels = [text.text for text in svg.findall(".//svg:text", NS)][::2]
    assert len(set(labels)) == 3, labels
    assert labels[2] == third
    for label, title in zip(labels, [first, second], strict=False):
        head, _, tail = label.partition("\u2026")
        assert tail and title.startswith(head) and title.endswith(tail), label


def test_columns_are_proportional_to_their_values() -> None:
    svg = svg_of(charts.column_chart("T", DATES[:3], [4, 2, 0], "D"))
    heights = [float(rect.get("height")) for rect in rects(svg)]
    assert heights[1] == pytest.approx(heights[0] / 2, abs=0.1) and heights[2] == 0


def test_many_columns_label_only_some_ticks() -> None:
    svg = svg_of(charts.column_chart("T", DATES, list(range(30)), "D"))
    ticks = [t.text for t in svg.findall("svg:text", NS) if t.text in DATES]
    assert ticks[0] == DATES[0] and 2 <= len(ticks) < len(DATES)


def test_small_multiples_share_one_percent_scale() -> None:
    series = {"Vision": [1, 0], "Language": [3, 0]}
    svg = svg_of(charts.small_multiples("Shares", series, ["d1", "d2"], "D", totals=[4, 0]))
    tips = {rect.find("svg:title", NS).text: float(rect.get("height")) for rect in rects(svg)}
    assert tips["Vision, d1: 1 of 4 papers (25.0%)"] * 3 == pytest.approx(
        tips["Language, d1: 3 of 4 papers (75.0%)"],
        abs=0.3,  # each rounded to 0.1
    )
    assert tips["Vision, d2: 0 of 0 papers (0.0%)"] == 0  # an empty issue divides by nothing
    assert any("0 to 80%" in (t.text or "") for t in svg.findall("svg:text", NS))


@pytest.mark.parametrize("labels,values", [([], []), (["a", "b"], [0, 0])])
def test_empty_and_zero_data_draw_without_dividing_by_zero(labels, values) -> None:
    for markup in every_chart(labels, values).values():
        svg = svg_of(markup)
        assert all(float(rect.get("height")) >= 0 for rect in rects(svg))
    assert "No data yet" in charts.small_multiples("T", {}, [], "D")
    assert "No data yet" in charts.small_multiples("T", {"a": []}, [], "D")


def test_mismatched_or_negative_data_is_refused() -> None:
    with pytest.raises(ValueError):
        charts.bar_chart("T", ["a"], [1, 2], "D")
    with pytest.raises(ValueError):
        charts.sparkline("T", ["a"], [-1], "D")


def test_same_input_same_bytes_and_a_raw_html_block_shape() -> None:
    labels, values = [f"Topic\n\n{i}" for i in range(23)], [i * 7 % 11 for i in range(23)]
    first, second = every_chart(labels, values), every_chart(labels, values)
    assert first == second
    for markup in first.values():
        lines = markup.split("\n")
        assert lines[0].startswith("<figure") and lines[1].startswith("<svg")
        assert all(line.strip() and not line[0].isspace() for line in lines)


def test_data_table_escapes_pipes_and_html() -> None:
    table = charts.data_table(["Topic", "Papers"], [["a|b <i>x</i>", 3], ["c_d", 0]])
    assert table.split("\n") == [
        "| Topic | Papers |",
        "| --- | ---: |",
        r"| a\|b &lt;i&gt;x&lt;/i&gt; | 3 |",
        r"| c\_d | 0 |",
    ]
    html = markdown.markdown(table, extensions=["tables"])
    assert "<td>a|b &lt;i&gt;x&lt;/i&gt;</td>" in html and "<td>c_d</td>" in html
    assert charts.data_table(["Topic"], []).count("\n") == 1 and charts.data_table([], []) == ""


def test_chart_survives_python_markdown_as_raw_html() -> None:
    chart = charts.bar_chart("Most upvoted", HOSTILE, [5, 3, 1], "Upvotes of the top papers.")
    table = charts.data_table(
        ["Paper", "Upvotes"], [[h, v] for h, v in zip(HOSTILE, [5, 3, 1], strict=True)]
    )
    page = f"# Stats\n\nSome *text*.\n\n{chart}\n\n{table}\n"
    html = markdown.markdown(page, extensions=["tables"])
    assert chart in html  # byte for byte: no <p>, no <em>, nothing escaped twice
    assert "<p><svg" not in html and html.count("<table>") == 1
    assert svg_of(chart).find("svg:title", NS).text == "Most upvoted"
