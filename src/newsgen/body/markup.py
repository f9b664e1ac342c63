"""Article bodies: Markdown to sanitised HTML, with captioned images as figures.

One Markdown instance is reused for every article (building one costs more
than converting a typical story). The body is sanitised after conversion so a
pasted `<script>` or a `javascript:` link cannot reach a reader's browser.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from newsgen.body.typography import smarten
from newsgen.linkpolicy import url_problem
from newsgen.models import Caption

_EXTRA_TAGS = {"iframe", "section", "figure", "figcaption"}
_EXTRA_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"},
    "a": {"href", "hreflang", "rel"},
}


@dataclass(frozen=True)
class ResolvedImage:
    """Where a body image is published and how big it is, when its file is in the site."""

    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class ImageProblem:
    """Why an image can't be published: the editor's message and the check's code."""

    message: str
    code: str


@dataclass(frozen=True)
class BodyIssue:
    line: int  # 1-based line within the body text
    message: str
    code: str


@dataclass
class RenderedBody:
    html: str
    image_srcs: list[str] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)  # site-relative link targets and their body lines
    issues: list[BodyIssue] = field(default_factory=list)


ImageResolver = Callable[[str], "ResolvedImage | ImageProblem"]
"""Maps a body image src to where it is published, or to why it can't be."""


ENGINES = ("python-markdown", "cmark")
_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]


class BodyRenderer:
    """Converts article bodies with either engine, under the same rules; not thread-safe, make one per process."""

    def __init__(self, engine: str = "python-markdown") -> None:
        self.engine = engine
        self._rules = _BodyRules()
        if engine == "python-markdown":
            from newsgen.body.pymarkdown import (
                make_markdown,
            )  # imported only when articles are read, not on cached builds

            self._markdown = make_markdown(self._rules.apply)

    def render(self, text: str, captions: Mapping[str, Caption], resolve: ImageResolver) -> RenderedBody:
        result = RenderedBody(html="")
        self._rules.prepare(text, captions, resolve, result)
        try:
            html = self._cmark(text) if self.engine == "cmark" else self._markdown.reset().convert(text)
        finally:
            self._rules.prepare("", {}, resolve, RenderedBody(html=""))
        import nh3  # imported only when articles are read, not on cached builds

        result.html = nh3.clean(
            html,
            tags=nh3.ALLOWED_TAGS | _EXTRA_TAGS,
            attributes={**nh3.ALLOWED_ATTRIBUTES, **_EXTRA_ATTRIBUTES},
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
            clean_content_tags={"script", "style"},
        )
        return result

    def _cmark(self, text: str) -> str:
        """cmark-gfm's HTML, run through the same image, link and figure rules as a tree."""
        import cmarkgfm  # optional: pip install 'newsgen[cmark]'
        from cmarkgfm.cmark import Options

        options = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE  # unsafe: nh3 sanitises
        html = cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=_CMARK_EXTENSIONS)
        root = _parse_fragment(html)
        self._rules.apply(root)
        return (root.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


class _BodyRules:
    """Checks images and links, and turns a captioned image alone in a paragraph into a figure."""

    def __init__(self) -> None:
        self._text = ""
        self._captions: Mapping[str, Caption] = {}
        self._resolve: ImageResolver = lambda src: ResolvedImage(src)
        self._result = RenderedBody(html="")

    def prepare(self, text: str, captions: Mapping[str, Caption], resolve: ImageResolver, result: RenderedBody) -> None:
        self._text, self._captions, self._resolve, self._result = text, captions, resolve, result

    def apply(self, root: etree.Element) -> None:
        smarten(root)
        written_src = {id(image): image.get("src", "") for image in root.iter("img")}
        for link in root.iter("a"):
            self._check_link(link)
        for image in root.iter("img"):
            self._check_image(image)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _is_lone_image(child):
                    caption = self._captions.get(written_src[id(child[0])])
                    if caption is not None:
                        parent[index] = _figure(child[0], caption)

    def _check_link(self, link: etree.Element) -> None:
        href = link.get("href", "")
        problem = url_problem(href) if href else None
        if problem:
            self._issue(href, f"link: {problem}", "url-scheme")
        elif href and not href.startswith(("http://", "https://", "mailto:", "#")):
            self._result.links.append((href, self._line_of(href)))

    def _check_image(self, image: etree.Element) -> None:
        src = image.get("src", "")
        self._result.image_srcs.append(src)
        if not image.get("alt", "").strip():
            self._issue(src, f"image {src!r} needs alt text: ![what the photo shows]({src})", "image-alt")
        resolved = self._resolve(src)
        if isinstance(resolved, ImageProblem):
            self._issue(src, f"image {src!r}: {resolved.message}", resolved.code)
            return
        image.set("src", resolved.url)
        if resolved.width and resolved.height:
            image.set("width", str(resolved.width))
            image.set("height", str(resolved.height))
        image.set("loading", "lazy")

    def _issue(self, needle: str, message: str, code: str) -> None:
        self._result.issues.append(BodyIssue(self._line_of(needle), message, code))

    def _line_of(self, needle: str) -> int:
        """Markdown keeps no positions, so find the first line that mentions `needle`."""
        offset = self._text.find(needle) if needle else -1
        return self._text.count("\n", 0, offset) + 1 if offset >= 0 else 1


def _is_lone_image(paragraph: etree.Element) -> bool:
    return (
        len(paragraph) == 1
        and paragraph[0].tag == "img"
        and not (paragraph.text or "").strip()
        and not (paragraph[0].tail or "").strip()
    )


def _figure(image: etree.Element, caption: Caption) -> etree.Element:
    figure = etree.Element("figure")
    image.tail = None
    figure.append(image)
    figcaption = etree.SubElement(figure, "figcaption")
    figcaption.text = caption.caption or ""
    if caption.credit:
        credit = etree.SubElement(figcaption, "span", {"class": "credit"})
        credit.text = caption.credit
        figcaption.text += " " if figcaption.text else ""
    return figure


class _FragmentParser(HTMLParser):
    """An HTML fragment as an ElementTree, leniently: cmark's output may hold raw HTML from the author."""

    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._builder = etree.TreeBuilder()
        self._builder.start("div", {})
        self._open = ["div"]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._builder.start(tag, {name: value or "" for name, value in attrs})
        if tag in self._VOID:
            self._builder.end(tag)
        else:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._builder.start(tag, {name: value or "" for name, value in attrs})
        self._builder.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open[1:]:
            while self._open[-1] != tag:
                self._builder.end(self._open.pop())
            self._builder.end(self._open.pop())

    def handle_data(self, data: str) -> None:
        self._builder.data(data)

    def root(self) -> etree.Element:
        self.close()
        while self._open:
            self._builder.end(self._open.pop())
        return self._builder.close()


def _parse_fragment(html: str) -> etree.Element:
    parser = _FragmentParser()
    parser.feed(html)
    return parser.root()
