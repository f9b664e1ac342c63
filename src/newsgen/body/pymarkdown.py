"""The Python-Markdown engine, with newsgen's body rules as its last tree step.

A module of its own so that builds that read no article (everything cached)
never import Python-Markdown.

Python-Markdown tries every inline pattern on every piece of text, and most
block tests on every block, each a regex scan in a Python call: most of a
news story's conversion. Most of those patterns and tests can only match text
holding a certain character (a link needs `[`, a heading `#`), so a text
without it skips that regex: the same output, in under half the time.

The shortcut rests on Python-Markdown's internals: the regex each pattern or
block test searches, and the code of the methods it stands in for or calls
(the inline step's name-mangled loop; each block processor's `test` and
`run`). Each is checked when a converter is made: a regex must be one the
needles were written for, and a method's source one the shortcut was verified
against (`_VERIFIED_CODE`). Where one is not, that part runs Python-Markdown's
own code, so a new release is at worst slower, never different;
`fallbacks()` names those parts.
"""

from __future__ import annotations

import hashlib
import inspect
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
# The name-mangled methods of InlineProcessor that _NeedleInlineProcessor overrides (its loop) and calls.
_INLINE_INTERNALS = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")
# Block processors (name: the regex attribute its `test` searches, the regexes the needles were written for, the
# strings a match needs); the last three test nothing and search in `run`, which puts back a block it does not match:
# a False test skips just that.
_BLOCK_NEEDLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "hashheader": ("RE", (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",), ("#",)),
    "setextheader": ("RE", (r"^.*?\n(?:=+|-+)[ ]*(\n|$)",), ("\n=", "\n-")),
    "hr": (
        "SEARCH_RE",
        (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",),
        ("-", "_", "*"),
    ),
    "deflist": ("RE", (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)",), (": ",)),
    "quote": ("RE", (r"(^|\n)[ ]{0,3}>[ ]?(.*)",), (">",)),
    "footnote": ("RE", (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$",), ("[^",)),
    "abbr": (
        "RE",
        (
            r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",  # Python-Markdown 3.5 to 3.11.3
            r"^[*]\[(?P<abbr>[^\\\n]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",  # 3.11.4: an abbreviation is one line
        ),
        ("*[",),
    ),
    "reference": (
        "RE",
        (r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",),
        ("]:",),
    ),
}
# Digests of the methods' sources (`_code_digest`) that the shortcut was verified against: the tests'
# equivalence run passed with each. Python-Markdown 3.10.3, 3.11.3 and 3.11.4.
_VERIFIED_CODE = frozenset(
    {
        "016bd045a929eb581472",
        "23a504f819e03cbfde4e",
        "2b84bb939ef1e7551eb3",
        "3c4197b001bebe055775",
        "476132c973524da39e49",
        "4efde97698e1fb357eee",
        "5bcdd27025481e439bf6",
        "5ca3b214386425caa706",
        "63e7ae8783222e7bb28a",
        "7f0202d1b2dea34e7348",
        "84a3111585034c18c547",
        "8e190f58d260ef34d01b",
        "9c4de62db1f884c2603f",
        "9e101f4dcae9f8f6e633",
        "aa61918f6fd46fee0425",
        "bfed4b968d5ea10d37fc",
    }
)


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
    if _inline_loop_verified():
        md.treeprocessors.register(_NeedleInlineProcessor(md), "inline", 20)
    for name, processor in _verified_blocks(md).items():
        processor.test = _needing(_BLOCK_NEEDLES[name][2], processor)  # type: ignore[method-assign,assignment]
    return md


def fallbacks(md: markdown.Markdown) -> list[str]:
    """The parts of `md`'s conversion that run Python-Markdown's own code, not the shortcut: empty when it all holds."""
    parts = [] if isinstance(md.treeprocessors["inline"], _NeedleInlineProcessor) else ["the inline loop"]
    parts += [
        f"inline pattern {pattern.pattern!r}" for pattern in md.inlinePatterns if _pattern_needles(pattern) is None
    ]
    parts += [f"block test {name!r}" for name in _BLOCK_NEEDLES if "test" not in vars(md.parser.blockprocessors[name])]
    return parts


def _inline_loop_verified() -> bool:
    methods = [getattr(InlineProcessor, name, None) for name in _INLINE_INTERNALS]
    return None not in methods and _code_digest(*methods) in _VERIFIED_CODE


def _verified_blocks(md: markdown.Markdown) -> dict[str, BlockProcessor]:
    """The block processors whose regex and code are those the needles were written for."""
    verified = {}
    for name, (attribute, regexes, _needles) in _BLOCK_NEEDLES.items():
        processor = md.parser.blockprocessors[name] if name in md.parser.blockprocessors else None
        if processor is None or getattr(getattr(processor, attribute, None), "pattern", None) not in regexes:
            continue
        if _code_digest(type(processor).test, type(processor).run) in _VERIFIED_CODE:
            verified[name] = processor
    return verified


def _code_digest(*functions: object) -> str | None:
    """A digest of the functions' source text; None where it can't be read (then nothing counts as verified)."""
    try:
        sources = [inspect.getsource(function) for function in functions]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:20]


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
