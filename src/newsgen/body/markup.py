"""Article bodies: Markdown to sanitised HTML, with captioned images as figures.

One Markdown instance is reused for every article (building one costs more
than converting a typical story). Other generators' template syntax is dealt
with before conversion (`templatesyntax.py`), and a body over one of the
limits of `limits.py` before that, so it never reaches an engine. The body is
sanitised after conversion (`sanitise.py`) so a pasted `<script>` or a
`javascript:` link cannot reach a reader's browser. Images and links get the
same checks whether Markdown or raw HTML wrote them, with either engine.
"""

from __future__ import annotations

import html as htmltext
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from newsgen.body.browserurl import with_https, without_whitespace
from newsgen.body.gate import mark_more, take_mark
from newsgen.body.limits import MAX_NESTING, body_limit, tree_depth_problem
from newsgen.body.places import ImagePlaces
from newsgen.body.renditions import body_image_sizes
from newsgen.body.sanitise import sanitise
from newsgen.body.shortcodes import REF_URL, ShortcodeImage, ref_path, ref_url
from newsgen.body.templatesyntax import Translated, translate
from newsgen.body.typography import smarten, smarten_text
from newsgen.errors import Severity
from newsgen.linkpolicy import foreign_scheme, is_site_link, url_problem
from newsgen.models import Caption, Renditions


@dataclass(frozen=True)
class ResolvedImage:
    """Where a body image is published and how big it is, when its file is in the site."""

    url: str
    width: int | None = None
    height: int | None = None
    renditions: Renditions | None = None  # resized copies, for a local raster image
    warning: str | None = None  # published, but not as well as it could be (no resized copies: why)


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
    severity: Severity = Severity.ERROR


@dataclass
class RenderedBody:
    html: str
    image_srcs: list[str] = field(default_factory=list)
    # Site-relative link targets and their body lines; a link to another article by its path is a
    # `newsgen-ref:` placeholder (shortcodes.ref_url) until site/refs.py resolves it.
    links: list[tuple[str, int]] = field(default_factory=list)
    issues: list[BodyIssue] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # the article paths behind those placeholders, once each
    renditions: list[Renditions] = field(default_factory=list)  # of the local images the srcset attributes list
    more: int | None = None  # where a `<!-- more -->` between top-level blocks stood in `html` (see gate.py)


ImageResolver = Callable[[str], "ResolvedImage | ImageProblem"]
"""Maps a body image src to where it is published, or to why it can't be."""


ENGINES = ("python-markdown", "cmark")
_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
_TEMPLATE_IN_URL = re.compile(r"\{\{|\{%|%7b%7b|%7b%25", re.IGNORECASE)  # cmark percent-encodes braces
_DECODED_HEAD = 16  # characters at a URL's start that character references may have spelled out
_SHORTEST_TAIL = 8  # and the fewest of the rest that still find its line
_RAW_TAG = re.compile(r"<(?:img|a)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)


class BodyRenderer:
    """Converts article bodies with either engine, under the same rules; not thread-safe, make one per process."""

    def __init__(self, engine: str = "python-markdown") -> None:
        self.engine = engine
        self._rules = _BodyRules()
        if engine == "python-markdown":
            from newsgen.body.pymarkdown import (
                make_markdown,
            )  # imported only when articles are read, not on cached builds

            self._markdown = make_markdown(self._rules.apply, self._rules.apply_raw)

    def render(self, text: str, captions: Mapping[str, Caption], resolve: ImageResolver) -> RenderedBody:
        over = body_limit(text)
        if over is not None:  # before anything costly: the engines are what a body over a limit would crash or stall
            return RenderedBody(html="", issues=[BodyIssue(over[0], over[1], "limit")])
        translated = translate(text)
        result = RenderedBody(html="")
        for line, message in translated.warnings:
            result.issues.append(BodyIssue(line, message, "template-syntax", Severity.WARNING))
        self._rules.prepare(translated, captions, resolve, result)
        try:
            html = self._convert(translated.text)
        except _Refused as refused:
            result.issues.append(BodyIssue(translated.source_line(refused.line), refused.message, refused.code))
            return result
        finally:
            self._rules.prepare(Translated(""), {}, resolve, RenderedBody(html=""))
        result.links += [(ref_url(path), line) for path, line in translated.refs]
        result.refs = list(dict.fromkeys(path for path, _ in translated.refs))
        result.html, result.more = take_mark(sanitise(mark_more(html)))
        return result

    def _convert(self, text: str) -> str:
        try:
            return self._cmark(text) if self.engine == "cmark" else self._markdown.reset().convert(text)
        except RecursionError as exc:  # a nesting limits.py does not foresee: the engine's own recursion ran out
            message = f"it nests more deeply than the Markdown engine can follow; the limit is {MAX_NESTING} levels"
            raise _Refused(1, message) from exc

    def _cmark(self, text: str) -> str:
        """cmark-gfm's HTML, run through the same image, link and figure rules as a tree."""
        import cmarkgfm  # optional: pip install 'newsgen[cmark]'
        from cmarkgfm.cmark import Options

        options = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE  # unsafe: nh3 sanitises
        try:
            html = cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=_CMARK_EXTENSIONS)
        except UnicodeDecodeError as exc:  # cmark-gfm cuts a character in two after `[^` and a line break
            found = text.find("[^\n")
            message = (
                "cmark-gfm could not convert it (it cuts a character in two, as it does after '[^' and a line"
                " break): join that line with the next, or use the python-markdown engine"
            )
            raise _Refused(text.count("\n", 0, found) + 1 if found >= 0 else 1, message, "cmark") from exc
        root = _parse_fragment(mark_more(html))  # the parser drops comments
        self._rules.apply(root)
        text, root.text = root.text or "", None  # the text before the first tag goes out unescaped, as it always has
        # The wrapper serialised once and cut off, rather than each child on its own (each sets up a writer).
        return text + etree.tostring(root, encoding="unicode", method="html")[len("<div>") : -len("</div>")]


