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
_DASHES = [
    (re.compile(r"(?<!-)---(?!-)"), "\u2014"),
    (re.compile(r"(?<!-)--(?!-)"), "\u2013"),
    (re.compile(r"\.\.\."), "\u2026"),
]
_DOUBLE_OPEN = re.compile(r'(?<=[\s(\[{\u2014\u2013/-])"')
_SINGLE_OPEN = re.compile(r"(?<=[\s(\[{\u2014\u2013/-])'(?=[^\s'])")


def smarten(root: etree.Element) -> None:
    """Curl quotes and set dashes in every text node, in document order."""
    previous = " "
    for text_holder, attribute in _text_nodes(root):
        text = getattr(text_holder, attribute)
        if not text:
            continue
        setattr(text_holder, attribute, _smarten_text(text, previous))
        previous = text[-1]


def _text_nodes(element: etree.Element, skipping: bool = False) -> list[tuple[etree.Element, str]]:
    """(element, "text" | "tail") pairs in reading order, leaving out code and the like."""
    nodes: list[tuple[etree.Element, str]] = []
    inside = skipping or element.tag in _SKIP
    if not inside:
        nodes.append((element, "text"))
    for child in element:
        nodes += _text_nodes(child, inside)
        if not inside:
            nodes.append((child, "tail"))
    return nodes


def _smarten_text(text: str, previous: str) -> str:
    for pattern, replacement in _DASHES:
        text = pattern.sub(replacement, text)
    opens = previous in _OPENS_QUOTE
    if text[0] == '"':
        text = ("\u201c" if opens else "\u201d") + text[1:]
    elif text[0] == "'":
        text = ("\u2018" if opens and len(text) > 1 and not text[1].isspace() else "\u2019") + text[1:]
    text = _DOUBLE_OPEN.sub("\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\u2018", text).replace("'", "\u2019")
