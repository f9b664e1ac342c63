"""Image markup that costs readers: layout jumps, a late main image, phones downloading desktop files.

These are facts of the HTML, the same at every width, so they are read from
the file (with its line numbers) rather than from the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from newsgen.errors import Severity

# Photos a server can scale; SVG scales by itself and a GIF is usually an animation nobody resizes.
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif"})


@dataclass(frozen=True)
class ImageFinding:
    line: int
    code: str
    message: str
    severity: Severity


def image_findings(html: str, lazy_first: bool = False) -> list[ImageFinding]:
    """Every `<img>` without width and height, the first one when lazy (unless `lazy_first` allows it),
    and local photos without `srcset`."""
    parser = _Images()
    parser.feed(html)
    parser.close()
    findings: list[ImageFinding] = []
    for number, image in enumerate(parser.images):
        src = image.attributes.get("src") or ""
        shown = f"<img src={src!r}>"
        if not (image.attributes.get("width") and image.attributes.get("height")):
            message = f"{shown} has no width and height attributes; the page moves when it loads"
            findings.append(ImageFinding(image.line, "image-size", message, Severity.ERROR))
        if number == 0 and not lazy_first and (image.attributes.get("loading") or "").lower() == "lazy":
            message = f"{shown} is the page's first image and is lazy-loaded; load it at once (it is likely in view)"
            findings.append(ImageFinding(image.line, "image-lazy", message, Severity.ERROR))
        if not image.srcset and _local_raster(src):
            message = f"{shown} has no srcset; phones download the full-size file"
            findings.append(ImageFinding(image.line, "image-srcset", message, Severity.WARNING))
    return findings


def _local_raster(src: str) -> bool:
    """A photo this site publishes (a site path or one beside the page), which it could publish in several sizes."""
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and PurePosixPath(parts.path).suffix.lower() in RASTER_SUFFIXES


@dataclass
class _Image:
    line: int
    attributes: dict[str, str | None]
    srcset: bool


class _Images(HTMLParser):
    """The `<img>` elements of a page in order; one in a `<picture>` counts the `<source srcset>` before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[_Image] = []
        self._picture_srcset: bool | None = None  # None: not inside a <picture>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "picture":
            self._picture_srcset = False
        elif tag == "source" and self._picture_srcset is not None and attributes.get("srcset"):
            self._picture_srcset = True
        elif tag == "img":
            srcset = bool(attributes.get("srcset")) or bool(self._picture_srcset)
            self.images.append(_Image(self.getpos()[0], attributes, srcset))

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self._picture_srcset = None