class _Refused(Exception):
    """A body an engine can't convert, or whose tree is too deep to walk: the body issue that says so."""

    def __init__(self, line: int, message: str, code: str = "limit") -> None:
        super().__init__(message)
        self.line, self.message, self.code = line, message, code


class _BodyRules:
    """Checks images and links, and makes figures: of a captioned image alone in a paragraph, and of shortcodes."""

    def __init__(self) -> None:
        self._translated = Translated("")
        self._captions: Mapping[str, Caption] = {}
        self._resolve: ImageResolver = lambda src: ResolvedImage(src)
        self._result = RenderedBody(html="")
        self._ref_paths: set[str] = set()
        self._image_places = ImagePlaces("")
        self._images_seen: dict[str, int] = {}  # by src (or placeholder): how many images gave it so far

    def prepare(
        self, translated: Translated, captions: Mapping[str, Caption], resolve: ImageResolver, result: RenderedBody
    ) -> None:
        self._translated, self._captions, self._resolve, self._result = translated, captions, resolve, result
        self._ref_paths = {path for path, _ in translated.refs}
        self._image_places, self._images_seen = ImagePlaces(translated.text), {}

    def apply(self, root: etree.Element) -> None:
        too_deep = tree_depth_problem(root)
        if too_deep is not None:  # before anything walks it
            raise _Refused(1, too_deep)
        smarten(root)
        parents = {id(child): parent for parent in root.iter() for child in parent}
        shortcodes = self._fill_shortcode_images(root)
        written_src = {id(image): image.get("src", "") for image in root.iter("img")}
        for link in list(root.iter("a")):
            href = self._kept_link(link.get("href", ""))
            if href is None:
                _unwrap(link, parents)
            elif href != link.get("href", ""):
                link.set("href", href)
        for image in list(root.iter("img")):
            placeholder, shortcode = shortcodes.get(id(image), ("", None))
            if not self._check_image(image, placeholder or image.get("src", "")):
                _replace_with_text(image, image.get("alt", ""), parents)
            elif shortcode is not None and (shortcode.figure or shortcode.link):
                self._place_shortcode_image(image, shortcode, parents)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _is_lone_image(child):
                    caption = self._captions.get(written_src[id(child[0])])
                    if caption is not None:
                        parent[index] = _figure(child[0], caption)

    def apply_raw(self, html: str) -> str:
        """Raw HTML that an engine passes through untouched (Python-Markdown's): its `<img>` and `<a>` get the same rules."""
        return _RAW_TAG.sub(self._raw_tag, html)

    def _raw_tag(self, match: re.Match[str]) -> str:
        element = _start_tag_element(match.group(0))
        if element is None or element.tag not in ("a", "img"):  # `<a'>` is no link: the sanitiser drops it
            return match.group(0)
        if element.tag == "a":
            href = self._kept_link(element.get("href", ""))
            if href is None:
                element.attrib.pop("href", None)  # its closing tag is elsewhere: keep the element, drop the link
            elif href != element.get("href", ""):
                element.set("href", href)
            return _start_tag(element)
        if not self._check_image(element, element.get("src", "")):
            return htmltext.escape(element.get("alt", ""))
        return _start_tag(element)

    def _fill_shortcode_images(self, root: etree.Element) -> dict[int, tuple[str, ShortcodeImage]]:
        """Give the images that shortcodes stand for their src, alt and size; by element."""
        found: dict[int, tuple[str, ShortcodeImage]] = {}
        if not self._translated.images:
            return found
        for image in root.iter("img"):
            placeholder = image.get("src", "")
            shortcode = self._translated.images.get(placeholder)
            if shortcode is None:
                continue
            image.set("src", shortcode.src)
            image.set("alt", shortcode.alt or "")
            for name, value in (("width", shortcode.width), ("height", shortcode.height)):
                if value and value.isdigit():
                    image.set(name, value)
            found[id(image)] = (placeholder, shortcode)
        return found

    def _place_shortcode_image(
        self, image: etree.Element, shortcode: ShortcodeImage, parents: dict[int, etree.Element]
    ) -> None:
        """Link the image and make it a figure, as the shortcode says; a figure gets a block of its own."""
        content = image
        link = self._kept_link(shortcode.link) if shortcode.link else None
        if link:
            content = etree.Element("a", {"href": link})
            _replace(image, content, parents)
            content.append(image)
            content.tail, image.tail = image.tail, None
            parents[id(image)] = content
        if not shortcode.figure:
            return
        credit_link = self._kept_link(shortcode.credit_link) if shortcode.credit_link else None
        tail = content.tail
        _replace(content, figure := etree.Element("figure"), parents)
        figure.tail = tail
        _figure(content, _typeset(shortcode.caption), credit_link, figure)
        _lift_out_of_paragraph(figure, parents)

    def _kept_link(self, written: str) -> str | None:
        """Check a link target; the target to write, or None when the link must go and its text stay."""
        if not written:
            return written
        if _TEMPLATE_IN_URL.search(written):
            return None  # the template pass warned about the tag; what it wrote around it stays as text
        ref = REF_URL.match(written)
        if ref and ref_path(ref.group(1)) in self._ref_paths:
            return written  # site/refs.py resolves it; its line is known from the template pass
        href, warning = self._as_browser_reads(written, "link")
        if warning is not None:
            self._issue(written, warning, "url-space", Severity.WARNING)
        target = htmltext.unescape(href)  # as the page gives it to a browser: `&#x6A;avascript:` is `javascript:`
        problem = url_problem(target)
        scheme = foreign_scheme(target) if problem else None
        if scheme:
            message = f"link: URL scheme '{scheme}:' is not allowed; the link is removed and its text kept"
            self._issue(written, message, "url-scheme", Severity.WARNING)
            return None
        if problem:
            self._issue(written, f"link: {problem}", "url-scheme")
        elif is_site_link(target):
            self._result.links.append((target, self._line_of(written)))
        return href

    def _as_browser_reads(self, url: str, what: str) -> tuple[str, str | None]:
        """`url` as a browser reads it (browserurl.py), and the warning when whitespace in it had to be encoded.

        Only a `//` the source writes as such is a protocol-relative link. `&#x2F;&#x2F;host/` (or `/&#47;host/`)
        spells one out to pass for a site path, hiding where it leads from whoever reads the source: it stays the
        error, as before (and cmark hands it back decoded, so the source text is what tells them apart).
        """
        fixed = without_whitespace(url)
        warning = None
        if fixed != url:
            warning = (
                f"{what} {url!r}: whitespace in a URL is percent-encoded, as a browser requests it: {fixed!r};"
                " write the URL without it"
            )
        written = url.strip().split(None, 1)[0] if url.strip() else ""
        plain = written.startswith("//") and written in self._translated.text
        return (with_https(fixed) if plain else fixed), warning

    def _check_image(self, image: etree.Element, needle: str) -> bool:
        """Check an image and point it at its published file; False when it must give way to its alt text."""
        src = image.get("src", "")
        if _TEMPLATE_IN_URL.search(src):
            return False  # the template pass warned about the tag
        self._result.image_srcs.append(src)
        index = self._images_seen[needle] = self._images_seen.get(needle, -1) + 1
        issues = self._result.issues
        before = len(issues)  # this image's issues get line 0 until one needs its line
        if not image.get("alt", "").strip():
            issues.append(BodyIssue(0, f"image {src!r} needs alt text: ![what the photo shows]({src})", "image-alt"))
        fixed, warning = self._as_browser_reads(src, "image") if src else (src, None)
        if warning is not None:
            issues.append(BodyIssue(0, warning, "url-space", Severity.WARNING))
        resolved = self._resolve(fixed)
        if isinstance(resolved, ImageProblem):
            issues.append(BodyIssue(0, f"image {src!r}: {resolved.message}", resolved.code))
        elif resolved.warning is not None:
            issues.append(BodyIssue(0, f"image {src!r}: {resolved.warning}", "image-format", Severity.WARNING))
        if len(issues) > before:  # only then is the text searched for where this image is
            line = self._image_line(needle, index)
            issues[before:] = [replace(issue, line=line) for issue in issues[before:]]
        if isinstance(resolved, ImageProblem):
            return True
        image.set("src", resolved.url)
        given_width = image.get("width", "")
        _set_size(image, resolved)
        image.set("loading", "lazy")
        if resolved.renditions is not None:
            _offer_copies(image, resolved.renditions, given_width)
            self._result.renditions.append(resolved.renditions)
        return True

    def _issue(self, needle: str, message: str, code: str, severity: Severity = Severity.ERROR) -> None:
        self._result.issues.append(BodyIssue(self._line_of(needle), message, code, severity))

    def _image_line(self, needle: str, index: int) -> int:
        """The line of the `index`-th image `needle` (its src, or its shortcode's placeholder) stands for
        (places.py): images with one src each on their own line, in turn."""
        offset = self._image_places.offset(needle, index)
        return self._line_of(needle) if offset is None else self._line_at(offset)

    def _line_of(self, needle: str) -> int:
        """Markdown keeps no positions, so find the first line that mentions `needle`, as the editor numbers lines.

        cmark hands back URLs with character references decoded, as the source doesn't spell them
        (`&#x6A;avascript:`): then the line of the needle without its first few characters. A needle with
        whitespace in it (a hard-wrapped URL) is looked for up to its first space.
        """
        text = self._translated.text
        needle = needle.split(None, 1)[0] if needle.strip() else needle  # an engine may re-indent a wrapped URL
        offset = text.find(needle) if needle else -1
        tails = (needle[start:] for start in range(1, min(_DECODED_HEAD, len(needle) - _SHORTEST_TAIL + 1)))
        while offset < 0 and (tail := next(tails, None)) is not None:
            offset = text.find(tail)
        return self._line_at(max(offset, 0))

    def _line_at(self, offset: int) -> int:
        """The file line of a place in the body's text."""
        return self._translated.source_line(self._translated.text.count("\n", 0, offset) + 1)


