"""The Python-Markdown engine, with newsgen's body rules as its last tree step.

A module of its own so that builds that read no article (everything cached)
never import Python-Markdown.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

TreeRule = Callable[[etree.Element], None]


def make_markdown(apply_rules: TreeRule) -> markdown.Markdown:
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
    return markdown.Markdown(extensions=[*extra, SaneListExtension(), _RulesExtension(apply_rules)])


class _RulesExtension(Extension):
    def __init__(self, apply_rules: TreeRule) -> None:
        super().__init__()
        self._apply_rules = apply_rules

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Last, after inline patterns made the <img> elements and escapes were restored.
        md.treeprocessors.register(_RulesTreeprocessor(md, self._apply_rules), "newsgen_rules", -10)


class _RulesTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, apply_rules: TreeRule) -> None:
        super().__init__(md)
        self._apply_rules = apply_rules

    def run(self, root: etree.Element) -> None:
        self._apply_rules(root)
