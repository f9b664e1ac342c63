"""Problems as people and tools read them: text lines, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from newsgen.errors import Problem, Severity, display_path

FORMATS = ("text", "json", "github")


def format_problems(problems: Sequence[Problem], style: str) -> str:
    if style == "json":
        return json.dumps([_as_dict(problem) for problem in problems], ensure_ascii=False, indent=2) + "\n"
    if style == "github":
        return "".join(_annotation(problem) + "\n" for problem in problems)
    lines = [problem.format(with_severity=True) for problem in problems]
    return "".join(line + "\n" for line in lines) + counts(problems) + "\n"


def counts(problems: Sequence[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def _as_dict(problem: Problem) -> dict[str, object]:
    return {
        "path": display_path(problem.path),
        "line": problem.line,
        "severity": problem.severity.value,
        "code": problem.code,
        "field": problem.field,
        "message": problem.message,
    }


def _annotation(problem: Problem) -> str:
    """`::error file=…,line=…,title=…::message`, escaped as the GitHub Actions runner expects."""
    properties = f"file={_escape_property(display_path(problem.path))},line={problem.line},title={_escape_property(problem.field)}"
    return f"::{problem.severity.value} {properties}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
