"""Problems found in a site's input, reported as `path:line: field: message`.

Every stage collects problems instead of raising on the first one, so that an
editor sees everything wrong with a build at once. A system error is one line
too, naming its file (`naming`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
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
        """`path:line: field: message` on one line, warnings marked; `with_severity` marks errors too.

        A file name or front-matter key may hold a line break or a terminal
        escape: written raw, it would start a line of its own, which the CI
        log reads as a workflow command (`::error ...`). It is escaped.
        """
        if with_severity or self.severity is Severity.WARNING:
            line = f"{display_path(self.path)}:{self.line}: {self.severity.value}: {self.field}: {self.message}"
        else:
            line = f"{display_path(self.path)}:{self.line}: {self.field}: {self.message}"
        return one_line(line)


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        absolute = Path(os.path.abspath(path))
        return os.path.relpath(absolute) if absolute.is_relative_to(Path.cwd()) else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


# Characters that break a line or steer a terminal (C0 and C1 controls, DEL, the Unicode line and paragraph
# separators), and lone surrogates, which can't even be printed.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str, keep: str = "") -> str:
    """`text` with every control character (but those in `keep`) written as an escape: `\\n`, `\\x1b`, `\\u2028`."""

    def escape(match: re.Match[str]) -> str:
        character = match.group()
        if character in keep:
            return character
        return _NAMED_ESCAPES.get(character) or (
            f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"
        )

    return _UNPRINTABLE.sub(escape, text)


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


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """An OSError raised inside names `path` when the system named no file.

    A write that finds the disk full fails with "No space left on device" and
    no file name (only opening a file names it): the message must say where.
    """
    try:
        yield
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
