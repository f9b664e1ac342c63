"""Safe YAML parsing that remembers the file line of every key and list item.

PyYAML's constructors throw positions away; we compose the node tree first
(keeping marks), construct plain data from it, and record a line per path so
validators can say `path:line: field: message`. Only safe tags are accepted,
so `!!python/...` never builds an object. Timestamps stay strings: dates are
parsed by newsgen itself, so a bad date is a field error, not a crash.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsgen.errors import Problem

# libyaml is much faster and gives the same results and marks; PyYAML may be built without it.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _NewsLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader without the implicit timestamp resolver."""

    yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


YamlPath = tuple[Hashable, ...]


@dataclass
class LineMap:
    """File line (1-based) of every mapping key and sequence item, by path."""

    first_line: int
    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line(self, *path: Hashable) -> int:
        """The line of the deepest known prefix of `path`."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.first_line


def parse_yaml(text: str, path: Path, first_line: int, field_name: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse one YAML document whose first line is file line `first_line`.

    Returns the data, its line map and the problems found (data is None when
    the YAML could not be parsed).
    """
    line_map = LineMap(first_line)
    loader = _NewsLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, line_map, []
        problems = _record_lines(node, (), line_map, path, set())
        return loader.construct_document(node), line_map, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "could not determine a constructor" in message or "python/" in message:
            message = f"unsafe YAML tag refused ({exc.problem}); only plain values are allowed"
        return None, line_map, [Problem(path, line, field_name, f"invalid YAML: {message}", code="yaml")]
    except yaml.YAMLError as exc:
        return None, line_map, [Problem(path, first_line, field_name, f"invalid YAML: {exc}", code="yaml")]
    finally:
        loader.dispose()


def _record_lines(
    node: yaml.Node, prefix: YamlPath, line_map: LineMap, path: Path, seen_nodes: set[int]
) -> list[Problem]:
    """Walk the node tree once; an aliased node is walked only the first time,
    so anchors cannot blow the walk up exponentially."""
    if id(node) in seen_nodes:
        return []
    seen_nodes.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            line = line_map.first_line + key_node.start_mark.line
            key_path = (*prefix, key)
            if key in seen:
                name = ".".join(str(part) for part in key_path)
                problems.append(Problem(path, line, name, "duplicate key; only one value is allowed", code="yaml"))
            seen.add(key)
            line_map.lines[key_path] = line
            problems += _record_lines(value_node, key_path, line_map, path, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*prefix, index)
            line_map.lines[item_path] = line_map.first_line + item.start_mark.line
            problems += _record_lines(item, item_path, line_map, path, seen_nodes)
    return problems
