"""What every chart is drawn with: the one palette, the SVG frame and title, the value axis, the
legend, and round axis figures. Inline SVG text, so the report and the web page work offline."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

WIDTH = 760
PLOT_LEFT = 64
PLOT_RIGHT = 16
PLOT_TOP = 34
PLOT_HEIGHT = 220
LEGEND_ROW = 18
PALETTE = ("#0072b2", "#d55e00", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8a5a44", "#555555")
"""Okabe-Ito: eight colours told apart with any colour vision (the matrix has seven contestants)."""
NEUTRAL = "#8c8c8c"
SMALL_WIDTH = 520
ROW = 26
LABEL = 110


def colour(index: int) -> str:
    """The palette's colour for the index-th series, round again past its eight."""
    return PALETTE[index % len(PALETTE)]


def colours(names: Sequence[str]) -> dict[str, str]:
    return {name: colour(i) for i, name in enumerate(names)}


def nice_top(value: float) -> float:
    """A round axis maximum at or above `value`."""
    if value <= 0:
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def open_svg(title: str, height: int, width: int = WIDTH, font_size: int = 14) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="0" y="16" font-size="{font_size}" font-weight="bold">{escape(title)}</text>',
    ]


def axis(top: float, unit: str, plot_width: int) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / 4
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_LEFT + plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{PLOT_LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{number(value)}</text>'
        )
    parts.append(
        f'<text x="12" y="{PLOT_TOP + PLOT_HEIGHT / 2:.0f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {PLOT_TOP + PLOT_HEIGHT / 2:.0f})">{escape(unit)}</text>'
    )
    return parts


def legend(names: Sequence[str], palette: Mapping[str, str], y: float) -> list[str]:
    parts = []
    per_row = 4
    for i, name in enumerate(names):
        x = PLOT_LEFT + (i % per_row) * 170
        row_y = y + (i // per_row) * LEGEND_ROW
        parts.append(
            f'<rect x="{x}" y="{row_y}" width="12" height="12" fill="{palette[name]}"/>'
            f'<text x="{x + 17}" y="{row_y + 10}" font-size="12">{escape(name)}</text>'
        )
    return parts
