"""Template syntax that Jekyll (Liquid), Eleventy (Nunjucks, Liquid) and Hugo (shortcodes) leave in a body.

Those generators run their template language over a post before Markdown, so
archives written for them hold `{{ "/x/" | url }}`, `{% post_url … %}`,
`{{< figure … >}}` and the like. newsgen has no template language in bodies.
This pass, run on the body text before the Markdown engine, gives the forms
with a plain meaning that meaning (a URL, a link to another article, an
image, a video, a code block; see `shortcodes.py`) and leaves every other tag
as text with a warning, so that none reaches a page silently.

Code spans, code blocks, `<pre>`/`<code>` and HTML comments are code or
hidden: tags in them are left alone. `{% raw %}…{% endraw %}` and Hugo's
`{{</* name */>}}` are the generators' own way to show a tag as text; they
are honoured everywhere, code included, as the generators do.

A replacement may have more or fewer lines than the tag it replaces (a
`{% highlight %}` block becomes a fence on lines of its own), so the result
carries a map from its lines to the source's: every later problem is
reported on the line the editor wrote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsgen.body import shortcodes
from newsgen.body.shortcodes import ShortcodeImage

_SPAN = r"(?:(?!\n[ \t]*\n)[\s\S])*?"  # anything up to a blank line: no tag spans paragraphs


def _span_without(opener: str) -> str:
    """Anything up to a blank line or another `opener`: no tag holds one of its own kind, and a tag left open
    costs the text up to the next opener, not the whole paragraph for each (which is quadratic)."""
    return r"(?:(?!\n[ \t]*\n|" + re.escape(opener) + r")[\s\S])*?"


_TAG = re.compile(
    r"\{\{<(?P<hugo_angle>" + _span_without("{{") + r")>\}\}"
    r"|\{\{%(?P<hugo_percent>" + _span_without("{{") + r")%\}\}"
    r"|\{%-?(?P<liquid>" + _span_without("{%") + r")-?%\}"
    r"|\{\{-?(?P<output>" + _span_without("{{") + r")-?\}\}"
    r"|\{#\s" + _span_without("{#") + r"#\}"  # a Nunjucks comment; `{#id}` is an attribute list
)
_MARKERS = ("{{", "{%", "{#")
_LITERAL_OPEN = re.compile(r"\{%-?[ \t]*raw[ \t]*-?%\}|\{\{(?P<open>[<%])/\*")
_RAW_CLOSE = re.compile(r"\{%-?[ \t]*endraw[ \t]*-?%\}")
_ESCAPED_CLOSE = re.compile(r"\*/(?P<close>[>%])\}\}")
_FENCE_OPEN = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
_FENCE_CLOSE = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*\r?\n?")
_CODE_OPEN = re.compile(r"(?<![`\\])(?P<ticks>`+)(?!`)|<(?P<tag>pre|code|kbd|samp)\b[^>]*>|<!--", re.IGNORECASE)
_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"(?=\n[ \t]*\n)")  # where a blank line starts, overlapping ones too
_HUGO_CLOSER = r"\{{\{{[<%]\s*/{name}\s*[>%]\}}\}}"
_LIQUID_CLOSER = r"\{{%-?\s*end{name}\s*-?%\}}"


@dataclass
class Translated:
    """A body with other generators' template syntax resolved or flagged, ready for a Markdown engine."""

    text: str
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (source line, message)
    refs: list[tuple[str, int]] = field(default_factory=list)  # (article path as written, source line)
    images: dict[str, ShortcodeImage] = field(default_factory=dict)  # by the placeholder src in `text`
    line_map: list[int] = field(default_factory=list)  # source line of each line of `text`; empty: the same

    def source_line(self, line: int) -> int:
        """The line of the source that line `line` of `text` came from."""
        if not self.line_map:
            return line
        return self.line_map[min(max(line, 1), len(self.line_map)) - 1]


