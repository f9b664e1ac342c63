"""Where an image that an article names is published, and its pixel size.

Three kinds of src: `https://…` (published elsewhere, size unknown), `/images/x.jpg`
(a file under the site's or theme's `static/`), and `photo.jpg` (a file beside
the article, published beside its page). Sizes come from Pillow, which reads
only the file header, and are cached because recaps show the same images again.

On a site with editions, a translation's folder often holds only its text
(`content/ja/blog/x/index.md`): an image it names that is not beside it is
taken from the same folder of another edition (the default's first), as Hugo
shares a bundle's files between its translations.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from io import BufferedReader
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urljoin

from newsgen.body.markup import ImageProblem, ResolvedImage
from newsgen.body.pixels import TooManyPixels, decode, opened_image
from newsgen.body.renditions import ImageSettings, plan_renditions
from newsgen.linkpolicy import url_problem
from newsgen.models import Asset, StaticFile
from newsgen.read.files import CONTENT_DIR, inside
from newsgen.read.safeopen import RefusedFile, open_regular, open_site_file
from newsgen.urls import decoded_path, url_path

_EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)


class ImageLocator:
    def __init__(
        self,
        static_files: Iterable[StaticFile],
        site_root: Path,
        settings: ImageSettings | None = None,
        editions: tuple[str, ...] = (),
    ) -> None:
        """`site_root`: images beside articles must be in it, links followed (a link out is never published).

        `editions`: the codes of the site's editions, the default's first, whose folders below content/ share files.
        """
        self._static_files = {static.url: static.source for static in static_files}
        self._collected = set(self._static_files.values())  # checked as they were found (read/files.py)
        self._site_root = site_root.resolve()
        self._editions = editions
        self._settings = settings or ImageSettings()
        self._measures: dict[Path, ResolvedImage | ImageProblem] = {}
        self._digests: dict[tuple[Path, int, int, int], str] = {}

    @property
    def site_root(self) -> Path:
        return self._site_root

    def resolve(
        self, src: str, article_file: Path, article_url: str
    ) -> tuple[ResolvedImage | ImageProblem, Asset | None]:
        """The published image, or why it can't be; plus the file to publish beside the article."""
        problem = url_problem(src)
        if problem:
            return ImageProblem(problem, "url-scheme"), None
        if _EXTERNAL.match(src):
            return ResolvedImage(src), None
        if src.startswith("/"):
            return self._site_image(src), None
        if src.startswith(("mailto:", "#", "?")) or ":" in src.split("/")[0]:
            return ImageProblem(f"{src!r} is not an image URL", "url-scheme"), None
        bundled = self._bundled_image(src, article_file, article_url)
        if isinstance(bundled[0], ImageProblem) and bundled[0].code == "image-missing":
            site_path = urljoin(article_url, src)  # relative to the page's URL, as a browser reads it
            if self._static_path(site_path) is not None:
                return self._site_image(site_path), None
        return bundled

    def fingerprint(self, src: str, article_file: Path) -> tuple[str, int, str] | tuple[str] | None:
        """The local file `src` names, its size and a digest of its bytes (or just its path when missing); None when
        remote.

        A cached article is reused only while the fingerprints of its images are unchanged. Bytes, not times: a
        fresh checkout (every CI run) gives every file a new time, and would have every article read again.
        """
        if _EXTERNAL.match(src) or url_problem(src):
            return None
        if src.startswith("/"):
            path = self._static_path(src)
            if path is None:
                return (src,)
        else:
            path = self._beside(article_file, PurePosixPath(src))
        try:
            return (str(path), *self._digest(path))
        except OSError:  # missing, or not the site's to read (a FIFO, /dev/zero, .git/config): its problem is reported
            return (str(path),)

    @contextmanager
    def _open(self, path: Path) -> Iterator[BufferedReader]:
        """`path` open for reading, if it is a file the site may publish (read/safeopen.py); else RefusedFile."""
        opener = open_regular(path) if path in self._collected else open_site_file(self._site_root, path)
        with opener as file:
            yield file

    def _digest(self, path: Path) -> tuple[int, str]:
        """The file's size and a digest of its bytes; each file is read once per build, however many articles show it."""
        with self._open(path) as file:
            info = os.fstat(file.fileno())
            seen = (path, info.st_size, info.st_mtime_ns, info.st_ino)
            if seen not in self._digests:
                self._digests[seen] = hashlib.file_digest(file, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
        return info.st_size, self._digests[seen]

    def _static_path(self, src: str) -> Path | None:
        """The static file a site path names, query and fragment aside, written as it is on disk or percent-encoded."""
        return self._static_files.get(url_path(decoded_path(src.split("?")[0].split("#")[0])))

    def _site_image(self, src: str) -> ResolvedImage | ImageProblem:
        path = self._static_path(src)
        if path is None:
            return ImageProblem(
                f"no file static{src} (an image on another host needs its full https:// URL)", "image-missing"
            )
        return self._measured(src, path)

    def _bundled_image(
        self, src: str, article_file: Path, article_url: str
    ) -> tuple[ResolvedImage | ImageProblem, Asset | None]:
        relative = PurePosixPath(src)
        if ".." in relative.parts:
            message = "an image beside the article must be in its folder or below; put shared images under static/ and write /images/…"
            return ImageProblem(message, "image-missing"), None
        path = self._beside(article_file, relative)
        if not path.exists():  # a FIFO or a folder is there: its problem says so (read/safeopen.py)
            return ImageProblem(f"no file {src!r} beside {article_file.name}", "image-missing"), None
        if not inside(path, self._site_root):
            return ImageProblem(f"{src!r} is a link to a file outside the site; it is not published", "symlink"), None
        # Beside the page, also when it ends in .html.
        url = article_url.rsplit("/", 1)[0] + "/" + url_path(relative.as_posix())
        resolved = self._measured(url, path)
        return resolved, Asset(path, url) if isinstance(resolved, ResolvedImage) else None

    def _measured(self, url: str, path: Path) -> ResolvedImage | ImageProblem:
        """The image as pages show it: its size, and the resized copies they offer."""
        if path not in self._measures:
            self._measures[path] = self._measure(url, path)
        measured = self._measures[path]
        return measured if isinstance(measured, ImageProblem) else replace(measured, url=url)

    def _measure(self, url: str, path: Path) -> ResolvedImage | ImageProblem:
        try:
            with self._open(path) as file:
                found = _read_size(file, path)
            if isinstance(found, ImageProblem):
                return found
            width, height, pillow_format = found
            if width is None or height is None:
                return ResolvedImage(url)
            digest = self._digest(path)[1]
            renditions = plan_renditions(path, digest, (width, height), pillow_format, self._settings)
            failure = self._undecodable(path) if renditions is not None else None
        except RefusedFile as exc:
            return ImageProblem(f"{path.name} {exc.reason}", "image-format")
        except OSError as exc:
            return ImageProblem(f"{path.name} can't be read ({exc.__class__.__name__})", "image-format")
        if failure is not None:  # the original is still published: a reader's browser may show more of it
            return ResolvedImage(url, width, height, None, f"{failure}; published as it is, without resized copies")
        return ResolvedImage(url, width, height, renditions)

    def _undecodable(self, path: Path) -> str | None:
        """Why the image's data can't be decoded (truncated, corrupt), found before pages offer copies of it."""
        try:
            with self._open(path) as file, opened_image(file) as image:
                decode(image, (1, 1))  # a JPEG at its smallest scale: every byte is still read and checked
        except (OSError, ValueError) as exc:  # RefusedFile too: the file changed since it was measured
            return f"{path.name} can't be decoded ({str(exc) or exc.__class__.__name__})"
        return None

    def _beside(self, article_file: Path, relative: PurePosixPath) -> Path:
        """The file beside the article, else the first one in the same folder of another edition that has it."""
        path = article_file.parent.joinpath(*relative.parts)
        if path.is_file() or not self._editions:
            return path
        shared = (folder.joinpath(*relative.parts) for folder in self._edition_folders(article_file.parent))
        return next((found for found in shared if found.is_file()), path)

    def _edition_folders(self, folder: Path) -> list[Path]:
        """The same folder in the other editions: `content/ja/blog/x` -> `content/en/blog/x`, `content/blog/x`…"""
        content = self._site_root / CONTENT_DIR
        try:
            parts = folder.resolve().relative_to(content).parts
        except ValueError:
            return []
        if parts and parts[0].lower() in (code.lower() for code in self._editions):
            parts = parts[1:]
        default, *others = self._editions
        folders = [content / default, content, *(content / code for code in others)]
        own = folder.resolve()
        return [found for found in (base.joinpath(*parts) for base in folders) if found != own]


def _read_size(file: BinaryIO, path: Path) -> tuple[int | None, int | None, str | None] | ImageProblem:
    """Width, height and Pillow's name for the format, from the header of `file` (at `path`); no size for a drawing
    that scales, a problem for an image over the pixel limit."""
    if path.suffix.lower() == ".svg":
        size = _svg_size(file, path)
        return size if isinstance(size, ImageProblem) else (size[0], size[1], None)
    try:
        with opened_image(file) as image:
            return (*image.size, image.format)
    except TooManyPixels as exc:
        return ImageProblem(f"{path.name} {exc}", "image-format")
    except OSError as exc:
        return ImageProblem(
            f"{path.name} is not an image file newsgen can read ({exc.__class__.__name__})", "image-format"
        )


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_LENGTH = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']\s*([^"']*)["']""", re.IGNORECASE)


