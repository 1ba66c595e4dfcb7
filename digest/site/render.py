"""Render page records to Markdown with YAML front matter, through Jinja2 templates."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache, partial
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2

from ..errors import DigestError, error
from ..model import SiteSettings
from ..papers.merge import slug_for
from ..papers.topics import reason_text
from ..text import clean, counted, safe_url, segments, teaser
from . import frontmatter
from .pages.paths import issue_path, org_path, page_url, paper_path, tag_path, topic_path
from .pages.records import PagePlan, record_of
from .pages.status import built_text

# Untrusted text keeps the characters that could start Markdown, HTML or extension syntax
# as numeric character references, which Markdown passes through and the browser shows as
# the very characters the listing had. At the start of a line any ASCII punctuation could
# (lists, headings, quotes, tables, admonitions, "1." lists after digits); within a line
# only these can (emphasis, code, links, HTML, entities, math, tables, attribute lists).
# The common ones, . , - ( ) ' " / : %, stay as they are there: each reference costs
# Python-Markdown a pattern match, and abstracts are full of them.
_PUNCTUATION = "!\"#$%&'()*+-./:<=>?@[\\]^_`{|}~"
_IN_LINE = "\\`*_[]<>&|$!#{}~^="
_ENTITIES = {c: f"&#{ord(c)};" for c in _PUNCTUATION}
# Python's re tries a pattern that starts with `^` at every position of the text, so the
# two cases are two patterns: one tried once at each line's start, and a character class
# (which re skips through in C) for the rest, three times faster on an abstract than one
# pattern of both. str.translate with a table of strings looks every character up in a
# dict, some ten times slower.
_AT_LINE_START = re.compile(rf"[ \t]*\d*[{re.escape(_PUNCTUATION)}]")
_WITHIN_LINE = re.compile(rf"[{re.escape(_IN_LINE)}]")


def _reference(match: re.Match[str]) -> str:
    return _ENTITIES[match.group()]


def _escaped(text: str) -> str:
    if "\n" in text:
        return "\n".join(map(_escaped_line, text.split("\n")))
    return _escaped_line(text)


def _escaped_line(line: str) -> str:
    start = _AT_LINE_START.match(line)
    if start is None:
        return _WITHIN_LINE.sub(_reference, line)
    end = start.end()  # the punctuation is its last character
    return line[: end - 1] + _ENTITIES[line[end - 1]] + _WITHIN_LINE.sub(_reference, line[end:])


def markdown_text(text: str) -> str:
    """Untrusted text as inline Markdown that renders to exactly that text; inline math
    becomes the markup pymdownx.arithmatex makes, which site/math.py draws as MathML."""
    out = []
    for segment in segments(text):
        if segment.is_math:
            tex = _escaped(f"\\({segment.text}\\)")
            out.append(f'<span class="arithmatex">{tex}</span>')
        else:
            out.append(_escaped(segment.text))
    return _unindented("".join(out))


def _unindented(text: str) -> str:
    """Indentation at a line's start would make a code block; HTML shows no such white
    space. Line by line, for the reason given at _AT_LINE_START."""
    if "\n" in text:
        return "\n".join(line.lstrip(" \t") for line in text.split("\n"))
    return text.lstrip(" \t")


def front_matter(meta: dict[str, Any]) -> str:
    return f"---\n{frontmatter.dump(meta)}---\n"


def environment(templates_dir: Path, settings: SiteSettings) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; untrusted text goes through `text`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment serves one build: no template changes under it
    )
    text = _remembered(markdown_text)
    env.filters.update(
        text=text,
        names=lambda topics: ", ".join(text(topic.name) for topic in topics),
        # The parts that are not empty, joined: `select | join` in one step.
        joined=lambda parts, separator: separator.join(part for part in parts if part),
        counted=counted,
        teaser=lru_cache(maxsize=None)(teaser),  # a teaser is shown on several lists
        url=safe_url,
        # Text shown as it is, math signs too (a file's name): no Markdown, HTML or TeX.
        literal=lambda text: _escaped(clean(text)),
        # A paper's title linking to its page: one filter call rather than a filter and two
        # calls, which Jinja makes through its context; it stands beside related papers
        # and in every list, 300,000 times at 50,000 papers.
        paper_link=lambda paper, href: f"[{text(paper.title)}]({href(paper_path(paper.slug))})",
        topic_link=lambda topic, href: (
            f"[{markdown_text(topic.name)}]({href(topic_path(topic.slug))})"
        ),
        issue_link=lambda pair, href: (
            f"[{pair[0].date.isoformat()}]({href(issue_path(pair[0].date))}) ({pair[1]})"
        ),
        reason=reason_text,
        tag_slug=slug_for,
        by_main_topic=by_main_topic,
    )
    env.globals.update(
        settings=settings,
        site_name=settings.site_name,
        paper_path=paper_path,
        topic_path=topic_path,
        issue_path=issue_path,
        org_path=org_path,
        tag_path=tag_path,
        built_text=built_text,
    )
    return env


def by_main_topic(items: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """Runs of list items with the same main topic, in order, each with its topic's name
    ("Unsorted" for none)."""
    runs = groupby(items, key=lambda item: item.topics[0].name if item.topics else "Unsorted")
    return [(name, list(run)) for name, run in runs]


def _remembered(function: Callable[[str], str], longest: int = 400) -> Callable[[str], str]:
    """The function, remembering its results for short texts: a title is written on its
    page, in lists and beside related papers, dozens of times in all; an abstract once."""
    remembered = lru_cache(maxsize=None)(function)
    return lambda text: remembered(text) if len(text) <= longest else function(text)


def relative_link(page_path: str, target: str) -> str:
    """A link from one page's Markdown source to another's, which MkDocs checks and maps."""
    return links_from(page_path)(target)


def links_from(page_path: str) -> Callable[[str], str]:
    """A page's `href`: relative_link from that page."""
    return _links_from(posixpath.dirname(page_path))


