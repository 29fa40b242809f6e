"""The neutral image work every contestant calls, and the shipped photograph it works on."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from framematrix import images
from framematrix.images import generate


@pytest.mark.parametrize(
    ("width", "source", "height"),
    [
        (320, (2000, 1333), 213),  # 213.28
        (333, (2000, 1333), 222),  # 221.94
        (16, (2000, 1333), 11),  # 10.66
        (3, (4, 2), 2),  # 1.5: halves round up
        (5, (4, 2), 3),  # 2.5: up again, not to even
        (16, (4096, 1), 1),  # never 0
    ],
)
def test_height_keeps_the_aspect_ratio_halves_rounded_up(width, source, height) -> None:  # type: ignore[no-untyped-def]
    assert images.height_for(width, source) == height


@pytest.mark.parametrize("width", [images.MIN_WIDTH, 320, 2000, images.MAX_WIDTH])
def test_render_gives_a_jpeg_of_the_width_asked(width: int) -> None:
    data = images.render("sample.jpg", width)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (width, images.height_for(width, images.source_size("sample.jpg")))


def test_render_refuses_unknown_names_and_widths_out_of_range() -> None:
    with pytest.raises(images.UnknownImage):
        images.render("../sample.jpg", 320)
    for width in (images.MIN_WIDTH - 1, images.MAX_WIDTH + 1):
        with pytest.raises(ValueError, match="width"):
            images.render("sample.jpg", width)


def test_the_shipped_photograph_is_the_generators_and_a_few_hundred_kb() -> None:
    path = images.IMAGES["sample.jpg"]
    assert images.source_size("sample.jpg") == (generate.WIDTH, generate.HEIGHT)
    assert 200_000 <= path.stat().st_size <= 1_000_000
    drawn = generate.draw().resize((200, 133))
    with Image.open(path) as shipped:
        small = shipped.convert("RGB").resize((200, 133))
    difference = sum(abs(a - b) for a, b in zip(drawn.tobytes(), small.tobytes(), strict=True))
    assert difference / len(drawn.tobytes()) < 4, "sample.jpg is not what generate.py draws"


def test_the_generator_is_deterministic() -> None:
    assert generate.draw((300, 200)).tobytes() == generate.draw((300, 200)).tobytes()
    assert generate.draw((300, 200)).tobytes() != generate.draw((300, 200), seed=1).tobytes()
