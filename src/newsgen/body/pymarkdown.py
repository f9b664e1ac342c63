"""The Python-Markdown engine, with newsgen's body rules as its last tree step.

A module of its own so that builds that read no article (everything cached)
never import Python-Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import AUTOMAIL_RE, AutomailInlineProcessor
from markdown.treeprocessors import Treeprocessor

TreeRule = Callable[[etree.Element], None]
RawRule = Callable[[str], str]
_RAW_TAGS = re.compile(r"<(?:img|a)\b", re.IGNORECASE)


def make_markdown(apply_rules: TreeRule, apply_raw: RawRule) -> markdown.Markdown:
    """Python-Markdown with `extra` and `sane_lists`; quotes and dashes are typography.py's, for both engines.

    `extra`'s parts are given as objects, in its order, rather than by name:
    names are looked up among the installed packages' entry points, which
    costs more than reading an article.
    """
    extra = [
        FencedCodeExtension(),
        FootnoteExtension(),
        AttrListExtension(),
        DefListExtension(),
        TableExtension(),
        AbbrExtension(),
        MarkdownInHtmlExtension(),
    ]
    return markdown.Markdown(extensions=[*extra, SaneListExtension(), _RulesExtension(apply_rules, apply_raw)])


class _RulesExtension(Extension):
    def __init__(self, apply_rules: TreeRule, apply_raw: RawRule) -> None:
        super().__init__()
        self._apply_rules = apply_rules
        self._apply_raw = apply_raw

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Last, after inline patterns made the <img> elements and escapes were restored.
        md.treeprocessors.register(_RulesTreeprocessor(md, self._apply_rules, self._apply_raw), "newsgen_rules", -10)
        md.inlinePatterns.register(_PlainAutomail(AUTOMAIL_RE, md), "automail", 110)  # replaces the built-in one


class _RulesTreeprocessor(Treeprocessor):
    """The body rules on the tree, and on the raw HTML Python-Markdown keeps aside for the end (its "stash")."""

    def __init__(self, md: markdown.Markdown, apply_rules: TreeRule, apply_raw: RawRule) -> None:
        super().__init__(md)
        self._apply_rules = apply_rules
        self._apply_raw = apply_raw

    def run(self, root: etree.Element) -> None:
        self._apply_rules(root)
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            # Code blocks are stashed too, already escaped, so a `<img` in one is never a tag.
            if isinstance(block, str) and _RAW_TAGS.search(block) and not block.startswith("<!--"):
                stash[index] = self._apply_raw(block)


class _PlainAutomail(AutomailInlineProcessor):
    """`<team@example.org>` as a plain mailto link, as cmark writes it.

    The built-in one hides the address in character references, which the
    sanitiser decodes anyway; until then they look like a URL with control
    characters to the link check.
    """

    # Python-Markdown's inline processors change the signature of Pattern's method; its own stubs ignore it too.
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]  # noqa: N802
        email = self.unescape(m.group(1)).removeprefix("mailto:")
        link = etree.Element("a", {"href": "mailto:" + email})
        link.text = util.AtomicString(email)
        return link, m.start(0), m.end(0)
