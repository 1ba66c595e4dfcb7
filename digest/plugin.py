"""The MkDocs adapter: runs the generator inside `mkdocs build` and `mkdocs serve`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .content import PAGES_DIR, is_editor_input
from .errors import DigestError, Severity
from .kinds import KIND_NAMES
from .model import SiteSettings
from .pages import (
    HOME,
    ISSUES,
    PICKS,
    STATS,
    STATUS,
    TOPICS,
    UNSORTED,
    WITH_CODE,
    footer_facts,
    kind_path,
    source_date,
    topic_path,
)
from .pipeline import Generated, generate

log = get_plugin_logger(__name__)
PAGES = f"{PAGES_DIR}/"


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

    hf_api = c.Type(str, default="https://huggingface.co")
    """Where `digest fetch` finds the daily papers API; the environment variable
    DIGEST_HF_API overrides it (tests point it at a server on 127.0.0.1)."""


class DigestPlugin(BasePlugin[DigestConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = Path(self.config.content_dir or config.docs_dir)
        site_dir = Path(config.site_dir).resolve()
        if site_dir == self.content_dir.resolve() or self.content_dir.resolve() in site_dir.parents:
            raise PluginError(
                f"site_dir {config.site_dir} is inside the content folder: "
                "set site_dir in mkdocs.yml to a folder outside it"
            )
        self.nav_is_ours = config.nav is None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        generated = self._generate(config)
        for file in list(files):
            if is_editor_input(file.src_uri) or file.src_uri in generated.pages:
                files.remove(file)
        for path, markdown in generated.pages.items():
            files.append(File.generated(config, path, content=markdown))
        for path, data in generated.files.items():
            files.append(File.generated(config, path, content=data))
        config.extra["digest"] = footer_facts(generated.digest, self.settings)
        self._pin_build_date(generated.digest.newest_listing)
        if self.nav_is_ours:
            pages = sorted(
                f.src_uri for f in files.documentation_pages() if f.src_uri.startswith(PAGES)
            )
            config.nav = navigation(generated, pages)
        return files

    def _generate(self, config: MkDocsConfig) -> Generated:
        try:
            self.settings = site_settings(config, self.config.stale_after_days)
            generated = generate(self.content_dir, Path(self.config.templates_dir), self.settings)
        except DigestError as exc:
            raise PluginError("\n".join(str(p) for p in exc.problems)) from None
        for problem in generated.problems:
            report = log.error if problem.severity is Severity.ERROR else log.warning
            report("%s", problem)
        digest = generated.digest
        unsorted = sum(1 for p in digest.papers if not digest.topics_of.get(p.slug))
        log.info(
            "%d papers in %d issues; %d unsorted", len(digest.papers), len(digest.issues), unsorted
        )
        return generated

    def _pin_build_date(self, newest: date | None) -> None:
        """MkDocs stamps the sitemap with the build date: without SOURCE_DATE_EPOCH that is
        the clock, and two builds of the same content on two days differ. So, unless the
        user set it, the build date is the newest listing's (updated on each serve rebuild)."""
        if _users_epoch() is not None or newest is None:
            return
        midnight = datetime.combine(newest, datetime.min.time(), timezone.utc)
        _PINNED_EPOCH[0] = os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.config.search:
            index_for_search(Path(config.site_dir))

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.config.templates_dir))
        if self.config.content_dir:
            server.watch(str(self.content_dir))
        return server


# The SOURCE_DATE_EPOCH this process set itself; `mkdocs serve` makes a new plugin for
# each rebuild, so it lives here, not on the plugin.
_PINNED_EPOCH: list[str | None] = [None]


def _users_epoch() -> str | None:
    """SOURCE_DATE_EPOCH as the user set it (None if unset, or set by this plugin)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return None if value == _PINNED_EPOCH[0] else value


# What Pagefind leaves out of the index: the permalink signs beside headings.
SEARCH_IGNORES = ".headerlink"


def index_for_search(site_dir: Path) -> None:
    """Write Pagefind's search index into site_dir/pagefind/: it reads the built pages,
    the parts marked data-pagefind-body (see the theme's main.html), and nothing else."""
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site_dir),
        "--output-subdir", "pagefind", "--exclude-selectors", SEARCH_IGNORES, "--silent",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PluginError(f"could not run Pagefind to index the site for search: {exc}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise PluginError(f"Pagefind could not index the site for search:\n{output}")


def site_settings(config: MkDocsConfig, stale_after_days: int) -> SiteSettings:
    """What the generator needs of mkdocs.yml, and the build time from SOURCE_DATE_EPOCH."""
    return SiteSettings(
        site_name=config.site_name,
        site_url=config.site_url or "/",
        use_directory_urls=config.use_directory_urls,
        built=source_date(_users_epoch()),
        stale_after_days=stale_after_days,
    )


def navigation(generated: Generated, editor_pages: list[str]) -> list[Any]:
    """A short navigation: sections only. Paper pages stay out of it, since every page
    carries the whole navigation and a long one makes the build quadratic."""
    topics = [{escape(t.name): topic_path(t.slug)} for t in generated.digest.taxonomy.topics]
    nav: list[Any] = [{"Home": HOME}, {"Topics": [TOPICS, *topics]}, {"Issues": ISSUES}]
    collections = [{"Picks": PICKS}] if PICKS in generated.pages else []
    collections.append({"With code": WITH_CODE})
    collections += [{name: kind_path(kind)} for kind, name in KIND_NAMES.items()]
    nav.append({"Collections": collections})
    if UNSORTED in generated.pages:
        nav.append({"Unsorted": UNSORTED})
    return [*nav, {"Statistics": STATS}, *editor_pages, {"Status": STATUS}]
