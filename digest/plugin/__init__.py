"""The MkDocs adapter: runs the generator inside `mkdocs build` and `mkdocs serve`.

Its helpers beside it are the edge's IO: files.py, the generated pages as MkDocs files and
what a `--dirty` rebuild must redo; search.py, Pagefind run over the built site; cache.py
and kept.py, the rebuild cache; parked.py, pages' HTML between MkDocs' two passes;
old_site.py, the last build's site deleted meanwhile; settings.py, the plugin's options
and what the generator needs of mkdocs.yml.
"""

from __future__ import annotations

import threading
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..errors import DigestError, Severity
from ..pipeline import Generated, generate_from
from ..site.frame import light_frame
from ..site.html_blocks import put_back, set_aside
from ..site.math import with_mathml
from ..site.nav import navigation, paths_in
from ..site.pages.paths import pages_showing_editor_text
from ..site.pages.status import theme_facts
from ..sources.content_folder import PAGES_DIR, not_published, read_content
from .cache import DIGEST_CODE, PageCache, cache_folder, content_hash, site_key
from .files import Build, GeneratedFile, GeneratedPage, gone_since, icon_sprite_file, mark_changed
from .kept import KeptMarkdown, KeptMemo, generator_inputs
from .old_site import OldSite
from .parked import ParkedPages, unpacked
from .search import index_for_search, index_in_background
from .settings import DigestConfig, pin_build_date, site_settings

log = get_plugin_logger(__name__)
PAGES = f"{PAGES_DIR}/"
# The theme's template for a page whose HTML comes from the cache: it renders nothing.
REUSED_TEMPLATE = "digest-reused.html"


