"""Typographer's quotes, dashes and ellipses, applied to an article body's text.

Python-Markdown's smarty extension doubles the cost of converting an article,
so newsgen does this itself in one regex pass per text node, the same for
both Markdown engines. Code, preformatted text and raw script/style are left
exactly as written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

_SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "tt", "var"})
_OPENS_QUOTE = " \t\n\r([{\u2014\u2013-/"  # after these (or at the start) a quote opens
_DASHES = [(re.compile(r"(?<!-)---(?!-)"), "\u2014"), (re.compile(r"(?<!-)--(?!-)"), "\u2013")]
_DOUBLE_OPEN = re.compile(r'(?<=[\s(\[{\u2014\u2013/-])"')
_SINGLE_OPEN = re.compile(r"(?<=[\s(\[{\u2014\u2013/-])'(?=[^\s'])")
_CODE_SPAN = re.compile(r"(`[^`]*`)")  # a backtick span in plain text: code, kept as written


def smarten(root: etree.Element) -> None:
    """Curl quotes and set dashes in every text node, in document order."""
    previous = " "
    for text_holder, attribute in _text_nodes(root):
        text = getattr(text_holder, attribute)
        if not text:
            continue
        setattr(text_holder, attribute, _smarten_text(text, previous))
        previous = text[-1]


def smarten_text(text: str) -> str:
    """Front-matter text (headline, dek, captions, comments) set as the body is, so a page never shows both
    "market's" and "market’s".

    Front matter is plain text, not Markdown, but editors still mark code with
    backticks: a `code` span is left as written, as a body's code is.
    """
    if "`" not in text:
        return _smarten_text(text, " ")
    parts = _CODE_SPAN.split(text)  # prose at even indexes, code spans at odd ones
    previous = " "
    for index in range(0, len(parts), 2):
        prose = parts[index]
        if prose:  # as in a body, a quote after a code span reads what came before it
            parts[index], previous = _smarten_text(prose, previous), prose[-1]
    return "".join(parts)


def _text_nodes(root: etree.Element) -> list[tuple[etree.Element, str]]:
    """(element, "text" | "tail") pairs in reading order, leaving out code and the like.

    Walked with a stack of its own, not by recursion: a body may nest
    elements deeper than Python's call stack goes.
    """
    if root.tag in _SKIP:
        return []
    nodes: list[tuple[etree.Element, str]] = [(root, "text")]
    open_elements = [(root, iter(root))]  # the path from the root, each with the children not yet walked
    while open_elements:
        element, children = open_elements[-1]
        child = next(children, None)
        if child is None:
            open_elements.pop()
            if open_elements:  # the root's tail is not the body's
                nodes.append((element, "tail"))
        elif child.tag in _SKIP:
            nodes.append((child, "tail"))  # nothing inside is prose; what follows it is
        else:
            nodes.append((child, "text"))
            open_elements.append((child, iter(child)))
    return nodes


def _smarten_text(text: str, previous: str) -> str:
    """Each rule runs only on text holding its characters: most text nodes have no dash, many no quote."""
    if "--" in text:
        for pattern, replacement in _DASHES:
            text = pattern.sub(replacement, text)
    if "..." in text:
        text = text.replace("...", "\u2026")
    opens = previous in _OPENS_QUOTE
    if '"' in text:
        if text[0] == '"':
            text = ("\u201c" if opens else "\u201d") + text[1:]
        text = _DOUBLE_OPEN.sub("\u201c", text).replace('"', "\u201d")
    if "'" in text:
        if text[0] == "'":
            text = ("\u2018" if opens and len(text) > 1 and not text[1].isspace() else "\u2019") + text[1:]
        text = _SINGLE_OPEN.sub("\u2018", text).replace("'", "\u2019")
    return text
