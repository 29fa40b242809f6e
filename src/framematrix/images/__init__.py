"""The image work of `GET /images/{name}?width=W`, in one neutral place.

It is not framework code, so every contestant calls this module and does exactly the same
Pillow work per request: decode the shipped JPEG, resize it to width W (aspect ratio kept,
Lanczos), encode it as JPEG at quality 85. The source bytes are read once per process; the
decoding is done on every request, as a service that receives images must. Pillow is loaded on
the first image, so a worker that serves none does not carry it.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

IMAGES: dict[str, Path] = {"sample.jpg": Path(__file__).with_name("sample.jpg")}
"""Image names a contestant serves; any other name is 404 (rule 33)."""
MIN_WIDTH = 16
MAX_WIDTH = 4096
QUALITY = 85
MEDIA_TYPE = "image/jpeg"


class UnknownImage(LookupError):
    """No image of that name is shipped."""


def height_for(width: int, source: tuple[int, int]) -> int:
    """Rule 32: round(width * h / w), halves rounded up, computed exactly in integers."""
    source_width, source_height = source
    return max(1, (2 * width * source_height + source_width) // (2 * source_width))


@cache
def _source(name: str) -> bytes:
    try:
        path = IMAGES[name]
    except KeyError:
        raise UnknownImage(name) from None
    return path.read_bytes()


def source_size(name: str) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(_source(name))) as image:
        return image.size


def render(name: str, width: int) -> bytes:
    """The image `name` resized to `width` pixels wide, as JPEG bytes.

    Raises UnknownImage for a name not in IMAGES, ValueError for a width outside
    MIN_WIDTH..MAX_WIDTH (contestants check both first, the way their framework validates).
    """
    from PIL import Image

    data = _source(name)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"width must be {MIN_WIDTH} to {MAX_WIDTH}, not {width}")
    with Image.open(io.BytesIO(data)) as image:
        size = (width, height_for(width, image.size))
        resized = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    resized.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
