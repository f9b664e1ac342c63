"""Tables and code blocks scroll sideways inside a story; a keyboard must be able to scroll them too.

The theme lets a wide table or a long code line scroll within the column
instead of widening the page. A scrolling box is reachable by keyboard only
when it can take focus, so each `<pre>` gets `tabindex="0"` and each table a
focusable wrapper named for screen readers. Done on the sanitised body, by
tag positions an HTML parser reports (an attribute value may hold `<table`).
"""

from __future__ import annotations

from html.parser import HTMLParser

_TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">'


def keyboard_scrollable(html: str) -> str:
    """`html` with its tables wrapped and its code blocks focusable; untouched when it has neither."""
    if "<table" not in html and "<pre" not in html:
        return html
    finder = _Tags()
    finder.feed(html)
    finder.close()
    pieces, done = [], 0
    for offset, insert in finder.edits:
        pieces += [html[done:offset], insert]
        done = offset
    return "".join([*pieces, html[done:]])


class _Tags(HTMLParser):
    """Where to insert what: (offset in the text, text), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.edits: list[tuple[int, str]] = []
        self._lines = [0]

    def feed(self, data: str) -> None:
        for line in data.splitlines(keepends=True):  # line starts, to turn (line, column) into an offset
            self._lines.append(self._lines[-1] + len(line))
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        offset = self._lines[line - 1] + column
        if tag == "table":
            self.edits.append((offset, _TABLE_OPEN))
        elif tag == "pre":
            self.edits.append((offset + len("<pre"), ' tabindex="0"'))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            line, column = self.getpos()
            self.edits.append((self._lines[line - 1] + column + len("</table>"), "</div>"))