def translate(text: str) -> Translated:
    """Resolve the template tags with a plain meaning; warn about every other one, outside code."""
    if not any(marker in text for marker in _MARKERS):
        return Translated(text)  # most bodies: nothing to do, and nothing to pay
    text, literal = _unescape(text)
    return _Scanner(text, sorted(literal + _code_regions(text))).run()


def _unescape(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`{% raw %}…{% endraw %}` to its content and `{{</* x */>}}` to `{{< x >}}`, and where those literal parts are.

    Neither form holds a line break in its delimiters, so lines stay where they were.
    """
    parts: list[str] = []
    literal: list[tuple[int, int]] = []
    length, position = 0, 0
    raw_close, escaped_close = _NextMatch(_RAW_CLOSE, text), _NextMatch(_ESCAPED_CLOSE, text)
    searched = 0
    while opener := _LITERAL_OPEN.search(text, searched):
        closer = (raw_close if opener.group("open") is None else escaped_close).at(opener.end())
        if closer is None:  # not closed: text like any other
            searched = opener.start() + 1
            continue
        parts.append(text[position : opener.start()])
        length += opener.start() - position
        if opener.group("open") is None:
            content = text[opener.end() : closer.start()]
        else:
            content = "{{" + opener.group("open") + text[opener.end() : closer.start()] + closer.group("close") + "}}"
        parts.append(content)
        literal.append((length, length + len(content)))
        length += len(content)
        position = searched = closer.end()
    parts.append(text[position:])
    return "".join(parts), literal


def _code_regions(text: str) -> list[tuple[int, int]]:
    """Where `text` has fenced code, code spans, `<pre>`/`<code>` and HTML comments, as (start, end) offsets."""
    regions: list[tuple[int, int]] = []
    offset = prose_start = 0
    fence: tuple[str, int, int] | None = None  # (character, length, start)
    for line in text.splitlines(keepends=True):
        if fence is not None:
            closing = _FENCE_CLOSE.fullmatch(line)
            if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= fence[1]:
                regions.append((fence[2], offset + len(line)))
                fence, prose_start = None, offset + len(line)
        else:
            opening = _FENCE_OPEN.match(line)
            if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
                regions += _inline_code(text, prose_start, offset)
                fence = (opening["fence"][0], len(opening["fence"]), offset)
        offset += len(line)
    if fence is not None:
        regions.append((fence[2], len(text)))  # an unclosed fence runs to the end, as in CommonMark
    else:
        regions += _inline_code(text, prose_start, len(text))
    return regions


def _inline_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans, `<pre>`/`<code>`/`<kbd>`/`<samp>` elements and HTML comments between `start` and `end`.

    Each in turn from the left, as a regular expression would find them, but
    in one pass: a code span ends at the next run of as many backticks before
    a blank line (found by length), the others at their first closing tag.
    """
    runs: dict[int, list[int]] = {}  # run length -> where runs of backticks of that length start
    for run in _TICKS.finditer(text, start, end):
        runs.setdefault(len(run.group()), []).append(run.start())
    blank_lines = [blank.start() for blank in _BLANK_LINE.finditer(text, start, end)]
    closing_tags: dict[str, _NextMatch] = {}
    comment_end = _NextMatch(re.compile("-->"), text, end)
    regions: list[tuple[int, int]] = []
    position = start
    while opener := _CODE_OPEN.search(text, position, end):
        closed: int | None = None
        if opener.group("ticks"):
            length = len(opener.group("ticks"))
            starts = runs[length]
            index = bisect.bisect_right(starts, opener.start())
            blank = bisect.bisect_left(blank_lines, opener.end())
            if index < len(starts) and (blank == len(blank_lines) or blank_lines[blank] >= starts[index]):
                closed = starts[index] + length
        else:
            tag = (opener.group("tag") or "").lower()
            closing = comment_end
            if tag:
                closing = closing_tags.setdefault(
                    tag, _NextMatch(re.compile(rf"</{tag}\s*>", re.IGNORECASE), text, end)
                )
            found = closing.at(opener.end())
            closed = found.end() if found else None
        if closed is None:
            position = opener.start() + 1
        else:
            regions.append((opener.start(), closed))
            position = closed
    return regions


class _NextMatch:
    """The first match of a pattern at or after a position, asked for positions that only grow.

    A search that found nothing from one position finds nothing from a later
    one, and a match found stays the answer until the position passes it, so
    each stretch of text is searched once: tags left open by the thousand do
    not make the search quadratic.
    """

    def __init__(self, pattern: re.Pattern[str], text: str, end: int | None = None) -> None:
        self._pattern, self._text, self._end = pattern, text, len(text) if end is None else end
        self._searched_from: int | None = None
        self._found: re.Match[str] | None = None

    def at(self, position: int) -> re.Match[str] | None:
        known = self._searched_from is not None and self._searched_from <= position
        if not (known and (self._found is None or self._found.start() >= position)):
            self._searched_from = position
            self._found = self._pattern.search(self._text, position, self._end)
        return self._found


class _Scanner:
    """One pass over the text: every tag outside code is replaced by its meaning or reported."""

    def __init__(self, text: str, skipped: list[tuple[int, int]]) -> None:
        self._text = text
        self._skipped = _merged(skipped)
        self._skipped_starts = [start for start, _ in self._skipped]
        self._out: list[str] = []
        self._cursor = 0
        self._line_map = [1]
        self._source_line = 1
        self._result = Translated("")
        self._closers: dict[str, _NextMatch] = {}  # by pattern, for the end tags of highlight blocks
        self._counted = (0, 1)  # an offset and its line: tags are met in order, so lines are counted on from there

    def run(self) -> Translated:
        position = 0
        while match := _TAG.search(self._text, position):
            skipped_until = self._inside_skipped(match.start())
            position = skipped_until if skipped_until is not None else self._tag(match)
        self._copy_to(len(self._text))
        self._result.text = "".join(self._out)
        self._result.line_map = self._line_map
        return self._result

    def _inside_skipped(self, offset: int) -> int | None:
        index = bisect.bisect_right(self._skipped_starts, offset) - 1
        return self._skipped[index][1] if index >= 0 and self._skipped[index][1] > offset else None

    def _tag(self, match: re.Match[str]) -> int:
        """Handle one tag; the offset where scanning goes on."""
        hugo = match.group("hugo_angle") if match.group("hugo_angle") is not None else match.group("hugo_percent")
        if hugo is not None:
            return self._hugo(match, hugo)
        if match.group("liquid") is not None:
            return self._liquid(match, match.group("liquid"))
        if match.group("output") is not None:
            value = shortcodes.output_value(match.group("output"), self._text[match.end() : match.end() + 1])
            if value is not None:
                self._replace(match.start(), match.end(), value)
                return match.end()
        return self._warn(match)

    def _hugo(self, match: re.Match[str], body: str) -> int:
        name, args = shortcodes.hugo_call(body)
        if name == "highlight":
            return self._code_block(match, _HUGO_CLOSER.format(name=name), args.positional[:1])
        if name in ("ref", "relref"):
            target = args.named.get("path") or (args.positional[0] if args.positional else None)
            return self._ref(match, target) if target else self._warn(match)
        if name == "figure":
            image = shortcodes.hugo_figure(args)
            return self._image(match, image) if image else self._warn(match)
        replacement = shortcodes.hugo_embed(name, args)
        if replacement is None:
            return self._warn(match)
        self._replace(match.start(), match.end(), replacement)
        return match.end()

    def _liquid(self, match: re.Match[str], body: str) -> int:
        name, rest = (body.split(maxsplit=1) + ["", ""])[:2]
        if name == "highlight":
            return self._code_block(match, _LIQUID_CLOSER.format(name=name), rest.split()[:1])
        if name == "post_url" and rest and "{" not in rest:
            return self._ref(match, rest.split()[0])
        if name == "link" and rest and "{" not in rest:
            path = rest.split()[0]
            if shortcodes.names_article(path):
                return self._ref(match, path)
            self._replace(match.start(), match.end(), "/" + path.lstrip("/"))
            return match.end()
        if name == "image":
            image = shortcodes.eleventy_image(rest)
            return self._image(match, image) if image else self._warn(match)
        return self._warn(match)

    def _ref(self, match: re.Match[str], target: str) -> int:
        path, hash_mark, anchor = target.partition("#")
        if path:
            self._result.refs.append((path, self._line_at(match.start())))
            self._replace(match.start(), match.end(), shortcodes.ref_url(path) + hash_mark + anchor)
        else:
            self._replace(match.start(), match.end(), hash_mark + anchor)
        return match.end()

    def _image(self, match: re.Match[str], image: ShortcodeImage) -> int:
        placeholder = f"#newsgen-image-{len(self._result.images)}"
        self._result.images[placeholder] = image
        self._replace(match.start(), match.end(), f"![]({placeholder})")
        return match.end()

    def _code_block(self, opener: re.Match[str], closer_pattern: str, language: list[str]) -> int:
        """A highlight block as a fenced code block on lines of its own; its content is code, left as written."""
        closers = self._closers.setdefault(closer_pattern, _NextMatch(re.compile(closer_pattern), self._text))
        closer = closers.at(opener.end())
        if closer is None:
            return self._warn(opener)
        text = self._text
        line_start = text.rfind("\n", 0, opener.start()) + 1
        indent = text[line_start : opener.start()]
        lead = ""
        if indent.strip():  # text before the tag on its line: the fence needs a line of its own
            indent, lead = "", "\n"
        content_start = opener.end() + (1 if text.startswith("\n", opener.end()) else 0)
        closer_line_start = text.rfind("\n", 0, closer.start()) + 1
        content_end = closer_line_start if not text[closer_line_start : closer.start()].strip() else closer.start()
        content = text[content_start:content_end]
        fence = shortcodes.fence_for(content)
        lang = shortcodes.code_language(language[0] if language else "")
        self._replace(opener.start(), content_start, f"{lead}{indent}{fence}{lang}\n")
        self._copy_to(content_end)
        ending = "" if content_end == closer_line_start or content_end == content_start else "\n"
        after = "" if text.startswith("\n", closer.end()) or closer.end() == len(text) else "\n"
        self._replace(content_end, closer.end(), f"{ending}{indent}{fence}{after}")
        return closer.end()

    def _warn(self, match: re.Match[str]) -> int:
        message = f"template-syntax: {_shown(match.group(0))} is template syntax of another generator; shown as text"
        self._result.warnings.append((self._line_at(match.start()), message))
        return match.end()

    def _line_at(self, offset: int) -> int:
        counted, line = self._counted if offset >= self._counted[0] else (0, 1)
        self._counted = (offset, line + self._text.count("\n", counted, offset))
        return self._counted[1]

    def _copy_to(self, end: int) -> None:
        copied = self._text[self._cursor : end]
        self._out.append(copied)
        for _ in range(copied.count("\n")):
            self._source_line += 1
            self._line_map.append(self._source_line)
        self._cursor = end

    def _replace(self, start: int, end: int, replacement: str) -> None:
        """Write `replacement` for text[start:end]; its lines belong to the line the replaced text starts on."""
        self._copy_to(start)
        self._out.append(replacement)
        replaced_lines = self._text.count("\n", start, end)
        self._line_map += [self._source_line + min(i + 1, replaced_lines) for i in range(replacement.count("\n"))]
        self._source_line += replaced_lines
        self._cursor = end


def _merged(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping regions as disjoint ones (a code span inside a raw block, say)."""
    merged: list[tuple[int, int]] = []
    for start, end in regions:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _shown(tag: str, limit: int = 80) -> str:
    """A tag as the warning quotes it: on one line, long ones shortened."""
    tag = " ".join(tag.split())
    return tag if len(tag) <= limit else tag[: limit - 4] + "… " + tag[-2:]
