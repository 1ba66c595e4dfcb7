"""The plugin's options in mkdocs.yml, and what the generator needs of mkdocs.yml and the
environment: the site's settings, and the build date, pinned to the newest listing's
unless the user set SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from ..model import SiteSettings
from ..site.pages.status import source_date


class DigestConfig(base.Config):
    content_dir = c.Optional(c.Dir(exists=True))
    """Where editors' content lives (listings, topics.yml); default: the docs_dir."""

    templates_dir = c.Dir(exists=True, default="site_templates")
    """The Jinja2 templates of the generated Markdown pages."""

    stale_after_days = c.Type(int, default=3)
    """After how many days without a new listing the pages say the digest is behind."""

    search = c.Type(bool, default=True)
    """Index the built site with Pagefind for the search box (turn off to build faster
    when search does not matter, e.g. while checking a layout)."""

    cache = c.Type(bool, default=True)
    """Keep each generated page's HTML in .cache/digest/ (beside mkdocs.yml) and write it
    again, not render it again, while nothing it depends on has changed (see cache.py)."""

    hf_api = c.Type(str, default="https://huggingface.co")
    """Where `digest fetch` finds the daily papers API; the environment variable
    DIGEST_HF_API overrides it (tests point it at a server on 127.0.0.1)."""


# The SOURCE_DATE_EPOCH this process set itself (the environment outlives any plugin).
_PINNED_EPOCH: list[str | None] = [None]


def site_settings(config: MkDocsConfig, stale_after_days: int) -> SiteSettings:
    """What the generator needs of mkdocs.yml, and the build time from SOURCE_DATE_EPOCH."""
    return SiteSettings(
        site_name=config.site_name,
        site_url=config.site_url or "/",
        use_directory_urls=config.use_directory_urls,
        built=source_date(_users_epoch()),
        stale_after_days=stale_after_days,
    )


def pin_build_date(newest: date | None) -> None:
    """MkDocs stamps the sitemap with the build date: without SOURCE_DATE_EPOCH that is
    the clock, and two builds of the same content on two days differ. So, unless the
    user set it, the build date is the newest listing's (updated on each serve rebuild)."""
    if _users_epoch() is not None or newest is None:
        return
    midnight = datetime.combine(newest, datetime.min.time(), timezone.utc)
    _PINNED_EPOCH[0] = os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))


def _users_epoch() -> str | None:
    """SOURCE_DATE_EPOCH as the user set it (None if unset, or set by this plugin)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return None if value == _PINNED_EPOCH[0] else value
