"""Pure helpers for untrusted scraped text: cleaning, identity keys, math and links."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlsplit

from .errors import DigestError, error
from .model import Link

# Bidirectional controls, zero-width characters and other invisible format characters
# (Unicode category Cf) and control characters (Cc) let a title look like something
# else, so they never reach a page or a slug.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}


def _is_noncharacter(ch: str) -> bool:
    """One of Unicode's 66 noncharacters (U+FDD0 to U+FDEF, and the last two of every
    plane): never text, and U+FFFE and U+FFFF are not allowed in XML, so in no feed."""
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def clean(text: str) -> str:
    """Remove invisible characters and collapse white space to single spaces."""
    if text.isprintable():  # the common case: nothing invisible, no white space but " "
        # Most text is clean already: splitting every line of a listing into words to join
        # them again was the most of reading it.
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text
    kept: list[str] = []
    for at, ch in enumerate(text):
        if ch.isspace():
            kept.append(" ")
        elif _is_visible(ch) or _joins(text, at, kept):
            kept.append(ch)
    return " ".join("".join(kept).split())


def _is_visible(ch: str) -> bool:
    return unicodedata.category(ch) not in _INVISIBLE and not _is_noncharacter(ch)


# Invisible characters that are part of writing: a zero-width non-joiner or joiner between
# two letters of a script that uses them (Persian, the Indic scripts) or two emoji (a
# family, a rainbow flag), and the tags that spell a region after a black flag (Scotland).
# Between ASCII letters ("Goo<ZWJ>gle") they only hide one word in another: dropped.
_JOINERS = {"\u200c", "\u200d"}
_BLACK_FLAG, _TAGS = "\U0001f3f4", range(0xE0020, 0xE0080)


def _joins(text: str, at: int, kept: list[str]) -> bool:
    ch, before = text[at], kept[-1] if kept else ""
    if ord(ch) in _TAGS:
        return before == _BLACK_FLAG or (before != "" and ord(before) in _TAGS)
    after = text[at + 1 : at + 2]
    return ch in _JOINERS and all(
        side and not side.isascii() and not side.isspace() and _is_visible(side)
        for side in (before, after)
    )


def decode_utf8(path: str, data: bytes) -> str:
    """UTF-8 text without a BOM; an error names the file and the first bad byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid UTF-8 at byte offset {exc.start}: save the file as UTF-8"
        raise DigestError(error(path, line, message)) from None


def title_key(title: str) -> str:
    """Identity of a paper: NFKC, case-folded, punctuation and white space collapsed."""
    folded = unicodedata.normalize("NFKC", clean(title)).casefold()
    if folded.isascii():  # the common case, in one pass of C instead of one call per letter
        # (bytes.translate, with its table of 256 bytes, is several times faster than
        # str.translate, which looks every character up in a dict again on each call)
        words = folded.encode("ascii").translate(_ASCII_NOT_WORD).decode("ascii")
    else:
        words = "".join(ch if _is_word_char(ch) else " " for ch in folded)
    # A title of only punctuation or symbols is still itself, not nothing.
    return " ".join(words.split()) or folded


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


# A table for bytes.translate: a word character stays, any other byte becomes a space.
_ASCII_NOT_WORD = bytes(c if c < 128 and _is_word_char(chr(c)) else 32 for c in range(256))


# --- math -----------------------------------------------------------------------------

# Inline math as arithmatex reads it: $...$ (not $$, not "$5 and $10"), \(...\), \[...\].
# Every quantifier is bounded or over a class that excludes the delimiter, so a long
# adversarial line is scanned in linear time.
_MATH = re.compile(
    r"(?<![\\$])\$(?=[^\s$])([^$\n]{0,400}?[^\s$\\])\$(?![$\d])"
    r"|\\\(([^\n]{0,400}?)\\\)"
    r"|\\\[([^\n]{0,400}?)\\\]"
)


@dataclass(frozen=True)
class Segment:
    """A run of display text: plain text, or TeX to be shown as inline math."""

    text: str
    is_math: bool


def segments(text: str) -> tuple[Segment, ...]:
    """Split text into plain and math runs, applying TeX typography to the plain runs."""
    if "$" not in text and "\\" not in text:  # no math can start: the common case, at once
        return (Segment(_typography(text), False),) if text else ()
    out: list[Segment] = []
    pos = 0
    for match in _MATH.finditer(text):
        if match.start() > pos:
            out.append(Segment(_typography(text[pos : match.start()]), False))
        tex = next(g for g in match.groups() if g is not None)
        out.append(Segment(tex, True))
        pos = match.end()
    if pos < len(text):
        out.append(Segment(_typography(text[pos:]), False))
    return tuple(out)