def _set_size(image: etree.Element, resolved: ResolvedImage) -> None:
    """The file's size, unless the author gave one; a single given side gets the other from the file's proportions."""
    if not (resolved.width and resolved.height):
        return
    width, height = image.get("width", ""), image.get("height", "")
    if not width and not height:
        image.set("width", str(resolved.width))
        image.set("height", str(resolved.height))
    elif width.isdigit() and not height:
        image.set("height", str(round(int(width) * resolved.height / resolved.width)))
    elif height.isdigit() and not width:
        image.set("width", str(round(int(height) * resolved.width / resolved.height)))


def _typeset(caption: Caption | None) -> Caption:
    """A shortcode's caption and credit, set as the body around them was (it was set before they were placed)."""
    if caption is None:
        return Caption(None, None)
    return Caption(*(smarten_text(text) if text else text for text in (caption.caption, caption.credit)))


def _offer_copies(image: etree.Element, renditions: Renditions, given_width: str) -> None:
    """`srcset` of the resized copies, in WebP where this build makes it (every current browser shows it).

    A body can't hold `<picture>` (raw HTML is a start tag at a time), so one
    format is offered; an editor's `width` is the most the image fills.
    """
    offered = "webp" if "webp" in renditions.formats else renditions.fallback
    image.set("srcset", renditions.srcset(offered))
    image.set("sizes", body_image_sizes(int(given_width) if given_width.isdigit() else renditions.width))
    image.set("decoding", "async")


