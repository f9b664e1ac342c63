"""Where in a body each image stands, for its problems' line numbers: Markdown keeps no positions.

An image's `src` is found in the text; the same `src` twice is two images, each on its own line, taken in
order. An image given by a reference (`![alt][ref]`) is where it is used: its `src` is written only in the
reference's definition, often at the end of the post.
"""

from __future__ import annotations

import re
from functools import cached_property

_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*<?(\S+?)>?(?=[ \t]|$)", re.M)
# `![alt][ref]`, `![ref][]` or `![ref]` (not `![alt](src)`, and not a definition's `[ref]:`).
_REFERENCE_IMAGE = re.compile(r"!\[([^\[\]]*)\](?:[ ]?\[([^\[\]]*)\]|(?![(\[:]))")


class ImagePlaces:
    """A body's text, searched only for the images that have a problem to report (most have none)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._places: dict[str, list[int]] = {}

    def offset(self, src: str, index: int) -> int | None:
        """Where the `index`-th image (from 0) with this `src` stands, or None when the text doesn't say."""
        if src not in self._places:
            self._places[src] = self._find(src)
        places = self._places[src]
        return places[min(index, len(places) - 1)] if places else None

    def _find(self, src: str) -> list[int]:
        """Each place `src` is written, a reference's definition standing for the images that use the reference."""
        places: list[int] = []
        offset = self._text.find(src) if src else -1
        while offset >= 0:
            label = self._definitions.get(offset)
            places.extend([offset] if label is None else self._uses.get(label, []))
            offset = self._text.find(src, offset + 1)
        return sorted(places)

    @cached_property
    def _definitions(self) -> dict[int, str]:
        """The reference definitions' labels, by where their URLs start."""
        return {found.start(2): _label(found.group(1)) for found in _DEFINITION.finditer(self._text)}

    @cached_property
    def _uses(self) -> dict[str, list[int]]:
        """Where the images given by a reference are, by the reference's label."""
        uses: dict[str, list[int]] = {}
        for found in _REFERENCE_IMAGE.finditer(self._text):
            uses.setdefault(_label(found.group(2) or found.group(1)), []).append(found.start())
        return uses


def _label(text: str) -> str:
    """A reference's label as Markdown matches it: case and runs of whitespace aside."""
    return " ".join(text.split()).casefold()
