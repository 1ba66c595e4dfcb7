"""What brings a reader back: related papers, code and kind collections, charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from test_site import page, text_of

from digest.model import Paper
from digest.papers.kinds import kinds_of
from digest.papers.related import related_papers


def test_related_papers_are_five_others_stable_and_on_topic(papers: tuple[Paper, ...]) -> None:
    related = related_papers(papers)
    assert set(related) == {p.slug for p in papers}
    assert all(len(r) == 5 and len(set(r)) == 5 for r in related.values())
    assert all(slug not in r for slug, r in related.items())
    assert related_papers(list(reversed(papers))) == related  # order of input does not matter
    by_slug = {p.slug: p for p in papers}
    muon = [by_slug[s].title for s in related["normuon-making-muon-more-efficient-and-scalable"]]
    assert sum("Optimi" in t or "Adam" in t for t in muon) >= 3, muon


def test_words_common_to_many_papers_relate_none(
    papers: tuple[Paper, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two papers that share one word, which 15 other papers of 42 have too.
    base = [replace(p, abstract=p.abstract + " zebracorn") for p in papers[:15]]
    pair = [
        replace(papers[40], title="Alpha quux", abstract="zebracorn"),
        replace(papers[41], title="Beta corge", abstract="zebracorn"),
    ]
    corpus = [*base, *papers[15:40], *pair]
    assert pair[1].slug in related_papers(corpus)[pair[0].slug]  # in less than half
    monkeypatch.setattr("digest.papers.related.COMMON_IN_PAPERS", 10)  # now too common to count
    assert pair[1].slug not in related_papers(corpus)[pair[0].slug]


def test_related_handles_tiny_and_empty_inputs(papers: tuple[Paper, ...]) -> None:
    assert related_papers([]) == {}
    assert related_papers(papers[:1]) == {papers[0].slug: ()}
    two = related_papers(papers[:2])
    assert two[papers[0].slug] in ((papers[1].slug,), ())


def test_kinds_are_read_from_title_and_abstract() -> None:
    assert kinds_of("A Survey on Mixture of Experts", "We review the field.") == ("survey",)
    assert kinds_of("X", "In this work we introduce XBench, a new benchmark for agents.") == (
        "benchmark",
    )
    assert kinds_of("Dolma: an Open Corpus of Three Trillion Tokens", "") == ("dataset",)
    assert kinds_of("Dataset Selection with Datamodels", "We evaluate on a benchmark.") == ()
    assert kinds_of("We verified it", "We verified the proposed method on the COCO dataset.") == ()


def test_paper_pages_list_related_papers_with_their_topics(built_site: Path) -> None:
    html = page(built_site, "papers/normuon-making-muon-more-efficient-and-scalable")
    section = html[html.index('id="related-papers"') : html.index('id="listed-in"')]
    assert section.count('href="../') == 5
    assert "Optimizers" in text_of(section, "li")


def test_with_code_and_kind_pages(built_site: Path, papers: tuple[Paper, ...]) -> None:
    code = text_of(page(built_site, "with-code"), "article")
    with_code = [p for p in papers if p.has_code]
    assert f"{len(with_code)} papers link to their code" in code
    listed = " ".join(
        (folder / "index.html").read_text(encoding="utf-8")
        for folder in (built_site / "with-code").rglob("*")
        if (folder / "index.html").is_file()
    )
    assert all(f"papers/{p.slug}/" in listed for p in with_code)
    surveys = page(built_site, "kinds/surveys")
    assert "papers/a-survey-on-mixture-of-experts/" in surveys
    for kind in ("benchmarks", "datasets"):
        assert "papers/" in page(built_site, f"kinds/{kind}")


def test_statistics_page_draws_accessible_charts_with_tables(built_site: Path) -> None:
    html = page(built_site, "statistics")
    charts = html.split('<figure class="digest-chart"')[1:]
    assert len(charts) >= 4
    for chart in charts:
        svg = chart[chart.index("<svg") : chart.index("</svg>") + len("</svg>")]
        root = ET.fromstring(svg)
        labelled = root.get("aria-labelledby", "").split()
        ids = {el.get("id") for el in root.iter() if el.get("id")}
        assert root.get("role") == "img" and labelled and set(labelled) <= ids
    assert html.count("<table") >= 3
    assert "Most upvoted papers" in text_of(html, "h2")


def test_each_topic_page_opens_with_its_chart(built_site: Path) -> None:
    html = page(built_site, "topics/peft")
    assert html.index("<svg") < html.index("Subscribe to this topic")
