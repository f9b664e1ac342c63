"""Front-matter text as plain text: HTML tags removed, entities decoded.

Titles and summaries written for other generators carry HTML
(`New Beginnings&#58; A`, `<em>Ruby</em> 3.0`), which those generators
pasted into pages as markup. newsgen never does: every front-matter string
is text, escaped on output, so the tags are removed (with a warning naming
the field) and the entities decoded. Only real HTML element names count as
tags, so `Pier <reopens>` stays as written; only entities ending in `;` are
decoded, so `AT&T` and `&copy` stay as written.
"""

from __future__ import annotations

import html
import re

# Elements of HTML (and the old presentational ones archives still carry).
_ELEMENTS = frozenset(
    """
    a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed
    fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i
    iframe img input ins kbd label legend li link main map mark marquee math menu meta meter nav nobr noscript
    object ol optgroup option output p param picture pre progress q rp rt ruby s samp script search section
    select slot small source span strike strong style sub summary sup svg table tbody td template textarea
    tfoot th thead time title tr track tt u ul var video wbr
    """.split()
)
# Elements that separate words: removing them leaves a space.
_BREAKS = frozenset("br p div li hr tr td th blockquote h1 h2 h3 h4 h5 h6".split())
_TAG = re.compile(r"<!--.*?-->|</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def plain_text(value: str) -> tuple[str, tuple[str, ...]]:
    """`value` without HTML tags and with entities decoded, and the tags removed (none when it had none)."""
    removed: list[str] = []

    def remove(tag: re.Match[str]) -> str:
        name = (tag.group(1) or "").lower()
        if tag.group(1) is not None and name not in _ELEMENTS:
            return tag.group()
        removed.append(tag.group())
        return " " if name in _BREAKS else ""

    text = _TAG.sub(remove, value)
    if removed:
        text = re.sub(r"[ \t]+", " ", text)
    return _ENTITY.sub(lambda entity: html.unescape(entity.group()), text).strip(), tuple(removed)