@cache
def _links_from(folder: str) -> Callable[[str], str]:
    """Pages sit in a handful of folders: one function each, made once."""
    return partial(_relative, folder)


# Pages sit in a handful of folders and link to the same topics, issues and papers from
# each: a paper is linked from its topics' and issues' lists and from related papers.
@lru_cache(maxsize=2**17)
def _relative(folder: str, target: str) -> str:
    """What posixpath.relpath gives, without the two calls to os.getcwd it makes per link:
    both paths are below the docs folder, so where that folder is cancels out."""
    start, path = _parts(folder), _parts(target)
    if start is None or path is None or not target:
        return posixpath.relpath(target, folder or ".")
    common = 0
    for a, b in zip(start, path, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + path[common:]) or "."


def urls_from(page_path: str, directory_urls: bool) -> Callable[[str], str]:
    """A page's `url_to`: the address of another page's source relative to this page's,
    as MkDocs writes a Markdown link to it, for HTML that MkDocs does not read."""
    return partial(_relative_url, page_url(page_path, directory_urls), directory_urls)


@lru_cache(maxsize=2**17)
def _relative_url(from_url: str, directory_urls: bool, target: str) -> str:
    """mkdocs.utils.get_relative_url's answer for two of the site's page addresses: the
    target's address relative to the page's folder (its address, less a file name)."""
    to_url = page_url(target, directory_urls)
    folder, _, name = from_url.rpartition("/")
    relative = _relative(folder if "." in name else from_url, to_url.rstrip("/") or ".")
    return relative + "/" if to_url.endswith("/") else relative


def _parts(path: str) -> list[str] | None:
    """A relative path's folders and name; None when '..' or a leading '/' would make the
    answer depend on the current folder."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return None if path.startswith("/") or ".." in parts else parts


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any], what: str) -> str:
    """Render one template; a mistake in it is one line naming the template's file and line."""
    template = load_template(env, name, what)
    try:
        return template.render(context)
    except jinja2.TemplateError as exc:
        where = _template_line(exc)
        raise DigestError(error(where[0] or name, where[1], f"{exc} (rendering {what})")) from None


def load_template(env: jinja2.Environment, name: str, what: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        raise DigestError(f"the template {name} is missing (rendering {what})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise DigestError(error(exc.filename or name, exc.lineno, exc.message or "")) from None


def render_page(env: jinja2.Environment, plan: PagePlan) -> str:
    page = record_of(plan)
    href = links_from(page.path)
    url_to = urls_from(page.path, env.globals["settings"].use_directory_urls)
    context = {
        **page.context, "page_path": page.path, "href": href, "url_to": url_to, "meta": page.meta
    }  # fmt: skip
    body = render_template(env, page.template, context, page.path)
    return front_matter(page.meta) + "\n" + body.strip() + "\n"


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error was raised from (the innermost frame)."""
    tb, found = exc.__traceback__, (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


class RenderedPages(Mapping[str, str]):
    """Every page's Markdown by path, rendered when asked for and not kept: at 50,000 papers
    the pages come to some 600 MB, and each is read once (by MkDocs, or to be written).

    Each template is loaded (so checked) at the start: a mistake in one stops the build
    before any page is read; a mistake that only some page's data meets shows when that
    page is rendered, naming the template's file and line all the same."""

    def __init__(self, env: jinja2.Environment, pages: Iterable[PagePlan]) -> None:
        self._env = env
        self._records = {page.path: page for page in pages}
        for page in {p.template: p for p in self._records.values()}.values():
            load_template(env, page.template, page.path)

    def __getitem__(self, path: str) -> str:
        return render_page(self._env, self._records[path])

    def title(self, path: str) -> str:
        """The page's title, as its front matter gives it, without rendering the page."""
        return str(record_of(self._records[path]).meta.get("title", ""))

    def __contains__(self, path: object) -> bool:
        return path in self._records  # never renders, unlike Mapping's own

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def render_all(env: jinja2.Environment, pages: Iterable[PagePlan]) -> RenderedPages:
    return RenderedPages(env, pages)
