"""Where in a body each image stands, for its problems' line numbers: Markdown keeps no positions.

An image's `src` is found in the text; the same `src` twice is two images, each on its own line, taken in
order. An image given by a reference (`![alt][ref]`) is where it is used: its `src` is written only in the
reference's definition, often at the end of the post.
"""

from __future__ import annotations

import re

_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*<?(\S+?)>?(?=[ \t]|$)", re.M)
# `![alt][ref]`, `![ref][]` or `![ref]` (not `![alt](src)`, and not a definition's `[ref]:`).
_REFERENCE_IMAGE = re.compile(r"!\[([^\[\]]*)\](?:[ ]?\[([^\[\]]*)\]|(?![(\[:]))")


def image_places(text: str, src: str) -> list[int]:
    """The offsets in `text` of the images `src` names, in order: each place it is written, except that a
    reference's definition stands for the images that use the reference."""
    if not src:
        return []
    labels = {found.start(2): _label(found.group(1)) for found in _DEFINITION.finditer(text) if found.group(2) == src}
    places: list[int] = []
    offset = text.find(src)
    while offset >= 0:
        label = labels.get(offset)
        places.extend([offset] if label is None else _uses(text, label))
        offset = text.find(src, offset + 1)
    return sorted(places)


def _uses(text: str, label: str) -> list[int]:
    return [
        found.start() for found in _REFERENCE_IMAGE.finditer(text) if _label(found.group(2) or found.group(1)) == label
    ]


def _label(text: str) -> str:
    """A reference's label as Markdown matches it: case and runs of whitespace aside."""
    return " ".join(text.split()).casefold()
