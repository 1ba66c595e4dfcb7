"""Material's icons in one file, the sprite, rather than written out in every page.

Material writes each icon of its page frame (logo, menu, palette, search, back to top)
into every page as a whole SVG: some 2.8 KB of a paper page. The site's theme folder
(site_templates/theme/.icons/) overrides those icons by name with a reference to a symbol
of assets/icons.svg, about 80 bytes each; the browser fetches the sprite once. The digest
plugin makes the sprite from Material's own icon files, so it draws exactly Material's
icons, of the Material version installed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

SPRITE = "assets/icons.svg"
ICONS_DIR = ".icons"  # where a theme keeps its icons, by set and name

_SVG = re.compile(r"<svg\b([^>]*)>(.*)</svg>", re.S)
_VIEW_BOX = re.compile(r'\bviewBox="([^"]*)"')


def symbol_id(icon: str) -> str:
    """The symbol an icon is in the sprite: `material/magnify.svg` -> `material-magnify`."""
    path = PurePosixPath(icon)
    return "-".join((*path.parent.parts, path.stem))


def icon_sprite(icons: Mapping[str, str]) -> str:
    """The sprite of the icons (each theme's SVG by its path under .icons/), by path."""
    symbols = []
    for icon, svg in sorted(icons.items()):
        found = _SVG.search(svg)
        view_box = _VIEW_BOX.search(found.group(1)) if found else None
        if found is None or view_box is None:
            raise ValueError(f"{icon}: not an icon with a viewBox")
        symbols.append(
            f'<symbol id="{symbol_id(icon)}" viewBox="{view_box.group(1)}">'
            f"{found.group(2)}</symbol>"
        )
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"
