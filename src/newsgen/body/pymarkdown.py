"""The Python-Markdown engine, with newsgen's body rules as its last tree step.

A module of its own so that builds that read no article (everything cached)
never import Python-Markdown.

Python-Markdown tries every inline pattern on every piece of text, and most
block tests on every block, each a regex scan in a Python call: most of a
news story's conversion. Most of those patterns and tests can only match text
holding a certain character (a link needs `[`, a heading `#`), so a text
without it skips that regex: the same output, in under half the time. Which
strings each needs is stated by the regex it is for, so a pattern or test
that a Python-Markdown release changes is simply tried on every text again.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown import inlinepatterns, util
from markdown.blockprocessors import BlockProcessor
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
from markdown.treeprocessors import InlineProcessor, Treeprocessor

TreeRule = Callable[[etree.Element], None]
RawRule = Callable[[str], str]
_RAW_TAGS = re.compile(r"<(?:img|a)\b", re.IGNORECASE)

# Inline patterns by their regex, and the strings one of which every match needs in the text (lookarounds included).
_INLINE_NEEDLES: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference
    r"(?<!\!)\[": ("[",),  # links and references
    r"\!\[": ("![",),  # images
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # line break
    (  # inline HTML: a tag, comment, processing instruction or CDATA, each between `<` and `>`
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
        r"!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"
    ): ("<",),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # emphasis
}
# What _NeedleInlineProcessor uses of InlineProcessor's own (name-mangled) methods.
_INLINE_INTERNALS = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")
# Block processors (name: the regex attribute its `test` searches, that regex, the strings a match needs); the last
# three test nothing and search in `run`, which puts back a block it does not match: a False test skips just that.
_BLOCK_NEEDLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "hashheader": ("RE", r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "setextheader": ("RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "hr": (
        "SEARCH_RE",
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    "deflist": ("RE", r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", (": ",)),
    "quote": ("RE", r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "footnote": ("RE", r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
    "abbr": ("RE", r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", ("*[",)),
    "reference": (
        "RE",
        r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
        ("]:",),
    ),
}


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
    md = markdown.Markdown(extensions=[*extra, SaneListExtension(), _RulesExtension(apply_rules, apply_raw)])
    if all(hasattr(InlineProcessor, name) for name in _INLINE_INTERNALS):
        md.treeprocessors.register(_NeedleInlineProcessor(md), "inline", 20)
    for name, (attribute, regex, needles) in _BLOCK_NEEDLES.items():
        processor = md.parser.blockprocessors[name] if name in md.parser.blockprocessors else None
        if processor is not None and getattr(getattr(processor, attribute, None), "pattern", None) == regex:
            processor.test = _needing(needles, processor)  # type: ignore[method-assign,assignment]
    return md


def _needing(needles: tuple[str, ...], processor: BlockProcessor) -> Callable[[etree.Element, str], bool]:
    """`processor.test`, False at once for a block holding none of `needles` (its regex can't match it)."""
    test = processor.test
    if len(needles) == 1:
        needle = needles[0]
        return lambda parent, block: needle in block and test(parent, block)
    return lambda parent, block: any(needle in block for needle in needles) and test(parent, block)


class _NeedleInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, trying on a text only the patterns whose needles it holds.

    A text gets no new needle as patterns apply (a match is replaced by a
    placeholder that holds none), so the needles a text holds when it comes in
    are all it will hold: they are looked for once.
    """

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._patterns: list[inlinepatterns.Pattern] = list(self.md.inlinePatterns)
        self._needles = [_pattern_needles(pattern) for pattern in self._patterns]
        self._all_needles = {needle for needles in self._needles for needle in needles or ()}
        return super().run(tree, ancestors)

    # The loop of InlineProcessor.__handleInline (name-mangled, so this name overrides it), skipping what can't match.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        present = {needle for needle in self._all_needles if needle in data}
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needles = self._patterns, self._needles
        start = 0
        while patternIndex < len(patterns):
            wanted = needles[patternIndex]
            if wanted is not None and wanted.isdisjoint(present):
                patternIndex, start = patternIndex + 1, 0  # as when the pattern is tried and does not match
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _pattern_needles(pattern: inlinepatterns.Pattern) -> frozenset[str] | None:
    """What a text must hold for `pattern` to match it; None: try it on every text."""
    needles = _INLINE_NEEDLES.get(pattern.getCompiledRegExp().pattern)
    return None if needles is None else frozenset(needles)


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
