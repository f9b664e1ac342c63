"""Where an image that an article names is published, and its pixel size.

Three kinds of src: `https://…` (published elsewhere, size unknown), `/images/x.jpg`
(a file under the site's or theme's `static/`), and `photo.jpg` (a file beside
the article, published beside its page). Sizes come from Pillow, which reads
only the file header, and are cached because recaps show the same images again.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from .fields import url_problem
from .markup import ResolvedImage
from .models import Asset

_EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)


class ImageLocator:
    def __init__(self, static_files: dict[str, Path]) -> None:
        self._static_files = static_files  # by URL
        self._sizes: dict[Path, tuple[int, int] | str] = {}

    def resolve(self, src: str, article_file: Path, article_url: str) -> tuple[ResolvedImage | str, Asset | None]:
        """The published image, or an error message; plus the file to publish beside the article."""
        problem = url_problem(src)
        if problem:
            return problem, None
        if _EXTERNAL.match(src):
            return ResolvedImage(src), None
        if src.startswith("/"):
            return self._site_image(src), None
        if src.startswith(("mailto:", "#", "?")) or ":" in src.split("/")[0]:
            return f"{src!r} is not an image URL", None
        return self._bundled_image(src, article_file, article_url)

    def _site_image(self, src: str) -> ResolvedImage | str:
        path = self._static_files.get(src.split("?")[0].split("#")[0])
        if path is None:
            return ResolvedImage(src, warning=f"no file static{src}; the image will be missing unless it is hosted elsewhere")
        return self._measured(src, path)

    def _bundled_image(self, src: str, article_file: Path, article_url: str) -> tuple[ResolvedImage | str, Asset | None]:
        relative = PurePosixPath(src)
        if ".." in relative.parts:
            return "an image beside the article must be in its folder or below; put shared images under static/ and write /images/…", None
        path = article_file.parent.joinpath(*relative.parts)
        if not path.is_file():
            return f"no file {src!r} beside {article_file.name}", None
        url = article_url + relative.as_posix()
        resolved = self._measured(url, path)
        return resolved, Asset(path, url) if isinstance(resolved, ResolvedImage) else None

    def _measured(self, url: str, path: Path) -> ResolvedImage | str:
        size = self._sizes.get(path)
        if size is None:
            size = self._sizes[path] = _read_size(path)
        if isinstance(size, str):
            return size
        return ResolvedImage(url, *size)


def _read_size(path: Path) -> tuple[int, int] | str:
    if path.suffix.lower() == ".svg":
        return "SVG sizes are not read; use a raster image or give the size in the template"
    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError) as exc:
        return f"{path.name} is not an image file newsgen can read ({exc.__class__.__name__})"
