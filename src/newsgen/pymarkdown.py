"""The Python-Markdown engine, with newsgen's body rules as its last tree step.

A module of its own so that builds that read no article (everything cached)
never import Python-Markdown.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["extra", "sane_lists"]  # quotes and dashes: typography.py, for both engines
TreeRule = Callable[[etree.Element], None]


def make_markdown(apply_rules: TreeRule) -> markdown.Markdown:
    return markdown.Markdown(extensions=[*EXTENSIONS, _RulesExtension(apply_rules)])


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
