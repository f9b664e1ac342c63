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
        self._places: dict[str, list[int]] = {}  # by src: the places found so far, in the order they are written
        self._after: dict[str, int] = {}  # by src: where to search on from; -1 when the text has no more

    def offset(self, src: str, index: int) -> int | None:
        """Where the `index`-th image (from 0) with this `src` stands, or None when the text doesn't say.

        The text is searched only as far as that image: as far as one search, for an image with a src of its own.
        """
        places = self._places.setdefault(src, [])
        after = self._after.get(src, 0 if src else -1)
        while len(places) <= index and after >= 0:
            found = self._text.find(src, after)
            after = found + 1 if found >= 0 else -1
            label = self._definitions.get(found) if found >= 0 else None
            places.extend([] if found < 0 else [found] if label is None else self._uses.get(label, []))
        self._after[src] = after
        return places[min(index, len(places) - 1)] if places else None

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
