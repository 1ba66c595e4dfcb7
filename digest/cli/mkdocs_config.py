"""mkdocs.yml read the way MkDocs reads it, for commands that run outside a build."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import DigestError
from ..text import clean


def load_site_config(config_file: Path) -> Any:
    """The validated MkDocs configuration, or None when there is no such file.

    MkDocs logs each configuration problem before it gives up: they are collected, so
    the user sees one line rather than MkDocs's own log output.
    """
    if not config_file.is_file():
        return None
    from mkdocs.config import load_config  # only paid for when there is a config
    from mkdocs.exceptions import MkDocsException

    messages = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(messages)
    propagate, mkdocs_log.propagate = mkdocs_log.propagate, False
    try:
        return load_config(config_file=str(config_file))
    except MkDocsException as exc:
        reason = messages.first_error or clean(str(exc)) or "not a valid MkDocs configuration"
        raise DigestError(f"{config_file}: {reason}") from None
    finally:
        mkdocs_log.removeHandler(messages)
        mkdocs_log.propagate = propagate


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first_error = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR and not self.first_error:
            self.first_error = clean(record.getMessage())
