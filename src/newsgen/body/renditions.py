"""Which resized copies of a local image pages offer, and what they are called; `engine/imaging.py` makes them.

Decided from the image's header and bytes alone, while its article is read,
so pages can list `srcset` before any copy exists, and the copies follow
from the articles the build publishes. Widths never exceed the source's (no
upscaling); raster photos only (a GIF may be animated, an SVG scales).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from newsgen.models import Crop, Renditions

# Bump when the way copies are made changes (resampling, encoder options): every URL changes with it.
RENDITIONS_VERSION = 2  # 2: a large JPEG is reduced in decoding (body/pixels.py)
DEFAULT_WIDTHS = (320, 640, 960, 1280)
DEFAULT_FORMATS = ("avif", "webp")
MODERN_FORMATS = ("avif", "webp")
SOCIAL_RATIOS = ((16, 9), (4, 3), (1, 1))  # Google's article guidance asks for these three
SOCIAL_WIDTH = 1200  # at least this wide where the source allows (Discover's large previews)
# What a body image fills in the default theme: the story column (`--measure`, 42rem) or the screen less its margins.
BODY_IMAGE_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
STORY_COLUMN_PX = 672  # 42rem: a narrower image is shown at its own width, not stretched to the column


def body_image_sizes(shown_width: int) -> str:
    """`sizes` for a body image `shown_width` pixels wide: the column, or its own width when that is narrower."""
    return BODY_IMAGE_SIZES if shown_width >= STORY_COLUMN_PX else f"min({shown_width}px, calc(100vw - 2rem))"


_RESIZED_SOURCES = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "jpeg"}  # Pillow's name -> fallback


@dataclass(frozen=True)
class ImageSettings:
    """`images:` in newsgen.yaml: the widths and formats of the copies; `images: false` offers none."""

    enabled: bool = True
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    formats: tuple[str, ...] = DEFAULT_FORMATS
    quality: int = 75


@cache
def available_formats() -> frozenset[str]:
    """The smaller formats this machine's Pillow can write (its wheels carry both; some distributions lack AVIF)."""
    from PIL import features

    return frozenset(name for name in MODERN_FORMATS if features.check(name))


def plan_renditions(
    source: Path, digest: str, size: tuple[int, int], pillow_format: str | None, settings: ImageSettings
) -> Renditions | None:
    """The copies to offer of the image at `source` (`digest` of its bytes), or None when it is shown as it is."""
    fallback = _RESIZED_SOURCES.get(pillow_format or "")
    width, height = size
    if not settings.enabled or fallback is None or width < 1 or height < 1:
        return None
    widths = sorted({w for w in settings.widths if w < width} | {min(width, max(settings.widths))})
    formats = tuple(name for name in settings.formats if name in available_formats())
    named = f"{RENDITIONS_VERSION}:{digest}:{settings.quality}:{fallback}:{formats}:{widths}"
    key = hashlib.blake2b(named.encode(), digest_size=10).hexdigest()
    return Renditions(source, key, width, height, tuple(widths), fallback, formats, settings.quality)


def with_crops(renditions: Renditions, focus: tuple[float, float] | None) -> Renditions:
    """`renditions` with the 16:9, 4:3 and 1:1 crops around `focus` (fractions of width and height; centre if None)."""
    crops = []
    for across, down in SOCIAL_RATIOS:
        box = crop_box(renditions.width, renditions.height, across / down, focus or (0.5, 0.5))
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        width = min(box_width, SOCIAL_WIDTH)
        crops.append(Crop(f"{across}x{down}", box, width, max(1, round(width * box_height / box_width))))
    return replace(renditions, crops=tuple(crops))


def crop_box(width: int, height: int, ratio: float, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of `ratio` (width / height) inside the image, centred on `focus` as far as the edges allow."""
    box_width = min(width, round(height * ratio))
    box_height = min(height, round(box_width / ratio))
    left = min(max(round(focus[0] * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focus[1] * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height
