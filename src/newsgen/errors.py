"""Problems found in a site's input, reported as `path:line: field: message`.

Every stage collects problems instead of raising on the first one, so that an
editor sees everything wrong with a build at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one input file."""

    path: Path
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = "invalid"  # stable name of the check, for tools reading `newsgen check --format json`

    def format(self, with_severity: bool = False) -> str:
        """`path:line: field: message`, warnings marked; `with_severity` marks errors too."""
        if with_severity or self.severity is Severity.WARNING:
            return f"{display_path(self.path)}:{self.line}: {self.severity.value}: {self.field}: {self.message}"
        return f"{display_path(self.path)}:{self.line}: {self.field}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        absolute = Path(os.path.abspath(path))
        return os.path.relpath(absolute) if absolute.is_relative_to(Path.cwd()) else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


class ContentError(Exception):
    """Raised when a build can't go on, with every problem found so far (warnings too)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.problems if problem.severity is Severity.ERROR)


def raise_if_errors(problems: list[Problem]) -> None:
    if any(problem.severity is Severity.ERROR for problem in problems):
        raise ContentError(problems)
