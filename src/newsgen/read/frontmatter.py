"""Splitting a Markdown file into its front matter and body.

Front matter is YAML between `---` lines (newsgen's own, Jekyll's, Hugo's),
TOML between `+++` lines (Hugo's, Zola's) or a JSON object (Hugo's), as
those generators read it: blank lines before it are fine. Hugo's list pages
(`_index.md`) are not articles: they are skipped with a warning. So are a blog
folder's `index.md`, `all.md` and `README.md` with no date and no headline
(article.py decides when they have front matter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.errors import Problem, Severity
from newsgen.read.files import is_list_page, may_be_listing
from newsgen.read.jsonsource import parse_json_object
from newsgen.read.sourcepath import date_from_folders, date_from_name
from newsgen.read.tomlsource import parse_toml
from newsgen.read.yamlsource import LineMap, parse_yaml

_YAML_FENCE = "---"
_YAML_CLOSERS = ("---", "...")
_TOML_FENCE = "+++"
_FIELD = "front matter"
_Parser = Callable[[str, Path, int, str], tuple[Any, LineMap, list[Problem]]]  # text, path, first line, field


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
    """The front matter and body of an article file; None (with the reason) when it has none to read."""
    if is_list_page(path):
        message = "a Hugo list page (the section's own page), not an article; skipped"
        return None, [Problem(path, 1, "file", message, Severity.WARNING, "list-page")]
    lines = text.splitlines(keepends=True)
    start = next((index for index, line in enumerate(lines) if _content(line)), len(lines))
    opening = _content(lines[start]) if start < len(lines) else ""
    if opening == _TOML_FENCE:
        return _fenced(lines, start, (_TOML_FENCE,), path, parse_toml)
    if opening == _YAML_FENCE:
        return _fenced(lines, start, _YAML_CLOSERS, path, parse_yaml)
    if opening.startswith("{") and not opening.startswith(("{{", "{%")):  # not a template tag opening the body
        return _json(text, lines, start, path)
    if may_be_listing(path) and not (date_from_name(path) or date_from_folders(path)):  # a blog folder's README
        return None, [listing_skipped(path)]
    message = "missing: the file must start with a '---' line (YAML), '+++' (TOML) or '{' (JSON)"
    return None, [Problem(path, 1, _FIELD, message, code="front-matter")]


def listing_skipped(path: Path) -> Problem:
    """The warning for a blog folder's `index.md`, `all.md` or `README.md` that has no date and no headline."""
    message = "a blog folder's list page (no date and no headline), not an article; skipped"
    return Problem(path, 1, "file", message, Severity.WARNING, "list-page")


def _content(line: str) -> str:
    """The line without surrounding whitespace and byte-order marks (an editor may have saved one twice)."""
    return line.strip().strip("\ufeff")


def _fenced(
    lines: list[str], start: int, closers: tuple[str, ...], path: Path, parse: _Parser
) -> tuple[ParsedFile | None, list[Problem]]:
    closing = next((index for index in range(start + 1, len(lines)) if lines[index].rstrip() in closers), None)
    if closing is None:
        message = f"not closed: add a '{closers[0]}' line after the last key"
        return None, [Problem(path, start + 1, _FIELD, message, code="front-matter")]
    data, line_map, problems = parse("".join(lines[start + 1 : closing]), path, start + 2, _FIELD)
    if problems and data is None:
        return None, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        mapping = Problem(path, start + 2, _FIELD, "must be a mapping of keys to values", code="front-matter")
        return None, [*problems, mapping]
    return ParsedFile(data, line_map, "".join(lines[closing + 1 :]), closing + 2), problems


def _json(text: str, lines: list[str], start: int, path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    offset = sum(len(line) for line in lines[:start]) + lines[start].index("{")
    data, end, line_map, problems = parse_json_object(text, offset, path, start + 1)
    if data is None:
        return None, problems
    end_line = len(text[:end].splitlines()) - 1  # the line holding the closing brace
    return ParsedFile(data, line_map, "".join(lines[end_line + 1 :]), end_line + 2), problems
