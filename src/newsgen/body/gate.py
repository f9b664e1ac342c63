"""Where a paywalled body's free lead ends: at `<!-- more -->`, or after its first paragraphs.

The sanitiser drops HTML comments, so `markup.py` turns `<!-- more -->` into
`MARK`, an element the sanitiser keeps, and `take_mark` takes it out again
once the body is sanitised, noting where it stood. Only a mark between the
body's top-level blocks can split it in two; one inside a quote or a list is
dropped like any comment.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Hugo's and Jekyll's excerpt separator, on a line of its own: one inside a paragraph can't split the body
# (and an element there would split the paragraph instead).
MORE_COMMENT = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.IGNORECASE | re.MULTILINE)
MARK = '<hr class="newsgen-more">'
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})


def mark_more(html: str) -> str:
    """Converted HTML with each `<!-- more -->` as `MARK`, before the sanitiser drops comments."""
    return MORE_COMMENT.sub(MARK, html) if "<!--" in html else html


def take_mark(html: str) -> tuple[str, int | None]:
    """Sanitised HTML without marks, and where the first top-level one stood in it (None: there was none)."""
    if MARK not in html:
        return html, None
    first = next(iter(_Blocks(html).marks), None)
    return html.replace(MARK, ""), None if first is None else len(html[:first].replace(MARK, ""))


def paragraph_end(html: str, count: int) -> int | None:
    """Where the body's `count`-th top-level paragraph ends; None when it has fewer."""
    ends = [end for end, tag in _Blocks(html).ends if tag == "p"]
    return ends[count - 1] if 0 < count <= len(ends) else None


class _Blocks(HTMLParser):
    """The top-level blocks of sanitised HTML (the sanitiser closes every element it keeps)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.ends: list[tuple[int, str]] = []  # where each top-level element ends, and its tag
        self.marks: list[int] = []  # where each top-level mark starts
        self._html = html
        self._depth = 0
        self._lines = [0, *(found.end() for found in re.finditer("\n", html))]  # getpos counts "\n" only
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self._depth += 1
        elif self._depth == 0:
            start, text = self._offset(), self.get_starttag_text() or ""
            if text == MARK:
                self.marks.append(start)
            self.ends.append((start + len(text), tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self._depth -= 1
        if self._depth == 0:
            self.ends.append((self._html.index(">", self._offset()) + 1, tag))
