"""Sending email by SMTP: the network edge of the newsletter."""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage

from ..errors import DigestError


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    starttls: bool


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings:
    """Settings from DIGEST_SMTP_*; STARTTLS is on unless DIGEST_SMTP_STARTTLS is 0."""
    host = env.get("DIGEST_SMTP_HOST", "")
    if not host:
        raise DigestError("set DIGEST_SMTP_HOST (and DIGEST_SMTP_PORT, _USER, _PASSWORD) to send")
    starttls = env.get("DIGEST_SMTP_STARTTLS", "1").strip().lower() not in ("0", "false", "no")
    port_text = env.get("DIGEST_SMTP_PORT", "587" if starttls else "25")
    # A port past 65535 would wrap around to another one; "²" passes str.isdigit().
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
        raise DigestError(f"DIGEST_SMTP_PORT must be a port, 1 to 65535, not {port_text!r}")
    return SmtpSettings(
        host,
        int(port_text),
        env.get("DIGEST_SMTP_USER", ""),
        env.get("DIGEST_SMTP_PASSWORD", ""),
        starttls,
    )


def send_mail(mail: EmailMessage, settings: SmtpSettings, timeout: float = 30) -> None:
    """Send one message; any failure is one line naming the server. `timeout` bounds each
    wait for the server, and four times it the whole conversation."""
    where = f"{settings.host}:{settings.port}"
    smtp = smtplib.SMTP(timeout=timeout)
    # smtplib's timeout holds for each read, so a server that answers a byte at a time
    # could hold the send (and the daily workflow) for ever: past the deadline the
    # connection is shut, and the read waiting on it ends.
    late = threading.Event()
    deadline = threading.Timer(4 * timeout, _shut, (smtp, late))
    deadline.start()
    try:
        with smtp:
            code, said = smtp.connect(settings.host, settings.port)
            if code != 220:
                raise smtplib.SMTPConnectError(code, said)
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        if late.is_set():  # what the server said last was cut short: not its answer
            raise DigestError(
                f"cannot send through {where}: its answers took more than {4 * timeout:g} s in all"
            ) from None
        raise DigestError(f"cannot send through {where}: {_refusal(exc)}") from None
    except UnicodeEncodeError:  # smtplib logs in with ASCII only; say so, not where
        raise DigestError(
            f"cannot send through {where}: DIGEST_SMTP_USER and DIGEST_SMTP_PASSWORD must be "
            "ASCII (the SMTP login smtplib makes)"
        ) from None
    except UnicodeError:  # the host name's IDNA encoding ("smtp..example.org")
        raise DigestError(f"cannot send through {where}: not a host name") from None
    finally:
        deadline.cancel()


def _shut(smtp: smtplib.SMTP, late: threading.Event) -> None:
    late.set()
    if smtp.sock is not None:
        with contextlib.suppress(OSError):
            smtp.sock.shutdown(socket.SHUT_RDWR)


def _refusal(exc: Exception) -> str:
    """What the server said, in words: its code and text, not Python's repr of them."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"it refused {to}: {code} {_text(said)}" for to, (code, said) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"it refused the login: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc)


def _text(said: bytes | str) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else said
