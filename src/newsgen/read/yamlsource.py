"""Safe YAML parsing that remembers the file line of every key and list item.

PyYAML's constructors throw positions away; we compose the node tree first
(keeping marks), construct plain data from it, and record a line per path so
validators can say `path:line: field: message`. Only safe tags are accepted,
so `!!python/...` never builds an object. Timestamps stay strings: dates are
parsed by newsgen itself, so a bad date is a field error, not a crash.
A key given twice is a warning naming both lines, and the last value is taken,
as Jekyll takes it.

The limits of `limits.py` are checked before anything costly: nesting on the
parser's events (composing a node tree recurses, in C: 50,000 nested lists
crash the process), and the number of values aliases expand to on the node
tree, where each aliased node is counted once, before data is built from it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsgen.errors import Problem, Severity
from newsgen.read.limits import DEPTH_MESSAGE, MAX_DEPTH, MAX_VALUES, VALUES_MESSAGE

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
        deep_at = _too_deep(text) if _may_nest_too_deep(text) else None
        if deep_at is not None:
            return None, line_map, [Problem(path, first_line + deep_at, field_name, DEPTH_MESSAGE, code="limit")]
        node = loader.get_single_node()
        if node is None:
            return None, line_map, []
        size = _expanded_size(node) if "*" in text else 0  # without an alias (*name) the tree is as big as its text
        if size is None:
            message = "a YAML alias (*name) stands for a value that holds the alias itself; it would never end"
            return None, line_map, [Problem(path, first_line, field_name, message, code="yaml")]
        if size > MAX_VALUES:
            return None, line_map, [Problem(path, first_line, field_name, VALUES_MESSAGE, code="limit")]
        problems = _record_lines(node, line_map, path)
        try:
            return loader.construct_document(node), line_map, problems
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):  # `!!int x`: PyYAML's own crash
            line = first_line + _unbuildable_line(loader, node)
            message = "invalid YAML: a value does not fit its tag (as in `!!int x`); remove the tag or fix the value"
            return None, line_map, [Problem(path, line, field_name, message, code="yaml")]
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


def _unbuildable_line(loader: yaml.SafeLoader, root: yaml.Node) -> int:
    """The line (0-based) of the first scalar PyYAML can't build from its tag, or 0."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError):
                return node.start_mark.line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
    return 0


def _may_nest_too_deep(text: str) -> bool:
    """Whether `text` could nest deeper than MAX_DEPTH: a bound that spares almost every file the event pass.

    Each level of nesting takes a `[` or `{`, or in block style a line indented
    further or a compact `- ` / `? ` (a list may sit at its key's column, so a
    column holds two levels); an anchor or tag may start one more on its line.
    """
    flow = sum(text.count(mark) for mark in "[{&!")
    deepest = max((len(line) - len(line.lstrip(" -?:")) for line in text.splitlines()), default=0)
    return flow + 2 * (deepest + 2) > MAX_DEPTH


def _too_deep(text: str) -> int | None:
    """The line (0-based) where lists and mappings first nest deeper than MAX_DEPTH, or None, from the events."""
    loader = _NewsLoader(text)
    try:
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line if event.start_mark else 0
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return None
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded_size(root: yaml.Node) -> int | None:
    """How many values the tree stands for once aliases are expanded (at most MAX_VALUES + 1); None for a cycle.

    Each node is counted once, its size remembered, so a bomb of nested aliases costs what its text does.
    """
    sizes: dict[int, int] = {}
    counting: set[int] = set()  # nodes whose children are being counted: meeting one again is a cycle
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_counted = pending.pop()
        if children_counted:
            counting.discard(id(node))
            sizes[id(node)] = min(MAX_VALUES + 1, 1 + sum(sizes[id(child)] for child in _children(node)))
        elif id(node) in counting:
            return None
        elif id(node) not in sizes:
            counting.add(id(node))
            pending.append((node, True))
            pending.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _record_lines(root: yaml.Node, line_map: LineMap, path: Path) -> list[Problem]:
    """Walk the node tree once, in document order; an aliased node is walked only the first time,
    so anchors cannot blow the walk up exponentially."""
    problems: list[Problem] = []
    seen_nodes: set[int] = set()
    pending: list[tuple[yaml.Node, YamlPath]] = [(root, ())]
    while pending:
        node, prefix = pending.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        children: list[tuple[yaml.Node, YamlPath]] = []
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}  # key -> the line it was last given on
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
                line = line_map.first_line + key_node.start_mark.line
                key_path = (*prefix, key)
                if key in seen:
                    problems.append(_duplicate(path, line, key_path, seen[key]))
                seen[key] = line
                line_map.lines[key_path] = line
                children.append((value_node, key_path))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                item_path = (*prefix, index)
                line_map.lines[item_path] = line_map.first_line + item.start_mark.line
                children.append((item, item_path))
        pending.extend(reversed(children))
    return problems


def _duplicate(path: Path, line: int, key_path: YamlPath, earlier: int) -> Problem:
    """A key given twice: Jekyll (Ruby's YAML) and PyYAML both take the last, so archives have them; a warning."""
    name = ".".join(str(part) for part in key_path)
    message = f"given again (also on line {earlier}); the value on line {line} is taken, the earlier one ignored"
    return Problem(path, line, name, message, Severity.WARNING, "duplicate-key")
