"""The email edition: its two parts, its order, and a real send to an SMTP server."""

from __future__ import annotations

import email
import json
import os
import re
import socket
import subprocess
import sys
import threading
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from digest.errors import DigestError
from digest.mail.smtp import SmtpSettings, send_mail

from conftest import copy_project, free_port

DAY = "2026-03-24"


def digest_cli(project: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=project, capture_output=True, text=True,
        timeout=300, env={**os.environ, **(env or {})},
    )  # fmt: skip


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EmailMessage]:
    project = copy_project(tmp_path_factory.mktemp("mail"))
    out = project / "out"
    result = digest_cli(
        project, "newsletter", DAY, "--out", "out", "--site-url", "https://d.example/"
    )
    assert result.returncode == 0, result.stderr
    eml = out / f"digest-{DAY}.eml"
    assert result.stdout.strip().endswith(f"digest-{DAY}.eml")
    return out, email.message_from_bytes(eml.read_bytes(), policy=default)


def test_the_email_has_a_text_and_an_html_part(written) -> None:
    out, mail = written
    assert mail["Subject"].startswith(f"digest: the issue of {DAY}")
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "https://d.example/papers/" in text and "https://d.example/papers/" in html
    assert (out / f"digest-{DAY}.txt").read_text(encoding="utf-8") == text
    assert (out / f"digest-{DAY}.html").read_text(encoding="utf-8") == html


def test_writing_the_edition_again_leaves_its_files_as_they_were(written) -> None:
    """The parts' boundary was drawn at random: the .eml changed on every run."""
    out, _ = written
    files = sorted(out.glob(f"digest-{DAY}.*"))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    umask = os.umask(0)
    os.umask(umask)
    assert len(files) == 3  # each with the mode `open` gives a new file, not only its owner's
    assert all(f.stat().st_mode & 0o777 == 0o666 & ~umask for f in files)
    result = digest_cli(
        out.parent, "newsletter", DAY, "--out", "out", "--site-url", "https://d.example/"
    )
    assert result.returncode == 0, result.stderr
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before


def test_the_html_part_is_safe_for_mail_clients(written) -> None:
    _, mail = written
    parser = Tags()
    parser.feed(mail.get_body(("html",)).get_content())
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "img", "style", "iframe"}
    assert all(not any(a.startswith("on") for a in attrs) for _, attrs in parser.tags)
    styled = [tag for tag, attrs in parser.tags if attrs.get("style")]
    assert len(styled) > 10  # inline styles carry the look


def test_picks_come_first_then_papers_by_topic(written) -> None:
    _, mail = written
    text = mail.get_body(("plain",)).get_content()
    lines = text.splitlines()
    sections = [line for line, under in pairwise(lines) if set(under) == {"-"}]
    assert sections[0] == "Editor's picks"
    assert text.index("Scaling Laws for Neural Language Models") < text.index(sections[1])
    assert len(sections) > 3


def test_a_day_without_an_issue_is_one_line(tmp_path: Path) -> None:
    result = digest_cli(copy_project(tmp_path), "newsletter", "2030-01-01")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("digest: error: no issue dated 2030-01-01")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def test_send_delivers_both_parts_to_a_real_smtp_server(tmp_path: Path) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {
            "DIGEST_SMTP_HOST": "127.0.0.1",
            "DIGEST_SMTP_PORT": str(port),
            "DIGEST_SMTP_STARTTLS": "0",
            "DIGEST_SMTP_FROM": "editors@d.example",
        }
        project = copy_project(tmp_path)
        result = digest_cli(
            project, "newsletter", DAY, "--send", "--to", "reader@d.example", env=env
        )
        assert result.returncode == 0, result.stderr
    finally:
        controller.stop()
    ((sender, recipients, content),) = inbox.messages
    assert (sender, recipients) == ("editors@d.example", ["reader@d.example"])
    mail = email.message_from_bytes(content, policy=default)
    assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
    assert mail["To"] == "reader@d.example"


