"""Charts as inline SVG strings: no script, no CDN, readable with styles off."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

WIDTH = 520
ROW = 26
LABEL = 110
PALETTE = ("#0c4b33", "#009485", "#3a3a3a", "#8a6d3b", "#5b6abf", "#b0413e", "#6b8e23", "#777")


def bars(title: str, values: Mapping[str, float], unit: str, better: str = "higher") -> str:
    """One horizontal bar per label; the best bar is marked."""
    if not values:
        return ""
    top = max(values.values()) or 1.0
    best = (
        max(values, key=values.__getitem__)
        if better == "higher"
        else min(values, key=values.__getitem__)
    )
    span = WIDTH - LABEL - 90
    height = ROW * len(values) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(values.items()):
        y = 26 + i * ROW
        length = max(1.0, span * value / top)
        colour = PALETTE[0] if label == best else PALETTE[2]
        parts += [
            f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>',
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
            f'fill="{colour}"/>',
            f'<text x="{LABEL + length + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{value:,.1f} {escape(unit)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def stacked(title: str, rows: Mapping[str, Mapping[str, float]], legend: Mapping[str, str]) -> str:
    """One bar per framework made of its criteria's contributions (same order, same colours)."""
    if not rows:
        return ""
    keys = list(legend)
    top = max(sum(r.values()) for r in rows.values()) or 1.0
    span = WIDTH - LABEL - 60
    legend_rows = (len(keys) + 2) // 3
    height = 30 + ROW * len(rows) + 18 * legend_rows + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    for i, (label, row) in enumerate(rows.items()):
        y = 26 + i * ROW
        x = float(LABEL)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>')
        for j, key in enumerate(keys):
            width = span * row.get(key, 0.0) / top
            if width <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(legend[key])}: '
                f"{row.get(key, 0.0):.2f}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{sum(row.values()):.2f}</text>'
        )
    base = 30 + ROW * len(rows)
    for j, key in enumerate(keys):
        x, y = (j % 3) * (WIDTH // 3), base + (j // 3) * 18
        parts += [
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>',
            f'<text x="{x + 14}" y="{y + 9}" font-size="10">{escape(legend[key][:28])}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
