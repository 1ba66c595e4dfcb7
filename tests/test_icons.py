"""Material's icons drawn from one sprite: every page's icons found, and drawn as Material's."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import material

from digest.site.icons import SPRITE, symbol_id
from digest.tools.screenshots import serve

from conftest import ROOT, stay_on_this_site

MATERIAL_ICONS = Path(material.__file__).parent / "templates" / ".icons"
OWN_ICONS = ROOT / "site_templates" / "theme" / ".icons"


def sprite_symbols(site: Path) -> dict[str, str]:
    sprite = (site / SPRITE).read_text(encoding="utf-8")
    return dict(re.findall(r'<symbol id="([^"]+)"[^>]*>(.*?)</symbol>', sprite, re.S))


def test_every_icon_of_every_page_is_in_the_sprite(built_site: Path) -> None:
    symbols = sprite_symbols(built_site)
    pages = list(built_site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        address = "/" + page.relative_to(built_site).as_posix()  # the site is at /
        for href in re.findall(r'<use href="([^"]+)"', html):
            target, _, symbol = urljoin(address, href).removeprefix("/").partition("#")
            assert target == SPRITE and symbol in symbols, (address, href)
    # No page writes an icon out: a paper page has no drawing of its own.
    paper = next((built_site / "papers").glob("*/index.html")).read_text(encoding="utf-8")
    assert paper.count("<use href=") >= 7 and "<path" not in paper


# Every icon of a page as the browser has it, those its scripts add (the search box's) too.
USED_ICONS = "() => [...document.querySelectorAll('use')].map((use) => use.href.baseVal)"


def test_icons_a_script_draws_are_in_the_sprite(built_site: Path, browser) -> None:
    symbols = sprite_symbols(built_site)
    paper = next((built_site / "papers").glob("*/index.html")).parent.name
    with serve(built_site) as url:
        page = browser.new_page()
        stay_on_this_site(page)
        page.goto(f"{url}papers/{paper}/", wait_until="networkidle")
        page.locator(".md-search__form").wait_for(state="attached")
        used = [urljoin(page.url, href) for href in page.evaluate(USED_ICONS)]
        page.close()
    assert len(used) >= 10, used  # the frame's 7 and the search box's 3
    for address in used:
        target, _, symbol = address.partition("#")
        assert target == f"{url}{SPRITE}" and symbol in symbols, address


def test_the_sprite_draws_materials_own_icons(built_site: Path) -> None:
    symbols = sprite_symbols(built_site)
    own = sorted(p.relative_to(OWN_ICONS).as_posix() for p in OWN_ICONS.rglob("*.svg"))
    assert len(own) >= 8 and sorted(symbols) == sorted(symbol_id(icon) for icon in own)
    for icon in own:
        original = (MATERIAL_ICONS / icon).read_text(encoding="utf-8")
        assert symbols[symbol_id(icon)] in original, icon
        # Each of the theme's icons points at its own symbol.
        assert f'#{symbol_id(icon)}"' in (OWN_ICONS / icon).read_text(encoding="utf-8")


# Where an icon's drawing lies in its box, as the browser draws it: its shape's bounding
# box (the path's, or the symbol's through `use`), and the colour it is filled with.
DRAWN = """(svg) => {
  const shape = svg.querySelector("path, use");
  const box = shape.getBBox();
  const fill = getComputedStyle(svg.querySelector("use") ? svg : shape).fill;
  return [svg.getBoundingClientRect().width, box.x, box.y, box.width, box.height, fill];
}"""


def test_a_sprites_icon_is_drawn_as_materials(built_site: Path, browser, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / SPRITE).write_bytes((built_site / SPRITE).read_bytes())
    rows = []
    for symbol in sorted(sprite_symbols(built_site)):
        inline = (MATERIAL_ICONS / f"{symbol.replace('-', '/', 1)}.svg").read_text("utf-8")
        used = f'<svg viewBox="0 0 24 24"><use href="{SPRITE}#{symbol}"></use></svg>'
        rows.append(f'<p id="{symbol}">{inline.strip()}{used}</p>')
    style = "svg{width:96px;height:96px;fill:currentcolor;color:#3f51b5}"
    page_html = f"<!doctype html><style>{style}</style>{''.join(rows)}"
    (tmp_path / "index.html").write_text(page_html, encoding="utf-8")
    with serve(tmp_path) as url:
        page = browser.new_page()
        stay_on_this_site(page)
        page.goto(url, wait_until="networkidle")
        for row in page.locator("p").all():
            inline, used = (svg.evaluate(DRAWN) for svg in row.locator("svg").all())
            assert inline == used, row.get_attribute("id")
            assert inline[0] == 96 and inline[3] > 10 and inline[5] == "rgb(63, 81, 181)"
        page.close()