class DigestPlugin(BasePlugin[DigestConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.serving = self.dirty = False
        self.last_build = self.this_build = Build()
        self.built: Mapping[str, str | bytes] = {}  # a dirty build's generated files
        self.indexing: threading.Thread | None = None
        self.memo = KeptMemo()  # kept across `mkdocs serve` rebuilds, as this object is
        self.cache: PageCache | None = None
        self.markdown = KeptMarkdown(None, "")  # pages' Markdown hashes, kept if cached
        self.generated: Generated | None = None
        self.reused: dict[str, bytes] = {}  # this build's pages the cache had: entries
        self.keys: dict[str, str] = {}  # ... and the others' keys, to keep their HTML
        self.page_keys: dict[str, str] = {}  # every generated page's key, by its file
        self.reuses = 0
        self.html_blocks: dict[str, list[str]] = {}  # set aside from Markdown, by page
        self.parked = ParkedPages()  # pages' HTML between MkDocs' two passes
        self.in_navigation: dict[str, str] = {}  # each nav page's _nav_title, by source
        self.old_site = OldSite()  # the last build's site, deleted meanwhile

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup keeps this one plugin object across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = Path(self.config.content_dir or config.docs_dir)
        site_dir = Path(config.site_dir).resolve()
        if site_dir == self.content_dir.resolve() or self.content_dir.resolve() in site_dir.parents:
            raise PluginError(
                f"site_dir {config.site_dir} is inside the content folder: "
                "set site_dir in mkdocs.yml to a folder outside it"
            )
        self.nav_is_ours = config.nav is None
        self.memo.folder = cache_folder(config) if self.config.cache else None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        generated = self.generated = self._generate(config)
        for file in list(files):
            if not_published(file.src_uri) or file.src_uri in generated.pages:
                files.remove(file)
        config.extra["digest"] = theme_facts(self.settings)
        pin_build_date(generated.digest.newest_listing)
        if self.nav_is_ours:
            pages = sorted(
                f.src_uri for f in files.documentation_pages() if f.src_uri.startswith(PAGES)
            )
            config.nav = navigation(generated.digest.taxonomy, generated.pages, pages)
        # Only a dirty build asks which files changed, which needs every page rendered up
        # front; the others render each page as MkDocs reads it.
        pages = dict(generated.pages) if self.dirty else generated.pages
        self.built = ChainMap(generated.files, pages) if self.dirty else {}
        in_navigation = paths_in(config.nav)
        for path in pages:
            file = GeneratedFile.rendered(config, path, pages)
            files.append(file)
            if path not in in_navigation:
                GeneratedPage(None, file, config)
        for path, data in generated.files.items():
            files.append(GeneratedFile.generated(config, path, content=data))
        self.generated = generated.without_files()  # each file's data let go once written
        sprite = icon_sprite_file(config)
        if sprite is not None:
            files.append(sprite)
        return files

    def _generate(self, config: MkDocsConfig) -> Generated:
        try:
            self.settings = site_settings(config, self.config.stale_after_days)
            templates = Path(self.config.templates_dir)
            content, folder = read_content(self.content_dir), self.memo.folder
            inputs = generator_inputs(content, templates, self.settings) if folder else ""
            self.markdown = KeptMarkdown(folder, inputs)
            generated = generate_from(content, templates, self.settings, self.memo)
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

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """The site key (what every page shows besides its own content), once the
        navigation is known: the cache's pages are keyed by it, and a dirty build
        renders every page again when it changed."""
        self.cache, self.reused, self.keys, self.page_keys, self.reuses = None, {}, {}, {}, 0
        self.html_blocks, self.in_navigation, self.parked = {}, {}, ParkedPages()
        self.this_build = Build()
        if self.generated is None or not (self.config.cache or self.dirty):
            return nav
        self.in_navigation = {page.file.src_uri: self._nav_title(page) for page in nav.pages}
        editors = [f.src_uri for f in files if not isinstance(f, GeneratedFile)]
        site = site_key(config, list(self.in_navigation.values()), [DIGEST_CODE], editors)
        if self.config.cache:
            self.cache = PageCache(cache_folder(config), site)
            # An editor's words on a page may link to any generated page: keyed on them all.
            self.every_path = content_hash(*sorted(f.src_uri for f in files))
            self.editor_text = pages_showing_editor_text(self.generated.digest)
        if self.dirty:
            self.this_build = Build.of(site, self.built)
            changed = mark_changed(files, self.last_build, self.this_build)
            log.info("%d of %d generated pages and files changed", *changed)
        return nav

    def _generates(self, source: str) -> bool:
        """Whether this build's generator makes the page at source (not an editor)."""
        return self.generated is not None and source in self.generated.pages

    def _nav_title(self, page: Page) -> str:
        """What a page in the navigation shows every other page: a generated page's title
        (its front matter's), or all of an editor's page (its title may be its heading)."""
        if self._generates(page.file.src_uri):
            return self.generated.pages.title(page.file.src_uri)
        return page.file.content_string

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """A generated page's source (front matter and Markdown), keyed whole (by its
        hash) in the cache. A page the cache holds is not read at all: its source is
        empty, and MkDocs parses no front matter for it (a tenth of a build that renders no
        page); nor is it rendered, when the last build's generator had the same inputs."""
        source = page.file.src_uri
        if self.cache is None or not self._generates(source):
            return None
        kept = self.markdown.get(source)
        entry = self._entry(page, kept) if kept is not None else None
        if entry is None:  # a new page, or one whose entry is gone: rendered, keyed anew
            markdown = page.file.content_string
            self.markdown.rendered += 1
            entry = self._entry(page, content_hash(markdown))
            if entry is None:
                self.keys[source] = self.page_keys[page.file.dest_uri]
                return markdown
        self.reused[source] = entry
        self.reuses += 1
        if isinstance(page, GeneratedPage):
            page.reused = True
        return ""

    def _entry(self, page: Page, markdown_hash: str) -> bytes | None:
        """The cache's entry for the page if its Markdown has this hash; its key noted."""
        source = page.file.src_uri
        self.markdown.add(source, markdown_hash)
        linked = self.every_path if source in self.editor_text else ""
        key = self.page_keys[page.file.dest_uri] = self.cache.key(source, markdown_hash, linked)
        return self.cache.get(key)

    def on_page_markdown(self, markdown: str, page: Page, **kwargs: Any) -> str:
        """A page from the cache renders nothing (on_post_page writes its HTML); only the
        navigation shows its title elsewhere. Any other generated page's ready-made HTML
        is set aside from Markdown."""
        source = page.file.src_uri
        if not self._generates(source):
            return markdown
        if source in self.reused:
            page.meta = {"template": REUSED_TEMPLATE}
            if source in self.in_navigation:
                page.meta["title"] = self.in_navigation[source]
            return ""
        markdown, self.html_blocks[source] = set_aside(markdown)
        return markdown

    def _page_content(self, html: str, page: Page, **kwargs: Any) -> str:
        # MkDocs keeps every page's Markdown until the build ends; nothing reads it again.
        # Emptied, not None: MkDocs names a page whose Markdown is None "None" in the
        # navigation of every page built after it.
        page.markdown = ""
        html = put_back(html, self.html_blocks.pop(page.file.src_uri, []))
        return with_mathml(html)  # math drawn now: no script on the page draws it

    @event_priority(-100)  # last: every other plugin has had the HTML
    def _set_aside(self, html: str, page: Page, **kwargs: Any) -> str:
        """A generated page's HTML, compressed until its template is rendered (an editor's
        page stays as it is: another plugin may read it meanwhile, a blog's excerpts)."""
        if not self._generates(page.file.src_uri):
            return html
        return self.parked.park(page, html)

    on_page_content = CombinedEvent(_page_content, _set_aside)

    @event_priority(100)  # first: every other plugin finds the HTML where it was
    def on_page_context(self, context: Any, page: Page, **kwargs: Any) -> Any:
        self.parked.give_back(page)
        return context

    def on_post_page(self, output: str, page: Page, **kwargs: Any) -> str:
        # MkDocs keeps every page's HTML until the build ends; the page is written now.
        page.content = None
        source = page.file.src_uri
        if source in self.reused:
            return unpacked(self.reused.pop(source))
        output = light_frame(output)
        key = self.keys.pop(source, None)
        if key is not None and self.cache is not None:
            self.cache.put(key, output)
        return output

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._wait_for_search_index()  # before MkDocs cleans or rewrites the site
        if not self.dirty:
            self.old_site.move_aside(Path(config.site_dir))

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.old_site.wait()  # the site holds only this build's files from here on
        if self.dirty:  # ... a dirty build's too, once the pages it no longer makes are gone
            for gone in gone_since(self.last_build, self.this_build, config.use_directory_urls):
                (Path(config.site_dir) / gone).unlink(missing_ok=True)
        self.last_build = self.this_build
        if self.cache is not None:
            pages = len(self.generated.pages) if self.generated else 0
            log.info(
                "%d of %d generated pages written from the cache; %d pages' Markdown made",
                self.reuses, pages, self.markdown.rendered,
            )  # fmt: skip
            if not self.dirty:  # a dirty build skips the pages it keeps: their entries stay
                self.cache.drop_unused()
                self.markdown.save()
        if not self.config.search:
            return
        site = (
            Path(config.site_dir),
            cache_folder(config) if self.config.cache else None,
            self.page_keys,
        )
        if not self.serving:
            index_for_search(*site)
            return
        # Serving, the page reloads as soon as it is built; search catches up a moment later.
        self.indexing = threading.Thread(target=index_in_background, args=site)
        self.indexing.start()

    def on_shutdown(self) -> None:
        self._wait_for_search_index()
        self.old_site.wait()

    def on_build_error(self, **kwargs: Any) -> None:
        self.old_site.wait()

    def _wait_for_search_index(self) -> None:
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.config.templates_dir))
        if self.config.content_dir:
            server.watch(str(self.content_dir))
        return server
