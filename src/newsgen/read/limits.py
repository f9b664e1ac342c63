"""How much front matter may ask of a build: nesting, values, comments, tags.

YAML aliases let 1.3 KB of front matter stand for billions of comments
(each level replying with nine copies of the level below), and nesting a
few thousand lists deep overflows the parsers' stacks. Both are refused
with one problem line before the expensive work, at sizes no newsroom's
front matter comes near: a story with a 10,000-comment thread holds about
100,000 values, nested a dozen levels deep.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 50  # lists and mappings inside each other; comment threads (12 levels of replies) need 26
MAX_VALUES = 200_000  # keys, values and list items, counted after YAML aliases are expanded
MAX_COMMENTS = 10_000  # comments on one article, replies included: more than one page can show
MAX_TAGS = 200  # tags on one article: each makes two pages (its list and its feed); archives use a few dozen at most

DEPTH_MESSAGE = f"lists and mappings nest more than {MAX_DEPTH} levels deep; the limit is {MAX_DEPTH}"
VALUES_MESSAGE = (
    f"holds more than {MAX_VALUES:,} values once YAML aliases (*name) are expanded; the limit is {MAX_VALUES:,}:"
    " write the values out rather than repeating them with aliases"
)


def too_deep(data: Any) -> bool:
    """Whether parsed front matter (plain dicts and lists, as TOML and JSON give them) nests deeper than MAX_DEPTH."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                return True
            pending.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def comment_count(comments: Any) -> int:
    """How many comments a `comments` value holds, replies included (whatever shape it has)."""
    count = 0
    pending = [comments]
    while pending:
        value = pending.pop()
        if not isinstance(value, list):
            continue
        for entry in value:
            if isinstance(entry, dict):
                count += 1
                pending.append(entry.get("replies"))
    return count