def _replace(old: etree.Element, new: etree.Element, parents: dict[int, etree.Element]) -> None:
    parent = parents[id(old)]
    parent[list(parent).index(old)] = new
    parents[id(new)] = parent


def _unwrap(element: etree.Element, parents: dict[int, etree.Element]) -> None:
    """Put an element's text and children in its place: a removed link keeps what it said."""
    parent = parents[id(element)]
    index = list(parent).index(element)
    children = list(element)
    _append_text(parent, index, element.text)
    parent[index : index + 1] = children
    for child in children:
        parents[id(child)] = parent
    _append_text(parent, index + len(children), element.tail)


def _replace_with_text(element: etree.Element, text: str, parents: dict[int, etree.Element]) -> None:
    parent = parents[id(element)]
    index = list(parent).index(element)
    _append_text(parent, index, text + (element.tail or ""))
    del parent[index]


def _append_text(parent: etree.Element, index: int, text: str | None) -> None:
    """Add `text` where child `index` of `parent` starts: to the previous child's tail, or the parent's text."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


def _lift_out_of_paragraph(block: etree.Element, parents: dict[int, etree.Element]) -> None:
    """A figure can't sit inside a <p>: split the paragraph around it, dropping halves left empty."""
    paragraph = parents[id(block)]
    outer = parents.get(id(paragraph))
    if paragraph.tag != "p" or outer is None:
        return
    children = list(paragraph)
    index = children.index(block)
    after = etree.Element("p")
    after.text, block.tail = (block.tail or "").lstrip(), None
    after.extend(children[index + 1 :])
    after.tail = paragraph.tail
    for child in children[index:]:
        paragraph.remove(child)
    if len(paragraph):
        paragraph[-1].tail = (paragraph[-1].tail or "").rstrip()
    else:
        paragraph.text = (paragraph.text or "").rstrip()
    paragraph.tail = block.tail = "\n"
    pieces = [piece for piece in (paragraph, block, after) if piece is block or _has_content(piece)]
    position = list(outer).index(paragraph)
    outer[position : position + 1] = pieces
    for piece in pieces:
        parents[id(piece)] = outer
    for child in after:
        parents[id(child)] = after


