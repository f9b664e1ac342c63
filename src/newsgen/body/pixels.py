"""Opening a raster image without trusting it: pixels counted from the header first, then decoded as small as will do.

Pillow's `Image.open` reads only the header, and a 400 KB PNG can declare
20000×20000 pixels (1.6 GB once decoded). So the header's pixel count is
compared with `MAX_PIXELS` before anything is decoded, and an image over it
is refused in one line that names the file (Pillow's own check raises a
`DecompressionBombError` that names none). Decoding is bounded too: a JPEG
is decoded at 1/2, 1/4 or 1/8 of its size in the decoder itself (`draft()`)
when its copies need no more, so a 13000×13000 lead photo costs tens of MB,
not 1.5 GB; other formats are decoded whole, which the pixel limit bounds.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 200_000_000  # a 16,000×12,500 photo; at most 800 MB decoded whole (PNG, WebP), a JPEG far less
REDUCING_GAP = 2.0  # decode a JPEG at least twice as large as its largest copy, as Pillow's thumbnail() does


class TooManyPixels(ValueError):
    """An image whose header declares more pixels than newsgen decodes."""


@contextmanager
def opened_image(file: BinaryIO) -> Iterator[Image.Image]:
    """The image in `file`, its header read and its pixel count checked, nothing decoded; TooManyPixels if over.

    Raises Pillow's UnidentifiedImageError (an OSError) when the file is not an image it reads.
    """
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own check stays as a backstop, at newsgen's limit
    with warnings.catch_warnings():  # the warning Pillow gives over its limit: the check below says it in one line
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except Image.DecompressionBombError as exc:
            raise TooManyPixels(f"declares over {2 * MAX_PIXELS:,} pixels; {_ADVICE}") from exc
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise TooManyPixels(f"is {width:,}×{height:,} pixels, over the limit of {MAX_PIXELS:,}; {_ADVICE}")
        yield image


_ADVICE = "scale it down before publishing it"


def decode(image: Image.Image, smallest: tuple[int, int]) -> tuple[Image.Image, float]:
    """`image` decoded, turned as browsers show it, and the scale it was decoded at (1, ½, ¼ or ⅛).

    A JPEG is decoded at the smallest scale still `REDUCING_GAP` times `smallest` (in the file's own orientation);
    other formats whole. Raises OSError or ValueError when the file's data can't be decoded.
    """
    from PIL import ImageOps

    width, height = image.size
    wanted = (math.ceil(smallest[0] * REDUCING_GAP), math.ceil(smallest[1] * REDUCING_GAP))
    image.draft(None, (max(1, min(width, wanted[0])), max(1, min(height, wanted[1]))))
    scale = image.size[0] / width
    turned = ImageOps.exif_transpose(image)  # a copy: decodes the (drafted) image
    turned.load()
    return turned, scale
