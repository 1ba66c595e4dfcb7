"""`digest newsletter`: an issue as an email, written to files or sent by SMTP."""

from __future__ import annotations

import os
import re
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import click

from ..errors import DigestError
from ..mail.newsletter import edition, message, week_edition
from ..mail.smtp import send_mail, smtp_settings
from ..pipeline import gather
from ..sources.content_folder import read_content
from ..write import cannot_write_is_an_error, write_if_changed
from .mkdocs_config import load_site_config
from .options import CONTENT_OPTION, out_must_be_outside_content, parse_day, templates_option


@click.command()
@click.argument("day", metavar="[YYYY-MM-DD]", required=False)
@click.option("--week", metavar="YYYY-Www", help="The weekly edition of this ISO week instead.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write digest-DAY.eml, .html and .txt (or digest-YYYY-Www.*) here "
    "(default: print the email).",
)
@click.option("--send", is_flag=True, help="Send it by SMTP (settings from DIGEST_SMTP_*).")
@click.option("--to", "to", help="The address to send to, with --send.")
@click.option("--site-url", help="The site's address for links (default: mkdocs.yml's site_url).")
@CONTENT_OPTION
@templates_option("The email templates.")
def newsletter(
    day: str | None,
    week: str | None,
    out_dir: Path | None,
    send: bool,
    to: str | None,
    site_url: str | None,
    content_dir: Path,
    templates_dir: Path,
) -> None:
    """Write the issue of DAY, or with --week a weekly edition, as an email (HTML and plain
    text), or send it.

    Picks come first, then the papers grouped by topic, each linking to its page. SMTP
    settings come from the environment: DIGEST_SMTP_HOST, DIGEST_SMTP_PORT,
    DIGEST_SMTP_USER, DIGEST_SMTP_PASSWORD, DIGEST_SMTP_STARTTLS (1 or 0) and
    DIGEST_SMTP_FROM.
    """
    if send and not to:
        raise DigestError("--send needs --to ADDRESS")
    if (day is None) == (week is None):
        raise DigestError("give one of the issue's day (YYYY-MM-DD) and --week YYYY-Www")
    if week is not None and not _is_week(week):
        raise DigestError(f"--week {week!r} is not a week: give it as YYYY-Www, like 2026-W12")
    if out_dir is not None:
        out_must_be_outside_content(out_dir, content_dir)
    digest, _ = gather(read_content(content_dir))
    url, directory_urls = _site(site_url)
    # Set but empty is what a workflow gives for a secret nobody set.
    sender = os.environ.get("DIGEST_SMTP_FROM") or "digest@localhost"
    for name, address in (("--to", to), ("DIGEST_SMTP_FROM", sender)):
        if address is None:
            continue
        if "\n" in address or "\r" in address:  # a second line would be another header
            raise DigestError(f"{name}: an address is one line, without line breaks")
        if "@" not in parseaddr(address)[1]:
            raise DigestError(f"{name}: {address!r} is not an email address")
    if week is not None:
        chosen = week_edition(digest, week, url, directory_urls)
    else:
        chosen = edition(digest, parse_day(day or "", "the day"), url, directory_urls)
    mail = message(chosen, templates_dir, sender, to or "")
    if out_dir is not None:
        with cannot_write_is_an_error(out_dir):
            out_dir.mkdir(parents=True, exist_ok=True)
            for suffix, data in _email_files(mail).items():
                write_if_changed(out_dir / f"digest-{chosen.key}{suffix}", data)
        click.echo(str(out_dir / f"digest-{chosen.key}.eml"))
    if send:
        send_mail(mail, smtp_settings(os.environ))
        click.echo(f"sent to {to}")
    elif out_dir is None:
        click.echo(mail.as_string())


def _site(given: str | None, config_file: Path = Path("mkdocs.yml")) -> tuple[str, bool]:
    """The site's address (--site-url, else mkdocs.yml's site_url with its !ENV default,
    else a local one) and whether its pages' addresses end in "/" (use_directory_urls)."""
    config = load_site_config(config_file)
    url = given or (config.site_url if config is not None else None) or "http://127.0.0.1:8000/"
    directory_urls = config.use_directory_urls if config is not None else True
    return (url if url.endswith("/") else url + "/"), directory_urls


def _email_files(mail: EmailMessage) -> dict[str, bytes]:
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    return {
        ".eml": mail.as_bytes(),
        ".txt": text.get_content().encode("utf-8") if text else b"",
        ".html": html.get_content().encode("utf-8") if html else b"",
    }


def _is_week(key: str) -> bool:
    """2026-W12: a week its year has (W53 only in some years)."""
    if not re.fullmatch(r"\d{4}-W\d{2}", key):
        return False
    try:
        date.fromisocalendar(int(key[:4]), int(key[6:]), 1)
    except ValueError:
        return False
    return True