_SINGLE_QUOTES = re.compile(r"`([^`'\s][^`']{0,200}?)'")


def _typography(text: str) -> str:
    """LaTeX ties become spaces and TeX quotes become typographic quotes."""
    text = text.replace("~", " ")
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    return _SINGLE_QUOTES.sub("\u2018\\1\u2019", text) if "`" in text else text


def plain_text(text: str) -> str:
    """Display text without markup: math kept as its TeX, everything else typographic."""
    if "$" not in text and "\\" not in text:  # segments' common case, without its objects
        return _typography(text)
    return "".join(seg.text if not seg.is_math else f"${seg.text}$" for seg in segments(text))


def counted(number: int, noun: str) -> str:
    """ "1 paper", "2 papers": a number with its noun."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def teaser(text: str, limit: int) -> str:
    """The first characters of a text, cut at a word boundary, with an ellipsis."""
    text = plain_text(text)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.") + "\u2026"


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of a text, at most `limit` characters."""
    text = plain_text(text)
    match = re.search(r"[.!?](?=\s+[A-Z(])", text[: limit + 1])
    sentence = text[: match.end()] if match else text
    return teaser(sentence, limit) if len(sentence) > limit else sentence


# --- links ----------------------------------------------------------------------------

# A URL runs until white space, a character that could break out of an attribute or a
# Markdown link, or the start of another URL glued to it ("...x.https://...").
_URL = re.compile(r"https?://(?:(?!https?://)[^\s<>\"'`{}|\\^\[\]])+", re.IGNORECASE)
_TRAILING = ".,;:!?*"
CODE_HOSTS = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "huggingface.co",
    "anonymous.4open.science",
)


def extract_links(text: str) -> tuple[Link, ...]:
    """Every http(s) link in the text, in order, once, tidied of trailing punctuation."""
    start = text.find("://")
    if start < 0:  # in every link; most abstracts have none, and this is one scan
        return ()
    seen: dict[str, Link] = {}
    # No link starts before "https" ahead of the first "://": the regular expression need
    # not try every position of the text before it (most of a long abstract).
    for match in _URL.finditer(text, max(0, start - len("https"))):
        url = _trim(match.group(0))
        host = _host(url)
        if "." not in host or url in seen:
            continue
        seen[url] = Link(url, _is_code_host(host))
    return tuple(seen.values())


def _host(url: str) -> str:
    """The host a browser goes to, as urllib reads it: "https://evil.example?@github.com"
    goes to evil.example, which the text before "@" would not say."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a bracketed host that is not an IPv6 address
        return ""


def _trim(url: str) -> str:
    # The parentheses are counted once and then kept up to date: counting them again for
    # every character trimmed made a URL ending in a long run of ")" take quadratic time.
    opened, closed, end = url.count("("), url.count(")"), len(url)
    while end and (url[end - 1] in _TRAILING or (url[end - 1] == ")" and opened < closed)):
        closed -= url[end - 1] == ")"
        end -= 1
    return url[:end]


def _is_code_host(host: str) -> bool:
    host = host.removeprefix("www.")
    return any(host == code or host.endswith("." + code) for code in CODE_HOSTS)


def quoter(safe: str, *, plus: bool = False) -> Callable[[str], str]:
    """urllib.parse.quote(text, safe), or quote_plus(text, safe) with `plus`, as one
    str.translate of the text's UTF-8 bytes by a table urllib itself makes: urllib's own
    loop makes a call per byte it quotes (a title's every space, say). A lone surrogate
    raises UnicodeEncodeError, as in urllib."""
    table = [quote_from_bytes(bytes([byte]), safe) for byte in range(256)]
    if plus:
        table[ord(" ")] = "+"

    def quoted(text: str) -> str:
        return text.encode("utf-8").decode("latin-1").translate(table)

    return quoted


_quote_url = quoter(":/?#=&%@+,;!$~._-")


def safe_url(url: str) -> str:
    """A URL that cannot break out of a Markdown link or an HTML attribute, for a Markdown
    link's target. Its "&" is written "&amp;": a browser reads a character reference in
    an attribute, so "&#64;" would make "github.com&#64;evil.example" a link to another
    host than the one it shows (Python-Markdown keeps a reference as written)."""
    return _quote_url(url).replace("&", "&amp;")
