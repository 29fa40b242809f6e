"""Draws the shipped test photograph, `sample.jpg`: `python -m framematrix.images.generate`.

The image is framematrix's own (drawn here, no third-party content, so no licence question):
a landscape at dusk, with a sky gradient, a sun's glow, mountain ridges from seeded random
walks, a lake that mirrors them, and film grain. The grain and the ridges give the JPEG codec
real work, as a photograph would; a flat test card would decode and resize unrealistically fast.
Everything comes from one seeded generator, so the same Pillow version draws the same pixels.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

WIDTH, HEIGHT = 2000, 1333
SEED = 2025
QUALITY = 85
HORIZON = 0.62
"""Where the lake begins, as a share of the height."""
Colour = tuple[int, int, int]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _sky(size: tuple[int, int], horizon: int) -> Image.Image:
    width, height = size
    sky = Image.new("RGB", size)
    draw = ImageDraw.Draw(sky)
    top, middle, bottom = (18, 32, 84), (122, 88, 140), (252, 170, 92)
    for y in range(height):
        t = min(y / horizon, 1.0)
        colour = _mix(top, middle, t / 0.6) if t < 0.6 else _mix(middle, bottom, (t - 0.6) / 0.4)
        draw.line([(0, y), (width, y)], fill=colour)
    return sky


def _sun(canvas: Image.Image, centre: tuple[int, int], radius: int) -> None:
    glow = Image.radial_gradient("L").resize((radius * 6, radius * 6))
    # 255 at the centre, falling off with the square of the distance, 0 from the edge outwards
    glow = glow.point(lambda v: round(255 * max(0.0, 1 - v / 128) ** 2))
    light = Image.new("RGB", glow.size, (255, 214, 150))
    canvas.paste(light, (centre[0] - radius * 3, centre[1] - radius * 3), glow)
    draw = ImageDraw.Draw(canvas)
    x, y = centre
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(255, 244, 214))


def _ridge(rng: random.Random, width: int, base: float, roughness: float) -> list[float]:
    """A ridgeline by midpoint displacement: heights (pixels from the top) at 1025 points."""
    points = [base + rng.uniform(-1, 1) * roughness, base + rng.uniform(-1, 1) * roughness]
    spread = roughness
    while len(points) < 1025:
        refined = []
        for left, right in itertools.pairwise(points):
            refined += [left, (left + right) / 2 + rng.uniform(-1, 1) * spread]
        points = [*refined, points[-1]]
        spread *= 0.55
    return points


def _mountains(canvas: Image.Image, rng: random.Random, horizon: int) -> None:
    width = canvas.width
    layers = (
        (0.44, 110, (150, 96, 120)),
        (0.50, 90, (104, 70, 104)),
        (0.55, 60, (62, 44, 74)),
        (0.59, 40, (28, 24, 42)),
    )
    for depth, (share, roughness, colour) in enumerate(layers):
        heights = _ridge(rng, width, canvas.height * share, roughness)
        step = width / (len(heights) - 1)
        outline = [(i * step, min(h, horizon)) for i, h in enumerate(heights)]
        layer = Image.new("RGB", canvas.size, colour)
        mask = Image.new("L", canvas.size, 0)
        ImageDraw.Draw(mask).polygon([*outline, (width, horizon), (0, horizon)], fill=255)
        haze = 3 - depth
        if haze:
            mask = mask.filter(ImageFilter.GaussianBlur(haze))
        canvas.paste(layer, (0, 0), mask)


def _lake(canvas: Image.Image, horizon: int) -> None:
    """The scene above the horizon, mirrored, darkened and rippled."""
    above = canvas.crop((0, 2 * horizon - canvas.height, canvas.width, horizon))
    mirror = above.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    ripples = Image.new("RGB", mirror.size)
    for y in range(mirror.height):
        shift = int(6 * ((y * 7919) % 13 - 6) / 6)
        ripples.paste(mirror.crop((0, y, mirror.width, y + 1)), (shift, y))
    water = Image.blend(ripples, Image.new("RGB", mirror.size, (10, 20, 40)), 0.35)
    canvas.paste(water.filter(ImageFilter.GaussianBlur(1.2)), (0, horizon))


def _grain(canvas: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    noise = Image.frombytes("L", canvas.size, rng.randbytes(canvas.width * canvas.height))
    noise = noise.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    return Image.blend(canvas, ImageChops.overlay(canvas, noise), strength)


def draw(size: tuple[int, int] = (WIDTH, HEIGHT), seed: int = SEED) -> Image.Image:
    rng = random.Random(seed)
    horizon = round(size[1] * HORIZON)
    canvas = _sky(size, horizon)
    _sun(canvas, (round(size[0] * 0.68), round(size[1] * 0.40)), round(size[1] * 0.04))
    _mountains(canvas, rng, horizon)
    _lake(canvas, horizon)
    return _grain(canvas, rng, 0.35)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("sample.jpg"))
    options = parser.parse_args(argv)
    draw().save(options.out, "JPEG", quality=QUALITY)
    print(f"wrote {options.out} ({options.out.stat().st_size:,} bytes, {WIDTH}x{HEIGHT})")


if __name__ == "__main__":
    main()
