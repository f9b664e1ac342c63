"""Problems as people and tools read them: text lines, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import replace

from newsgen.errors import Problem, Severity, display_path, one_line

FORMATS = ("text", "json", "github")
REPEATED = 3  # a warning that says the same of this many files is shown once, with the count
# Warnings about leftovers of another generator, the same in every file of an archive. Others (template syntax,
# broken links...) are always named file by file: each is a place an editor must look at.
COLLAPSIBLE = frozenset({"migrated-key", "unknown-key", "missing-dek", "list-page"})
# What json.dumps leaves raw in a string (it escapes only C0): DEL, C1 controls, the Unicode line separators.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def format_problems(problems: Sequence[Problem], style: str, each: Collection[str] | None = ()) -> str:
    """Every problem in `style`; repeated warnings once each unless their code is in `each` (None: all of them)."""
    shown = problems if each is None else collapse_repeats(problems, each)
    if style == "json":
        text = json.dumps([_as_dict(problem) for problem in shown], ensure_ascii=False, indent=2)
        # As \u escapes the values stay exact for a tool and the output stays plain lines for a log.
        return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"
    if style == "github":
        return "".join(_annotation(problem) + "\n" for problem in shown)
    lines = [problem.format(with_severity=True) for problem in shown]
    return "".join(line + "\n" for line in lines) + code_table(problems) + counts(problems) + "\n"


def collapse_repeats(problems: Sequence[Problem], each: Collection[str] = ()) -> list[Problem]:
    """Warnings that say the same thing of many files (an old generator's key, no dek) once, with how many files.

    Archives moved from another generator carry the same leftover key in
    thousands of files; one line per key keeps the warnings that matter
    visible. Codes in `each` are listed file by file all the same.
    """
    groups: defaultdict[tuple[str, str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.severity is Severity.WARNING and problem.code in COLLAPSIBLE and problem.code not in each:
            groups[(problem.code, problem.field, problem.message)].append(problem)
    shown: list[Problem] = []
    for problem in problems:
        group = groups.get((problem.code, problem.field, problem.message), [])
        if problem.severity is not Severity.WARNING or len(group) < REPEATED:
            shown.append(problem)
        elif problem is group[0]:
            shown.append(replace(problem, message=f"{problem.message} (in {len(group)} files; the first is named)"))
    return shown


def code_table(problems: Sequence[Problem]) -> str:
    """How many problems of each code, errors first, most frequent first: where an archive's trouble is."""
    found = Counter((problem.severity, problem.code) for problem in problems)
    if not found:
        return ""
    rows = sorted(found.items(), key=lambda item: (item[0][0] is not Severity.ERROR, -item[1], item[0][1]))
    width = max(len(code) for (_, code), _ in rows)
    return "Problems by code:\n" + "".join(
        f"  {severity.value:<8} {code:<{width}} {count:>6}\n" for (severity, code), count in rows
    )


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
    """Line breaks as the runner encodes them (it shows them); other control characters as text escapes."""
    return one_line(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
