"""Splitting a Markdown file into its YAML front matter and body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.errors import Problem
from newsgen.read.yamlsource import LineMap, parse_yaml

_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True)
class ParsedFile:
    data: dict[str, Any]
    lines: LineMap
    body: str
    body_line: int  # file line where the body starts


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a leading BOM is fine); otherwise a problem on the line of the bad byte."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        return None, [Problem(path, line, "file", message, code="encoding")]


def parse_file(text: str, path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    lines = text.splitlines(keepends=True)
    if lines and lines[0].rstrip() == "+++":
        message = "TOML front matter (+++) is not supported; convert it to YAML between '---' lines"
        return None, [Problem(path, 1, "front matter", message, code="front-matter")]
    if not lines or lines[0].rstrip() != _FENCE:
        return None, [
            Problem(path, 1, "front matter", "missing: the file must start with a '---' line", code="front-matter")
        ]
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in _CLOSERS), None)
    if closing is None:
        return None, [
            Problem(path, 1, "front matter", "not closed: add a '---' line after the last key", code="front-matter")
        ]
    yaml_text = "".join(lines[1:closing])
    data, line_map, problems = parse_yaml(yaml_text, path, 2, "front matter")
    if problems and data is None:
        return None, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [
            *problems,
            Problem(path, 2, "front matter", "must be a mapping of keys to values", code="front-matter"),
        ]
    body = "".join(lines[closing + 1 :])
    return ParsedFile(data, line_map, body, closing + 2), problems
