"""TOML front matter (Hugo's and Zola's `+++`) through tomllib, remembering the file line of every key.

tomllib gives values but no positions, so the lines are found by scanning
the text for `[table]` headers and `key =` lines (outside multi-line
strings), so that problems still say `path:line: field: message`. A syntax
error is placed on the line tomllib names. Nesting is held to the limit of
`limits.py`; tomllib recurses per level, so a nesting deeper than Python's
stack allows is refused the same way.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from newsgen.errors import Problem
from newsgen.read.limits import DEPTH_MESSAGE, too_deep
from newsgen.read.yamlsource import LineMap, YamlPath

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")
_TABLE = re.compile(rf"^\s*(\[\[?)\s*({_PART}(?:\s*\.\s*{_PART})*)\s*\]\]?\s*(?:#.*)?$")
_PARTS = re.compile(_PART)
_ERROR_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def parse_toml(text: str, path: Path, first_line: int, field_name: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse TOML whose first line is file line `first_line`: data (None when it can't be parsed), lines, problems."""
    line_map = LineMap(first_line)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _ERROR_LINE.search(message)
        line = first_line + int(found.group(1)) - 1 if found else first_line
        message = message[: found.start()] if found else message
        return None, line_map, [Problem(path, line, field_name, f"invalid TOML: {message}", code="toml")]
    except RecursionError:
        return None, line_map, [Problem(path, first_line, field_name, DEPTH_MESSAGE, code="limit")]
    if too_deep(data):
        return None, line_map, [Problem(path, first_line, field_name, DEPTH_MESSAGE, code="limit")]
    _record_lines(text, line_map)
    return data, line_map, []


def _record_lines(text: str, line_map: LineMap) -> None:
    """The line of every table and key, by path; the first line wins when a scan could be fooled."""
    table: YamlPath = ()
    array_counts: dict[YamlPath, int] = {}
    in_string: str | None = None  # the delimiter of the multi-line string being skipped
    for number, line in enumerate(text.splitlines(), start=line_map.first_line):
        if in_string is None and (header := _TABLE.match(line)):
            table = _key_path(header.group(2))
            if header.group(1) == "[[":  # an array of tables: each header starts the next item
                index = array_counts[table] = array_counts.get(table, -1) + 1
                line_map.lines.setdefault(table, number)
                table = (*table, index)
            _record(line_map, table, number)
            continue
        if in_string is None and (key := _KEY.match(line)):
            _record(line_map, (*table, *_key_path(key.group(1))), number)
        for delimiter in ('"""', "'''"):
            if line.count(delimiter) % 2 and in_string in (None, delimiter):
                in_string = None if in_string else delimiter


def _record(line_map: LineMap, key_path: YamlPath, number: int) -> None:
    for end in range(1, len(key_path) + 1):
        line_map.lines.setdefault(key_path[:end], number)


def _key_path(dotted: str) -> YamlPath:
    return tuple(_unquote(part) for part in _PARTS.findall(dotted))


def _unquote(part: str) -> str:
    if part.startswith('"'):
        return str(tomllib.loads(f"x = {part}")["x"])
    return part.strip("'")