def _has_content(paragraph: etree.Element) -> bool:
    return len(paragraph) > 0 or bool((paragraph.text or "").strip())


def _is_lone_image(paragraph: etree.Element) -> bool:
    return (
        len(paragraph) == 1
        and paragraph[0].tag == "img"
        and not (paragraph.text or "").strip()
        and not (paragraph[0].tail or "").strip()
    )


def _figure(
    image: etree.Element, caption: Caption, credit_link: str | None = None, figure: etree.Element | None = None
) -> etree.Element:
    """A figure (`figure`, or a new one) of `image` or a link around it; no figcaption when there is nothing to say."""
    figure = etree.Element("figure") if figure is None else figure
    image.tail = None
    figure.append(image)
    if not (caption.caption or caption.credit):
        return figure
    figcaption = etree.SubElement(figure, "figcaption")
    figcaption.text = caption.caption or ""
    if caption.credit:
        credit = etree.SubElement(figcaption, "span", {"class": "credit"})
        if credit_link:
            etree.SubElement(credit, "a", {"href": credit_link}).text = caption.credit
        else:
            credit.text = caption.credit
        figcaption.text += " " if figcaption.text else ""
    return figure


def _start_tag_element(tag: str) -> etree.Element | None:
    """One raw start tag as an element, its attributes decoded as a browser would."""
    parser = _FragmentParser()
    parser.feed(tag)
    root = parser.root()
    return root[0] if len(root) else None


def _start_tag(element: etree.Element) -> str:
    attributes = "".join(f' {name}="{htmltext.escape(value)}"' for name, value in element.items())
    return f"<{element.tag}{attributes}>"


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
        self._builder.start(tag, _attributes(attrs))
        if tag in self._VOID:
            self._builder.end(tag)
        else:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._builder.start(tag, _attributes(attrs))
        self._builder.end(tag)

    def parse_html_declaration(self, i: int) -> int:
        """`<![…` (but CDATA) as the bogus comment browsers read; Python before 3.13 raises an AssertionError."""
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

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


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    """Attributes as ElementTree can write them: a name with `{` would be read as a namespace (the sanitiser keeps
    only names it knows, so nothing is lost)."""
    return {name: value or "" for name, value in attrs if "{" not in name and "}" not in name}


def _parse_fragment(html: str) -> etree.Element:
    parser = _FragmentParser()
    parser.feed(html)
    return parser.root()