def _svg_size(file: BinaryIO, path: Path) -> tuple[int, int] | tuple[None, None] | ImageProblem:
    """The size an SVG declares (width and height in px, else its viewBox), or no size: a drawing scales.

    Read from the root tag's attributes with a pattern, never by parsing the XML (no entities are expanded).
    """
    head = file.read(65536)
    tag = _SVG_TAG.search(head)
    if tag is None:
        return ImageProblem(f"{path.name} is not an SVG drawing (no <svg> element)", "image-format")
    found = {
        name.decode().lower(): value.decode("ascii", "replace").strip()
        for name, value in _SVG_LENGTH.findall(tag.group())
    }
    width, height = _pixels(found.get("width")), _pixels(found.get("height"))
    if width and height:
        return width, height
    box = found.get("viewbox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = round(float(box[2])), round(float(box[3]))
        except ValueError:
            return None, None
        if box_width > 0 and box_height > 0:
            return box_width, box_height
    return None, None


def _pixels(length: str | None) -> int | None:
    """'640', '640px' or '640.5' as whole pixels; None for relative units ('100%', '20em') or nothing."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(px)?", length or "")
    return round(float(match.group(1))) if match and float(match.group(1)) > 0 else None


def image_size(path: Path) -> tuple[int, int] | None | ImageProblem:
    """The pixel size of an image no article names (the site's logo), None for a drawing that declares none."""
    try:
        with open_regular(path) as file:
            size = _read_size(file, path)
    except OSError as exc:
        return ImageProblem(f"{path.name} can't be read ({exc.strerror or exc.__class__.__name__})", "image-format")
    if isinstance(size, ImageProblem):
        return size
    width, height = size[0], size[1]
    return (width, height) if width and height else None
