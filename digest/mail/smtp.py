"""Sending email by SMTP: the network edge of the newsletter."""

from __future__ import annotations

import smtplib
import ssl
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
    if not port_text.isdigit():
        raise DigestError(f"DIGEST_SMTP_PORT must be a number, not {port_text!r}")
    return SmtpSettings(
        host,
        int(port_text),
        env.get("DIGEST_SMTP_USER", ""),
        env.get("DIGEST_SMTP_PASSWORD", ""),
        starttls,
    )


def send_mail(mail: EmailMessage, settings: SmtpSettings, timeout: float = 30) -> None:
    """Send one message; any failure is one line naming the server."""
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DigestError(f"cannot send through {where}: {exc}") from None
    except UnicodeEncodeError:  # smtplib logs in with ASCII only; say so, not where
        raise DigestError(
            f"cannot send through {where}: DIGEST_SMTP_USER and DIGEST_SMTP_PASSWORD must be "
            "ASCII (the SMTP login smtplib makes)"
        ) from None
