"""What a line of a listing is: a date with upvotes, an author count, a separator, a title
or an abstract. Pure tests on one line's text, for the reader in listings.py."""

from __future__ import annotations

import re
from datetime import date

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Upvotes as the page prints them: 57, 1,234 or 1.2k (1.2K, copied from some browsers).
COUNT = r"\d{1,3}(?:,\d{3}){1,2}|\d{1,7}|\d{1,4}(?:\.\d)?[kK]"  # below a billion
DATE = re.compile(
    r"^(" + "|".join(MONTHS) + r")[a-z]{0,6}\.? (\d{1,2})(?:, ?(\d{4}))?(?: (" + COUNT + r"))?$",
    re.IGNORECASE,
)
UPVOTES = re.compile(rf"^(?:{COUNT})$")
AUTHORS = re.compile(r"^(?:[•·] ?)?(\d{1,5}) authors?$")
SEPARATOR = re.compile(r"^[·•]$")
# A card's details on one line, as some copies give them: "Org Org · 12 authors · Mar 16 40".
JOINED = re.compile(r"\s+[·•]\s+")
ALWAYS_BOILERPLATE = re.compile(
    r"^(?:Get trending papers in your email inbox.{0,40}|by ?AK and the research community)$"
)
HEADER_BOILERPLATE = {"new", "Subscribe", "Daily Papers", "Trending Papers"}
GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[^a-z\s])")
# A line reads as a sentence when it ends as one (or is cut short with "…"), or has two;
# Chinese and Japanese end theirs with full-width marks (a full stop, exclamation or
# question mark, and closing brackets) and need no space after them.
SENTENCE_END = re.compile(
    r"[.!…\u3002\uff0e\uff01]['\")\]\u300d\u300f\uff09]?$|[.?!]\s+[A-Z]|[\u3002\uff01\uff1f]\s*\S"
)


def looks_like_title(line: str) -> bool:
    """Titles are short and do not read as sentences; abstracts do."""
    return len(line) <= 250 and not SENTENCE_END.search(line)


def looks_like_abstract(line: str) -> bool:
    return len(line) > 250 and bool(SENTENCE_END.search(line))


def upvote_count(shown: str) -> int:
    """Upvotes as printed: "1,234" is 1234, "1.2k" 1200."""
    if shown[-1] in "kK":
        return round(float(shown[:-1]) * 1000)
    return int(shown.replace(",", ""))


def organization_of(line: str) -> str:
    """The page prints an organisation's logo label and then its name: 'X X' means X."""
    words = line.split(" ")
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return line


def latest_not_after(month: int, day: int, issue: date) -> date | None:
    """A date printed without a year is the latest such date not after the listing's."""
    for year in range(issue.year, issue.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= issue:
            return candidate
    raise ValueError("no such date")


def joined_details(text: str) -> list[str] | None:
    """A line holding a card's details (its organisation, author count, date and upvotes)
    joined by dots, as its parts; None for any other line. Every part after the first must
    be an author count or a date, so a title with a dot in it stays a title."""
    parts = JOINED.split(text)
    later = parts[1:]
    if later and all(AUTHORS.match(part) or DATE.match(part) for part in later):
        return parts
    return None


def split_lines(text: str) -> list[str]:
    """Lines ended by CR LF, CR or LF, as re.split(r"\r\n|\r|\n") reads them, faster."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")