def test_send_without_a_server_is_one_line(tmp_path: Path) -> None:
    env = {"DIGEST_SMTP_HOST": "127.0.0.1", "DIGEST_SMTP_PORT": "9", "DIGEST_SMTP_STARTTLS": "0"}
    result = digest_cli(
        copy_project(tmp_path), "newsletter", DAY, "--send", "--to", "a@b.c", env=env
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("digest: error: cannot send through 127.0.0.1:9")


def test_a_login_that_smtplib_cannot_send_is_one_line(tmp_path: Path) -> None:
    """A password with "ä" was a traceback (smtplib logs in with ASCII only)."""
    port = free_port()
    controller = Controller(
        Inbox(), hostname="127.0.0.1", port=port, auth_require_tls=False,
        authenticator=lambda *args: AuthResult(success=False),
    )  # fmt: skip
    controller.start()
    try:
        env = {
            "DIGEST_SMTP_HOST": "127.0.0.1", "DIGEST_SMTP_PORT": str(port),
            "DIGEST_SMTP_STARTTLS": "0", "DIGEST_SMTP_USER": "editor",
            "DIGEST_SMTP_PASSWORD": "p\u00e4sswort",
        }  # fmt: skip
        result = digest_cli(
            copy_project(tmp_path), "newsletter", DAY, "--send", "--to", "a@b.c", env=env
        )
    finally:
        controller.stop()
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "must be ASCII" in line and "p\u00e4ss" not in line


def test_the_links_follow_mkdocs_yml_when_pages_end_in_html(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nuse_directory_urls: false\n", "utf-8")
    result = digest_cli(
        project, "newsletter", DAY, "--out", "out", "--site-url", "https://d.example/"
    )
    assert result.returncode == 0, result.stderr
    text = (project / "out" / f"digest-{DAY}.txt").read_text("utf-8")
    links = re.findall(r"https://d\.example/\S+", text)
    assert links and all(link.endswith(".html") for link in links), links


def test_the_weekly_edition_has_every_paper_of_its_issues_once(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = digest_cli(
        project, "newsletter", "--week", "2026-W13", "--out", "out",
        "--site-url", "https://d.example/",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("digest-2026-W13.eml")
    mail = email.message_from_bytes(
        (project / "out" / "digest-2026-W13.eml").read_bytes(), policy=default
    )
    assert mail["Subject"].startswith("digest: the week 2026-W13 (")
    text = mail.get_body(("plain",)).get_content()
    assert "Read it on the site: https://d.example/weeks/2026-W13/" in text
    listed = json.loads(digest_cli(project, "list", "--json").stdout)
    week = {p["slug"] for p in listed if {"2026-03-23", "2026-03-24"} & set(p["issues"])}
    week -= {p["slug"] for p in listed if p["hidden"]}
    urls = [line.strip() for line in text.splitlines() if "https://d.example/papers/" in line]
    assert sorted(u.rstrip("/").rsplit("/", 1)[1] for u in urls) == sorted(week)  # each once
    lines = text.splitlines()
    sections = [line for line, under in pairwise(lines) if set(under) == {"-"}]
    assert sections[0] == "Editor's picks"
    assert text.index("Scaling Laws for Neural Language Models") < text.index(sections[1])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--week", "2031-W01"], "no issue in the week 2031-W01"),
        (["--week", "2026-13"], "is not a week: give it as YYYY-Www"),
        (["--week", "2026-W00"], "is not a week: give it as YYYY-Www"),
        (["--week", "2025-W53"], "is not a week: give it as YYYY-Www"),  # 2025 has 52
        (["2026-03-23"], "no issue dated 2026-03-23 (the newest: 2026-03-24, 2026-03-20,"),
        ([DAY, "--out", "content/mail"], "is inside the content folder"),
        ([DAY, "--week", "2026-W13"], "give one of the issue's day"),
        ([], "give one of the issue's day"),
    ],
)
def test_a_wrong_week_is_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    result = digest_cli(copy_project(tmp_path), "newsletter", *args)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("digest: error: ") and says in line, line


class Refusing(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, options) -> str:
        return "550 5.1.1 <x> mailbox unavailable"


def send_through(tmp_path: Path, handler: Inbox, env: dict[str, str], to: str = "a@b.c"):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {"DIGEST_SMTP_HOST": "127.0.0.1", "DIGEST_SMTP_PORT": str(port),
               "DIGEST_SMTP_STARTTLS": "0", **env}  # fmt: skip
        return digest_cli(copy_project(tmp_path), "newsletter", DAY, "--send", "--to", to, env=env)
    finally:
        controller.stop()


def test_an_empty_sender_is_the_default_one(tmp_path: Path) -> None:
    """A workflow gives an unset secret as an empty value: it was a traceback."""
    inbox = Inbox()
    result = send_through(tmp_path, inbox, {"DIGEST_SMTP_FROM": ""})
    assert result.returncode == 0, result.stderr
    ((sender, recipients, _),) = inbox.messages
    assert (sender, recipients) == ("digest@localhost", ["a@b.c"])


@pytest.mark.parametrize(
    ("env", "to", "says"),
    [
        ({"DIGEST_SMTP_PORT": "\u00b2"}, "a@b.c", "DIGEST_SMTP_PORT must be a port"),
        ({"DIGEST_SMTP_PORT": "84282"}, "a@b.c", "DIGEST_SMTP_PORT must be a port"),
        ({"DIGEST_SMTP_HOST": "smtp..example.org"}, "a@b.c", "not a host name"),
        ({"DIGEST_SMTP_FROM": "not an address"}, "a@b.c", "is not an email address"),
        ({}, "   ", "--to: '   ' is not an email address"),
        ({}, "a@b.c", "it refused a@b.c: 550 5.1.1 <x> mailbox unavailable"),
    ],
    ids=["superscript-port", "port-past-65535", "bad-host", "bad-sender", "blank-to", "550"],
)
def test_a_send_that_cannot_be_is_one_clear_line(
    tmp_path: Path, env: dict[str, str], to: str, says: str
) -> None:
    result = send_through(tmp_path, Refusing(), env, to)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("digest: error: ") and says in line, line


def test_a_server_that_answers_a_byte_at_a_time_is_given_up_on() -> None:
    """Each byte comes within smtplib's timeout, so only a deadline for the whole
    conversation stops the send (and the workflow that runs it) from waiting for ever."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    done = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            while not done.wait(0.1):
                connection.sendall(b"2")

    threading.Thread(target=trickle, daemon=True).start()
    settings = SmtpSettings("127.0.0.1", port, "", "", starttls=False)
    outcome: list[BaseException] = []

    def send() -> None:
        try:
            send_mail(EmailMessage(), settings, timeout=0.5)
        except BaseException as exc:
            outcome.append(exc)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(30)
    done.set()
    listener.close()
    assert not sender.is_alive(), "the send still waits for the server"
    (error,) = outcome
    assert isinstance(error, DigestError)
    said = f"cannot send through 127.0.0.1:{port}: its answers took more than 2 s in all"
    assert str(error).endswith(said), error
