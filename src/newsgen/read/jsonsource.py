"""JSON front matter (Hugo's: an object at the top of the file), remembering the line of each top-level key.

The json module gives no positions; each top-level key's line is the first
line where `"key":` is written, which is where editors write it. Nesting is
held to the limit of `limits.py`, a nesting deeper than Python's stack allows
included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsgen.errors import Problem
from newsgen.read.limits import DEPTH_MESSAGE, too_deep
from newsgen.read.yamlsource import LineMap


def parse_json_object(
    text: str, start: int, path: Path, first_line: int
) -> tuple[dict[str, Any] | None, int, LineMap, list[Problem]]:
    """The JSON object that begins at `text[start]` on file line `first_line`, and the index just after it."""
    line_map = LineMap(first_line)
    try:
        data, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as exc:
        problem = Problem(path, exc.lineno, "front matter", f"invalid JSON: {exc.msg}", code="json")
        return None, start, line_map, [problem]
    except RecursionError:
        return None, start, line_map, [Problem(path, first_line, "front matter", DEPTH_MESSAGE, code="limit")]
    if not isinstance(data, dict):
        return None, start, line_map, [Problem(path, first_line, "front matter", "must be a JSON object", code="json")]
    if too_deep(data):
        return None, start, line_map, [Problem(path, first_line, "front matter", DEPTH_MESSAGE, code="limit")]
    lines = text[start:end].splitlines()
    for key in data:
        pattern = re.compile(rf"^[\s{{,]*{re.escape(json.dumps(key, ensure_ascii=False))}\s*:")
        found = next((index for index, line in enumerate(lines) if pattern.match(line)), 0)
        line_map.lines[(key,)] = first_line + found
    return data, end, line_map, []
