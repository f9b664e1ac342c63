"""How much one body may ask of the Markdown engines: its size, its nesting, and the scans it makes them repeat.

Checked on the text before an engine sees it, so one article can neither
crash a build nor stall it:

- Nesting: Python-Markdown parses nested lists and `markdown="1"` HTML by
  recursion and dies of it (300 nested list items); the tree walks after
  either engine (serialising, typography) go one level per element. So
  lists, block quotes and HTML elements may nest MAX_NESTING levels, and the
  converted tree (emphasis and links included) MAX_ELEMENT_DEPTH elements.
- Brackets: for every `[` (and every `(` after `]`) Python-Markdown reads on,
  character by character, until the bracket closes, to the end of the
  paragraph when it never does: 8,000 `[` took 5.8 s, 50,000 four minutes.
- Tags: Python's HTML parser, which Python-Markdown runs over the whole body
  and newsgen over cmark's output, reads from every `<` that may open a tag
  to the `>` that ends it (`-->` for a comment), to the end of the body when
  there is none: 12,500 `<iframe ` took 18 s.
- Inline markup: Python-Markdown copies a paragraph once for every link,
  emphasis, tag or escape in it: 22,000 `<b>x</b>` in one paragraph, 7 s. Reference-link
  definitions are taken out of a paragraph before: they are not counted.
- Spaces: in a heading, table cell or definition term Python-Markdown
  looks for an attribute list (`{: #id}`) from every space of a run of
  spaces onwards: 20,000 tabs in a heading (80,000 columns) took 4 s.
- Block starts: a heading, rule, definition (`: `) or abbreviation (`*[`)
  line in a run of lines without a blank line makes Python-Markdown split
  the run and test the rest again: 20,000 definition lines take minutes.
- Size: MAX_BODY_BYTES and MAX_LINES bound everything else. Python-Markdown
  slows down with the number of blocks, too (40,000 one-line paragraphs,
  2.7 s; 330,000, almost two minutes); the line count bounds the blocks.

Each scan is counted in one pass over the text, in characters read, and held
to a limit far beyond what a newsroom writes and far below a stalled build
(each costs Python-Markdown about a quarter of a second at its limit). cmark
needs only the size, nesting and tag limits, but one rule for both engines
keeps a story valid whichever a site uses. Fenced code is code: only its
size and its tags count.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property

MAX_BODY_BYTES = 1_000_000  # a 20,000-word long read is about 120 KB
MAX_LINES = 20_000  # a long read has about 2,000 lines; a table of 5,000 rows, 5,000 more
MAX_NESTING = 50  # lists, block quotes and HTML elements inside each other; stories use three or four
MAX_ELEMENT_DEPTH = 200  # elements of the converted body inside each other: each list level is two or three
MAX_BRACKET_SCAN = 1_000_000  # characters read for brackets; a story with 500 links reads about 50,000
MAX_TAG_SCAN = 2_000_000  # characters read to find where tags end; a body with 1,000 tags reads about 50,000
MAX_SPACE_SCAN = 100_000_000  # columns re-read in runs of spaces (a run's length squared); a 200-column run: 40,000
MAX_INLINE_SCAN = 200_000_000  # characters copied for inline markup; a 20 KB paragraph with 500 links: 10,000,000
MAX_BLOCK_SCAN = 10_000_000  # characters re-read for block starts; a glossary of 200 definitions: about 1,000,000

Found = tuple[int, str]  # a line of the body (1-based) and the message for it

# A fence as Python-Markdown reads one (at the margin, a plain language or {attributes}, closed by the same fence):
# only what both engines take for code is left out of the scans, so no fence can hide what the engine reads.
_FENCE = re.compile(r"(`{3,}|~{3,}) *(?:\{[^\n}]*\}|\.?[\w#.+-]*)? *")
_TAB_STOP = 4
_PREFIX_CHARACTERS = " \t>*+-.)0123456789"  # what opens a line's lists and quotes, and more
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
# Elements that never hold others (void) or whose end tag may be left out: they do not nest.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr"
    " p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rtc rp html head body".split()
)
# How Python-Markdown splits a block into the texts it reads inline markup in, one at a time: a table into rows
# (a separator line second), a list into items (a marker first), anything else at its headings and rules only.
_TABLE_SEPARATOR = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}\.)[ \t]")
_HEADING_OR_RULE = re.compile(r" {0,3}(?:#|([-*_])(?:[ \t]*\1){2,}[ \t]*$)")
# A reference-link definition on one line as Python-Markdown takes it out of a block (a footnote's `[^` is not one:
# its text is read); a definition list's `: ` line and a setext underline, which make such a line text instead.
_REFERENCE = re.compile(r""" {0,3}\[(?!\^)[^\[\]]*\]: *\S+ *(?:(["'])[^\n]*\1 *|\([^\n]*\) *)?""")
_DEFINITION = re.compile(r" {0,3}:[ \t]")
_UNDERLINE = re.compile(r" *(?:=+|-+)[ \t]*$")
_BRACKET = re.compile(r"\\.|[\[\]()]")
_TAG_START = re.compile(r"<(?:!--|[A-Za-z/!?])")  # where the HTML parser starts reading a tag (or a comment)
_QUOTED_VALUE = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")  # an attribute value: a `>` in it ends nothing
_SPACES = re.compile(r"[ \t]{2,}")
_INLINE_MARKS = "*_`[<\\&~"  # what may start an inline element: emphasis, code, link, tag, escape, entity
# Lines Python-Markdown splits a run of lines at: ATX headings, rules, setext underlines, definitions, abbreviations.
_BLOCK_START = re.compile(r"^ {0,3}(?:#|:[ \t]|\*\[|(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}$|=+[ \t]*$|-+[ \t]*$)", re.M)


def body_limit(text: str) -> Found | None:
    """The first limit `text` is over, as (line in the body, message), or None.

    Cheap bounds come first: a body of ordinary prose is far from every limit,
    and counting a few characters says so without walking its lines.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        return 1, f"is {size:,} bytes; the limit is {MAX_BODY_BYTES:,}: split the story in parts"
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return 1, f"is {lines:,} lines long; the limit is {MAX_LINES:,}: split the story in parts"
    length = len(text)
    bounds: list[tuple[int, int, Callable[[_Body], Found | None]]] = [
        (_longest_prefix(text) + text.count("<"), MAX_NESTING, _nesting),  # a level takes a prefix character or a tag
        ((text.count("[") + text.count("(")) * length, MAX_BRACKET_SCAN, _bracket_scan),  # none reads past the end
        (text.count("<") * length, MAX_TAG_SCAN, _tag_scan),
        (sum(text.count(mark) for mark in _INLINE_MARKS) * length, MAX_INLINE_SCAN, _inline_scan),
        ((text.count(" ") + _TAB_STOP * text.count("\t")) ** 2, MAX_SPACE_SCAN, _space_scan),
        (lines * length, MAX_BLOCK_SCAN, _block_scan),  # at most every line starts a block
    ]
    body = _Body(text)
    return next((found for bound, limit, check in bounds if bound > limit and (found := check(body))), None)


def tree_depth_problem(root: etree.Element) -> str | None:
    """Why a converted body nests too deeply for the walks after conversion, or None; walked without recursion."""
    if sum(1 for _ in root.iter()) <= MAX_ELEMENT_DEPTH:
        return None  # no deeper than it has elements: most bodies are spared the walk
    pending = [(root, 0)]
    while pending:
        element, depth = pending.pop()
        if depth > MAX_ELEMENT_DEPTH:
            return (
                f"its elements (lists, quotes, emphasis, links) nest more than {MAX_ELEMENT_DEPTH} deep;"
                f" the limit is {MAX_ELEMENT_DEPTH}"
            )
        pending.extend((child, depth + 1) for child in element)
    return None


def _longest_prefix(text: str) -> int:
    """The most characters of indentation, quote and list markers (and more) that any line starts with, or that
    follow a tag (Python-Markdown reads what follows `<div markdown="1">` as a line of its own)."""
    return max(len(part) - len(part.lstrip(_PREFIX_CHARACTERS)) for part in (*text.split("\n"), *text.split(">")))


class _Body:
    """A body's text, with its blocks and runs worked out once, when a check first needs them."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def blocks(self) -> list[tuple[int, list[str]]]:
        """Lines without a blank line between them, outside fenced code, each with the line it starts on."""
        return _prose_blocks(self.text)

    @cached_property
    def runs(self) -> list[tuple[int, str]]:
        """The text of each paragraph, heading, list item or table row, with the line it starts on.

        A block Python-Markdown might read as one text is taken whole, so the
        costs counted on these runs are never below what it spends.
        """
        runs: list[tuple[int, str]] = []
        for start, lines in (part for block in self.blocks for part in _without_references(*block)):
            if len(lines) > 1 and _TABLE_SEPARATOR.match(lines[1]):
                starts = list(range(len(lines)))
            else:
                splits = _LIST_ITEM if _LIST_ITEM.match(lines[0]) else _HEADING_OR_RULE
                starts = [0, *(offset for offset in range(1, len(lines)) if splits.match(lines[offset]))]
            for first, end in zip(starts, [*starts[1:], len(lines)], strict=True):
                runs.append((start + first, "\n".join(lines[first:end])))
        return runs


def _without_references(start: int, lines: list[str]) -> list[tuple[int, list[str]]]:
    """A block's parts between its reference-link definitions, which Python-Markdown takes out of the block
    before it reads inline markup (two 12 KB URLs once counted as 288,684,106 characters copied).

    A definition stays where the engine would read it as text: a table's row, a definition list's term (all the
    lines before a `: ` line) or a setext heading (the line above `===` or `---`).
    """
    if (len(lines) > 1 and _TABLE_SEPARATOR.match(lines[1])) or any(_DEFINITION.match(line) for line in lines):
        return [(start, lines)]
    parts: list[tuple[int, list[str]]] = []
    part: list[str] = []
    for offset, line in enumerate(lines):
        underlined = offset + 1 < len(lines) and _UNDERLINE.match(lines[offset + 1])
        if _REFERENCE.fullmatch(line) and not underlined:
            part = []
        elif part:
            part.append(line)
        else:
            part = [line]
            parts.append((start + offset, part))
    return parts


def _prose_blocks(text: str) -> list[tuple[int, list[str]]]:
    lines = text.split("\n")
    code = _fenced_lines(lines)
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    for number, line in enumerate(lines, start=1):
        if number in code or not line.strip():
            block = []
        elif block:
            block.append(line)
        else:
            block = [line]
            blocks.append((number, block))
    return blocks


def _fenced_lines(lines: list[str]) -> set[int]:
    """The numbers of the lines of closed fenced code blocks, fences included."""
    code: set[int] = set()
    opened: tuple[int, str] | None = None  # the opening line's number and its fence
    for number, line in enumerate(lines, start=1):
        if opened is None:
            fence = _FENCE.fullmatch(line)
            opened = (number, fence.group(1)) if fence else None
        elif line.rstrip(" ") == opened[1]:
            code.update(range(opened[0], number + 1))
            opened = None
    return code


def _nesting(body: _Body) -> Found | None:
    """Where lists, quotes and HTML elements first nest deeper than MAX_NESTING, counted on each line."""
    open_elements = 0
    for start, lines in body.blocks:
        for offset, line in enumerate(lines):
            deepest = open_elements
            for tag in _TAG.finditer(line):
                if tag.group(2).lower() in _FLAT or tag.group(3):
                    continue
                open_elements = max(0, open_elements - 1) if tag.group(1) else open_elements + 1
                deepest = max(deepest, open_elements)
            depth = max(_line_nesting(part) for part in (line, *line.split(">")[1:])) + deepest
            if depth > MAX_NESTING:
                message = (
                    f"lists, block quotes and HTML elements nest {depth} levels deep here; the limit is {MAX_NESTING}"
                )
                return start + offset, message
    return None


def _line_nesting(line: str) -> int:
    """Levels a line (or what follows a tag in it) is inside: its indentation (a level per tab stop) and the quote
    and list markers opening it."""
    if _RULE.match(line):
        return 0
    indent = 0
    for character in line:
        if character == " ":
            indent += 1
        elif character == "\t":
            indent += _TAB_STOP - indent % _TAB_STOP
        else:
            break
    markers, position = 0, 0
    while found := _CONTAINER.match(line, position):
        markers += 1
        position = found.end()
    return indent // _TAB_STOP + markers


def _bracket_scan(body: _Body) -> Found | None:
    """How far Python-Markdown's link scans read: from each `[` to its `]`, from each `](` to its `)`, else on to
    the end of the paragraph."""
    total = 0
    costliest = (0, 0)  # characters, line
    for start, text in body.runs:
        brackets: list[int] = []
        parens: list[tuple[int, bool]] = []  # offset, whether a link scan starts there
        after_bracket = -1  # the offset just after the last `]`
        scans: list[tuple[int, int]] = []  # (characters, offset of the bracket)
        for found in _BRACKET.finditer(text):
            mark, offset = found.group(), found.start()
            if mark == "[":
                brackets.append(offset)
            elif mark == "]":
                if brackets:
                    opened = brackets.pop()
                    scans.append((offset - opened, opened))
                after_bracket = found.end()
            elif mark == "(" and (parens or offset == after_bracket):
                parens.append((offset, offset == after_bracket))
            elif mark == ")" and parens:
                opened, scanning = parens.pop()
                if scanning:
                    scans.append((offset - opened, opened))
        scans += [(len(text) - opened, opened) for opened in brackets]
        scans += [(len(text) - opened, opened) for opened, scanning in parens if scanning]
        total += sum(characters for characters, _ in scans)
        worst = max(scans, default=(0, 0))
        costliest = max(costliest, (worst[0], start + text.count("\n", 0, worst[1])))
        if total > MAX_BRACKET_SCAN:
            message = (
                f"brackets that are never closed (or close far away) would make Markdown read {total:,} characters"
                f" looking for links; the limit is {MAX_BRACKET_SCAN:,}: close them, or write a bracket meant as"
                " text as \\["
            )
            return costliest[1], message
    return None


def _tag_scan(body: _Body) -> Found | None:
    """How far the HTML parser reads: from each `<` that may open a tag to its `>`, else to the end of the body.

    The whole body, code included: Python-Markdown hands all of it to the parser.
    """
    text = body.text
    hidden = [match.span() for match in _QUOTED_VALUE.finditer(text)]
    ends, index = [], 0
    for match in re.finditer(">", text):
        while index < len(hidden) and hidden[index][1] <= match.start():
            index += 1
        if index == len(hidden) or match.start() < hidden[index][0]:
            ends.append(match.start())
    comment_ends = [match.start() for match in re.finditer("-->", text)]

    def scans() -> Iterator[tuple[int, int]]:  # characters, offset
        for start in _TAG_START.finditer(text):
            closers = comment_ends if start.group() == "<!--" else ends
            found = bisect.bisect_left(closers, start.end())
            yield (closers[found] if found < len(closers) else len(text)) - start.start(), start.start()

    over = _first_over(scans(), MAX_TAG_SCAN)
    if over is None:
        return None
    total, offset = over
    message = (
        f"'<' that open HTML tags never closed by '>' (or closed far away) would make the HTML parser read"
        f" {total:,} characters; the limit is {MAX_TAG_SCAN:,}: close the tags, or write a '<' meant as text"
        " as &lt;"
    )
    return text.count("\n", 0, offset) + 1, message


def _inline_scan(body: _Body) -> Found | None:
    """How much Python-Markdown copies: a paragraph's length for each mark that may start inline markup in it."""
    copies = ((sum(text.count(mark) for mark in _INLINE_MARKS) * len(text), start) for start, text in body.runs)
    over = _first_over(copies, MAX_INLINE_SCAN)
    if over is None:
        return None
    total, line = over
    message = (
        f"so many links, emphasis marks, tags and escapes in paragraphs this long would make Markdown copy"
        f" {total:,} characters; the limit is {MAX_INLINE_SCAN:,}: split the longest paragraphs"
    )
    return line, message


def _space_scan(body: _Body) -> Found | None:
    """How much Python-Markdown re-reads in runs of spaces and tabs (tabs become up to four spaces): a run's
    length for each of its columns."""
    text = body.text
    columns = (
        (len(run.group()) + (_TAB_STOP - 1) * run.group().count("\t"), run.start()) for run in _SPACES.finditer(text)
    )
    over = _first_over(((width * width, offset) for width, offset in columns), MAX_SPACE_SCAN)
    if over is None:
        return None
    total, offset = over
    message = (
        f"runs of spaces and tabs this long would make Markdown re-read {total:,} columns;"
        f" the limit is {MAX_SPACE_SCAN:,}: remove the run of spaces or tabs"
    )
    return text.count("\n", 0, offset) + 1, message


def _block_scan(body: _Body) -> Found | None:
    """How much Python-Markdown re-reads: each block start in a run of lines costs the run's length."""

    def rereads() -> Iterator[tuple[int, int]]:  # characters, line
        for start, lines in body.blocks:
            text = "\n".join(lines)
            starts = sum(1 for _ in _BLOCK_START.finditer(text))
            if starts > 1:
                yield starts * len(text), start

    over = _first_over(rereads(), MAX_BLOCK_SCAN)
    if over is None:
        return None
    total, line = over
    message = (
        f"headings, rules, definitions or abbreviations in runs of lines without a blank line between them"
        f" would make Markdown re-read {total:,} characters; the limit is {MAX_BLOCK_SCAN:,}:"
        " put a blank line before each"
    )
    return line, message


def _first_over(costs: Iterable[tuple[int, int]], limit: int) -> tuple[int, int] | None:
    """The running total of (cost, position) pairs as soon as it passes `limit`, with the position of the
    costliest pair so far (the latest of equals); None when it never does."""
    total, costliest = 0, (0, 0)
    for cost, position in costs:
        total += cost
        costliest = max(costliest, (cost, position))
        if total > limit:
            return total, costliest[1]
    return None
