"""A topic's page (a chart, its introduction, its papers) and the Topics overview."""

from __future__ import annotations

from ...model import Topic
from .. import charts
from .lookups import Lookups
from .paths import TOPICS, feed_links, topic_path
from .records import PageRecord, page_record
from .stats import rows_table


def topic_page(index: Lookups, topic: Topic) -> PageRecord:
    papers = index.items(index.by_topic.get(topic.slug, []))
    intro = index.digest.intros.get(topic.slug, "")
    feed = f"topics/{topic.slug}/feed.xml"
    axis = index.timeline
    per_period = index.per_period(topic.slug)
    chart = charts.sparkline(
        f"{topic.name}: papers per {axis.unit}",
        list(axis.labels),
        per_period,
        f"How many papers of {axis.each} are about {topic.name}, oldest first.",
    )
    page = page_record(
        topic_path(topic.slug), "topic.md.j2", topic.name, topic.description,
        topic=topic, papers=papers, intro=intro, feed=feed, chart=chart, unit=axis.unit,
        chart_table=rows_table(
            [axis.unit.capitalize(), "Papers"], zip(axis.labels, per_period, strict=True)
        ),
    )  # fmt: skip
    page.meta["feeds"] = feed_links(feed, topic.name)
    return page


def topics_page(index: Lookups) -> PageRecord:
    return page_record(
        TOPICS, "topics.md.j2", "Topics", "Papers by topic",
        topics=index.counted_topics(), unsorted=len(index.unsorted()),
    )  # fmt: skip
