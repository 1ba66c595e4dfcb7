"""One small hierarchy of the problems a user can cause, each tied to a file and line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the user's content: shown as `path:line: severity: message`."""

    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message}"


def error(path: str, line: int | None, message: str) -> Problem:
    return Problem(path, line, Severity.ERROR, message)


def warning(path: str, line: int | None, message: str) -> Problem:
    return Problem(path, line, Severity.WARNING, message)


class DigestError(Exception):
    """A user's mistake the build cannot go on from; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("digest", None, Severity.ERROR, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
