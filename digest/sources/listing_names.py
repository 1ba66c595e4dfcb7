"""What a listing file's name says: the date of the issue it lists."""

from __future__ import annotations

import re
from datetime import date

from ..errors import DigestError, error

NAME_RULE = (
    "listing files are named YYYY-MM-DD-name.txt (or .json from the API), "
    "the date being the listing's issue date"
)
_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[^/\\]+\.(?:txt|json)$")


def listing_date(name: str, path: str = "") -> date:
    """The issue date a listing file's name gives, or a DigestError naming the rule."""
    path = path or name
    match = _NAME.match(name)
    if not match:
        raise DigestError(error(path, None, f"{_name_mistake(name)}: {NAME_RULE}"))
    try:
        day = date(*map(int, match.groups()))
    except ValueError:
        raise DigestError(
            error(path, None, f"not a real date in the file name: {NAME_RULE}")
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DigestError(
            error(path, None, f"the year must be {FIRST_YEAR} to {LAST_YEAR}: {NAME_RULE}")
        )
    return day


# Years past these are typing mistakes ("0206" or "2206" for 2026): arXiv began in 1991,
# and the build's date is the newest listing's, which gzip (the sitemap's) can hold only
# from 1970 to 2106.
FIRST_YEAR, LAST_YEAR = 1991, 2099


def _name_mistake(name: str) -> str:
    """What is wrong with a listing's file name, in words."""
    if not re.match(r"\d{4}-\d{2}-\d{2}", name):
        return "no date prefix in the file name"
    if not name.endswith((".txt", ".json")):
        return "not a .txt or .json file"
    return "no name after the date in the file name"
