"""The resized copies that pages offer (`body/renditions.py` decides them): made once, kept in the cache folder.

A copy's file name carries the key of its source's bytes and the settings,
so a copy in `.newsgen-cache/images/` is made once, whatever builds and
machines come after, and only a new photo or new settings make new ones.
Copies are made in parallel, one source image per task (it is decoded
once for all its widths and formats), written under a temporary name and
renamed, so a killed build never leaves half a file that a later one trusts.
"""

from __future__ import annotations

import atexit
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.body.pixels import decode, opened_image
from newsgen.engine.parallel import parallel_map
from newsgen.engine.progress import ProgressBar
from newsgen.errors import ContentError, Problem, naming
from newsgen.models import RENDITIONS_URL, Article, Renditions, StandalonePage
from newsgen.read.safeopen import RefusedFile, open_regular

if TYPE_CHECKING:
    from PIL import Image

IMAGES_FOLDER = "images"  # in the cache folder
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {  # by format, as Pillow names it in upper case
    "jpeg": {"optimize": True, "progressive": True},
    "png": {"optimize": True},
    "webp": {"method": 4},
    "avif": {"speed": 8},  # speed 8 of 10: a third of the default's time, a little larger
}
_AVIF_QUALITY_OFFSET = 20  # AVIF at quality q-20 looks about as WebP does at q, in about 15% fewer bytes


def renditions_of(articles: Iterable[Article], pages: Iterable[StandalonePage] = ()) -> list[Renditions]:
    """Every set of copies the articles' and pages' pages show (lead, body and byline photos), once each, in a stable
    order."""
    found: dict[str, Renditions] = {}
    for page in pages:
        for copies in page.body_renditions:
            found.setdefault(copies.key + str(copies.crops), copies)
    for article in articles:
        for copies in article.renditions:
            found.setdefault(copies.key + str(copies.crops), copies)
        for author in article.authors:
            photo = author.profile.photo if author.profile else None
            if photo is not None and photo.renditions is not None:
                found.setdefault(photo.renditions.key, photo.renditions)
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class ImageWork:
    """The copies a build publishes, and what making the missing ones cost: the summary line says where time went."""

    files: list[tuple[str, Path]]  # (URL, file) of every copy
    made: int = 0  # copies this build made (the others were in the cache folder)
    sources: int = 0  # images they were made from
    seconds: float = 0.0


def rendition_copies(
    sets: list[Renditions], cache_dir: Path | None, jobs: int, bar: ProgressBar, prune: bool = False
) -> ImageWork:
    """Every copy the sets list, made first where the cache folder lacks them.

    With `prune` (a whole build, which sees every set), copies no set needs any more are removed.
    """
    started = time.perf_counter()
    folder = _images_folder(cache_dir)
    missing = [copies for copies in sets if not all((folder / name).is_file() for name, _ in _files(copies))]
    made = sum(not (folder / name).is_file() for copies in missing for name, _ in _files(copies))
    problems = [
        problem
        for problem in bar.track(
            parallel_map(lambda copies: _make(copies, folder), missing, jobs, min_per_worker=2),
            len(missing),
            "Resizing images",
        )
        if problem is not None
    ]
    if problems:
        raise ContentError(problems)
    if prune:
        _prune(folder, {copies.key for copies in sets})
    # Once each: a photo shown with two focus points is two sets sharing their resized copies.
    files = list({url: folder / name for copies in sets for name, url in _files(copies)}.items())
    return ImageWork(files, made, len({copies.source for copies in missing}), time.perf_counter() - started)


def rendition_urls(sets: Iterable[Renditions]) -> set[str]:
    """The URLs of every copy of the sets: what an edit compares to find the copies no article needs any more."""
    return {url for copies in sets for _, url in _files(copies)}


def article_copies(article: Article) -> tuple[str, ...]:
    """The URLs of the copies of every image one article's pages show, sorted: what the index keeps beside it."""
    return tuple(sorted(rendition_urls(renditions_of([article]))))


def _files(copies: Renditions) -> list[tuple[str, str]]:
    """(name in the images folder, URL) of every file of a set."""
    urls = [url for url, _, _ in copies.files()] + [copies.crop_url(crop) for crop in copies.crops]
    return [(url.removeprefix(RENDITIONS_URL), url) for url in urls]


def _make(copies: Renditions, folder: Path) -> Problem | None:
    """Decode the source once and write each copy the set lacks; a problem when the file can't be decoded."""
    from PIL import Image

    try:
        with open_regular(copies.source) as file, opened_image(file) as opened:
            image, scale = decode(opened, _smallest(copies))  # turned as browsers show the original
    except RefusedFile as exc:
        return Problem(copies.source, 1, "image", exc.reason, code="image-format")
    except (OSError, ValueError) as exc:
        message = f"{copies.source.name} can't be resized ({exc.__class__.__name__}); replace the file"
        return Problem(copies.source, 1, "image", message, code="image-format")
    if image.mode not in ("RGB", "RGBA", "L"):  # palette, CMYK, 16-bit: resampled as colour, transparency kept
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    (folder / copies.key).mkdir(parents=True, exist_ok=True)
    for url, width, image_format in copies.files():
        height = max(1, round(width * copies.height / copies.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        _save(resized, image_format, copies.quality, folder / url.removeprefix(RENDITIONS_URL))
    for crop in copies.crops:
        left, top, right, bottom = crop.box  # in the source's pixels; the decoder may have reduced them
        box = (left * scale, top * scale, right * scale, bottom * scale)
        cropped = image.resize((crop.width, crop.height), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        _save(cropped, copies.fallback, copies.quality, folder / copies.crop_url(crop).removeprefix(RENDITIONS_URL))
    return None


def _smallest(copies: Renditions) -> tuple[int, int]:
    """The least the source may be reduced to in decoding and still give its largest copy and crops without upscaling."""
    share = max(copies.widths) / copies.width
    for crop in copies.crops:
        left, top, right, bottom = crop.box
        share = max(share, crop.width / (right - left), crop.height / (bottom - top))
    return math.ceil(copies.width * share), math.ceil(copies.height * share)


def _save(image: Image.Image, image_format: str, quality: int, path: Path) -> None:
    if path.is_file():
        return
    options = dict(_SAVE_OPTIONS[image_format])
    if image_format != "png":
        options["quality"] = quality - _AVIF_QUALITY_OFFSET if image_format == "avif" else quality
    if image_format == "jpeg" and image.mode == "RGBA":  # a WebP with transparency: JPEG has none
        image = image.convert("RGB")
    elif image_format in ("webp", "avif") and image.mode == "L":
        image = image.convert("RGB")
    icc = image.info.get("icc_profile")
    if icc and image_format != "png":
        options["icc_profile"] = icc
    handle, temporary = tempfile.mkstemp(prefix=".part-", dir=path.parent)
    try:
        with naming(path), os.fdopen(handle, "wb") as file:
            image.save(file, image_format.upper(), **options)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _images_folder(cache_dir: Path | None) -> Path:
    """The cache's images folder; with no cache folder (`--no-cache`), one that lasts as long as this process."""
    if cache_dir is not None:
        return cache_dir / IMAGES_FOLDER
    folder = Path(tempfile.mkdtemp(prefix="newsgen-images-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _prune(folder: Path, keys: set[str]) -> None:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True)
