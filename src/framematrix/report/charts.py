"""Charts drawn as inline SVG text in Python: no script, no CDN, so the report and the web page
work offline. The one chart module: every chart of framematrix, drawn with `svg`'s palette
and parts.

The report: the headline (each contestant's ratio to Django as a dot on its interval, on a log
axis), grouped bars with a whisker for each figure's min…max, and latency percentile curves on
HdrHistogram's axis (percentile spaced by log 1/(1-p): 0%, 90%, 99%, 99.9% … evenly apart). The
web page: those, horizontal bars and a score stacked from its criteria's contributions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import NamedTuple

from framematrix.report import svg
from framematrix.results.summary import Spread


def grouped_bars(
    title: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Mapping[tuple[str, str], Spread | None],
    unit: str,
    palette: Mapping[str, str] | None = None,
) -> str:
    """Per group (a load), one bar per series (a contestant) at its median, whisker min…max."""
    found = [v for v in values.values() if v is not None]
    if not found or not groups:
        return ""
    top = svg.nice_top(max(v.high for v in found))
    plot_width = svg.WIDTH - svg.PLOT_LEFT - svg.PLOT_RIGHT
    legend_rows = math.ceil(len(series) / 4)
    height = svg.PLOT_TOP + svg.PLOT_HEIGHT + 28 + legend_rows * svg.LEGEND_ROW + 6
    palette = palette or svg.colours(series)
    parts = svg.open_svg(title, height) + svg.axis(top, unit, plot_width)
    group_width = plot_width / len(groups)
    bar = min(36.0, group_width * 0.8 / max(1, len(series)))
    base = svg.PLOT_TOP + svg.PLOT_HEIGHT
    for g, group in enumerate(groups):
        start = svg.PLOT_LEFT + g * group_width + (group_width - bar * len(series)) / 2
        for s, name in enumerate(series):
            spread = values.get((name, group))
            x = start + s * bar
            if spread is None:
                if (name, group) in values:  # measured, but no trial succeeded: say so
                    parts.append(
                        f"<g><title>{escape(name)} at {escape(group)}: no successful trial</title>"
                        f'<text x="{x + bar / 2:.1f}" y="{base - 4:.1f}" font-size="13" '
                        f'text-anchor="middle" fill="{palette[name]}">✕</text></g>'
                    )
                continue
            h = svg.PLOT_HEIGHT * spread.median / top
            low = base - svg.PLOT_HEIGHT * spread.low / top
            high = base - svg.PLOT_HEIGHT * spread.high / top
            mid = x + bar / 2
            tip = f"{name} at {group}: {svg.number(spread.median)} {unit}"
            if spread.n > 1:
                tip += f" ({svg.number(spread.low)}…{svg.number(spread.high)}, {spread.n} trials)"
            parts.append(
                f'<g><title>{escape(tip)}</title><rect x="{x + 1:.1f}" y="{base - h:.1f}" '
                f'width="{bar - 2:.1f}" height="{max(h, 0.5):.1f}" fill="{palette[name]}"/>'
                f'<line x1="{mid:.1f}" x2="{mid:.1f}" y1="{low:.1f}" y2="{high:.1f}" '
                f'stroke="#222" stroke-width="1.2"/></g>'
            )
        parts.append(
            f'<text x="{svg.PLOT_LEFT + (g + 0.5) * group_width:.1f}" y="{base + 16}" '
            f'font-size="12" text-anchor="middle">{escape(group)}</text>'
        )
    parts += svg.legend(series, palette, base + 26)
    parts.append("</svg>")
    return "".join(parts)


def nines(percentile: float) -> float:
    """HdrHistogram's percentile axis, log10 of 1/(1-p): 0% -> 0, 90% -> 1, 99% -> 2, 99.9% -> 3."""
    return -math.log10(1 - min(percentile, 99.9999999) / 100)


MAX_GAP = 0.3
"""How far right of the last percentile the maximum is drawn (it has no place on the axis)."""
NAMED = {50.0: "p50", 95.0: "p95", 99.0: "p99", 99.9: "p99.9", 99.99: "p99.99"}


def percentile_curves(
    title: str, curves: Mapping[str, Sequence[tuple[float, float]]], palette: Mapping[str, str]
) -> str:
    """Latency against percentile, one line per contestant, from merged histograms, on
    HdrHistogram's axis; each line ends in a dot at its maximum."""
    drawn = {name: points for name, points in curves.items() if points}
    if not drawn:
        return ""
    finite = [nines(p) for points in drawn.values() for p, _ in points if p < 100]
    last = max(finite, default=3.0)
    end = last + MAX_GAP * 1.3
    top = svg.nice_top(max(ms for points in drawn.values() for _, ms in points))
    plot_width = svg.WIDTH - svg.PLOT_LEFT - svg.PLOT_RIGHT
    legend_rows = math.ceil(len(drawn) / 4)
    height = svg.PLOT_TOP + svg.PLOT_HEIGHT + 28 + legend_rows * svg.LEGEND_ROW + 6
    base = svg.PLOT_TOP + svg.PLOT_HEIGHT
    parts = svg.open_svg(title, height) + svg.axis(top, "ms", plot_width)

    def x_of(position: float) -> float:
        return svg.PLOT_LEFT + plot_width * position / end

    for decade in range(math.floor(last + 1e-9) + 1):
        label = "0%" if decade == 0 else f"{100 - 100 / 10**decade:.{max(0, decade - 2)}f}%"
        parts.append(
            f'<line x1="{x_of(decade):.1f}" x2="{x_of(decade):.1f}" y1="{svg.PLOT_TOP}" '
            f'y2="{base}" stroke="#eee"/><text x="{x_of(decade):.1f}" y="{base + 16}" '
            f'font-size="11" text-anchor="middle">{label}</text>'
        )
    for name, points in drawn.items():
        line = sorted((p, ms) for p, ms in points if p < 100)
        peak = [ms for p, ms in points if p >= 100]
        colour = palette.get(name, "#333")
        coords = " ".join(
            f"{x_of(nines(p)):.1f},{base - svg.PLOT_HEIGHT * ms / top:.1f}" for p, ms in line
        )
        named = [f"{NAMED[p]} {ms:,.1f} ms" for p, ms in line if p in NAMED]
        tip = ", ".join([*named, f"max {peak[0]:,.1f} ms"] if peak else named)
        marks = f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
        if peak:
            x, y = x_of(last + MAX_GAP), base - svg.PLOT_HEIGHT * peak[0] / top
            marks += f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
        parts.append(f"<g><title>{escape(name)}: {escape(tip)}</title>{marks}</g>")
    parts.append(
        f'<text x="{x_of(last + MAX_GAP):.1f}" y="{base + 16}" font-size="11" '
        f'text-anchor="middle">max</text>'
    )
    parts += svg.legend(list(drawn), palette, base + 26)
    parts.append("</svg>")
    return "".join(parts)


HEADLINE_WIDTH = 560
HEADLINE_LABEL = 150
HEADLINE_ROW = 19
HEADLINE_GROUP = 20
HEADLINE_AXIS = 34
PANEL_RIGHT = 52
"""Room right of the plot for the median's label."""
Interval = tuple[str, Spread | None, Spread | None, float | None]
"""(label, req/s ratio, p95 ratio, the article's req/s ratio) of one headline row."""


def _log_ticks(low: float, high: float) -> list[float]:
    """1, 2, 5 per decade on a short axis; powers of ten (and 1x) on one of over two decades."""
    steps = (1, 2, 5) if high / low <= 100 else (1,)
    ticks = [m * 10**e for e in range(-3, 4) for m in steps]
    return [t for t in ticks if low <= t <= high]


def ratio_intervals(
    title: str, groups: Sequence[tuple[str, Sequence[Interval]]], palette: Mapping[str, str]
) -> str:
    """The headline: two panels (req/s, then p95), each with one row per contestant per group
    (a workload at one load): its figure over Django's as a dot on the interval its trials
    allow, on a log axis around 1 (Django); a hollow diamond marks the article's req/s ratio."""
    rows = [row for _, found in groups for row in found]
    values = [v for _, rps, p95, art in rows for s in (rps, p95) if s for v in (s.low, s.high)]
    values += [art for *_, art in rows if art]
    finite = [v for v in values if 0 < v < math.inf]
    if not finite:
        return ""
    low, high = min([*finite, 1.0]) / 1.25, max([*finite, 1.0]) * 1.25
    width = HEADLINE_WIDTH - HEADLINE_LABEL - PANEL_RIGHT
    panel_height = HEADLINE_GROUP * len(groups) + HEADLINE_ROW * len(rows) + HEADLINE_AXIS + 22
    height = 28 + 2 * panel_height + 18
    parts = svg.open_svg(title, height, HEADLINE_WIDTH, font_size=13)

    def x_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return HEADLINE_LABEL + width * math.log(clamped / low) / math.log(high / low)

    top = 28.0
    for index, label in enumerate(
        ("req/s over Django's: higher is better", "p95 latency over Django's: lower is better")
    ):
        parts.append(
            f'<text x="0" y="{top + 14:.0f}" font-size="12" font-weight="bold">{label}</text>'
        )
        y = top + 22
        bottom = top + panel_height - HEADLINE_AXIS
        for tick in _log_ticks(low, high):
            x = x_of(tick)
            colour, weight = ("#444", 1.4) if tick == 1 else ("#e4e4e4", 1)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{bottom:.1f}" '
                f'stroke="{colour}" stroke-width="{weight}"/><text x="{x:.1f}" '
                f'y="{bottom + 13:.1f}" font-size="11" text-anchor="middle">{tick:g}x'
                "</text>"
            )
        for group, found in groups:
            parts.append(
                f'<text x="0" y="{y + 14:.0f}" font-size="11" fill="#555">{escape(group)}</text>'
            )
            y += HEADLINE_GROUP
            for name, rps, p95, article in found:
                mid = y + HEADLINE_ROW / 2
                colour = palette.get(name, "#333")
                parts.append(f'<text x="6" y="{mid + 4:.1f}" font-size="12">{escape(name)}</text>')
                parts.append(_interval(name, (rps, p95)[index], mid, colour, x_of))
                if article and index == 0:
                    x = x_of(article)
                    parts.append(
                        f"<g><title>the article: {escape(name)} {article:.2f}x Django's "
                        f'req/s</title><path d="M{x:.1f} {mid - 5:.1f} l5 5 l-5 5 '
                        f'l-5 -5 z" fill="none" stroke="{colour}" '
                        'stroke-width="1.5"/></g>'
                    )
                y += HEADLINE_ROW
        top += panel_height
    parts.append(
        f'<text x="0" y="{height - 4}" font-size="10.5" fill="#555">dot: median; '
        "line: the range its trials allow; ◇ the article; 1x: Django at that load"
        "</text></svg>"
    )
    return "".join(parts)


def _interval(
    name: str, spread: Spread | None, mid: float, colour: str, x_of: Callable[[float], float]
) -> str:
    if spread is None:
        return (
            f'<text x="{HEADLINE_LABEL + 4}" y="{mid + 4:.1f}" font-size="11" fill="#888">'
            "no successful trial</text>"
        )
    a, b, m = x_of(spread.low), x_of(spread.high), x_of(spread.median)
    tip = f"{name}: {spread.median:.2f}x ({spread.low:.2f}…{spread.high:.2f}), {spread.n} trials"
    return (
        f'<g><title>{escape(tip)}</title><line x1="{a:.1f}" x2="{b:.1f}" '
        f'y1="{mid:.1f}" y2="{mid:.1f}" stroke="{colour}" stroke-width="3" '
        f'stroke-linecap="round"/><circle cx="{m:.1f}" cy="{mid:.1f}" r="4.5" '
        f'fill="{colour}" stroke="#fff"/><text x="{max(a, b, m) + 8:.1f}" y="{mid + 4:.1f}" '
        f'font-size="11">{spread.median:.2f}x</text></g>'
    )


def bars(title: str, values: Mapping[str, float], unit: str, better: str = "higher") -> str:
    """One horizontal bar per label, the best one in colour (the web page's small charts)."""
    if not values:
        return ""
    top = max(values.values()) or 1.0
    best = (
        max(values, key=values.__getitem__)
        if better == "higher"
        else min(values, key=values.__getitem__)
    )
    span = svg.SMALL_WIDTH - svg.LABEL - 90
    height = svg.ROW * len(values) + 30
    parts = svg.open_svg(title, height, svg.SMALL_WIDTH, font_size=13)
    for i, (label, value) in enumerate(values.items()):
        y = 26 + i * svg.ROW
        length = max(1.0, span * value / top)
        colour = svg.PALETTE[0] if label == best else svg.NEUTRAL
        parts += [
            f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>',
            f'<rect x="{svg.LABEL}" y="{y + 3}" width="{length:.1f}" height="{svg.ROW - 8}" '
            f'fill="{colour}"/>',
            f'<text x="{svg.LABEL + length + 6:.1f}" y="{y + 15}" font-size="12">'
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
    span = svg.SMALL_WIDTH - svg.LABEL - 60
    legend_rows = (len(keys) + 2) // 3
    height = 30 + svg.ROW * len(rows) + 18 * legend_rows + 10
    parts = svg.open_svg(title, height, svg.SMALL_WIDTH, font_size=13)
    for i, (label, row) in enumerate(rows.items()):
        y = 26 + i * svg.ROW
        x = float(svg.LABEL)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>')
        for j, key in enumerate(keys):
            width = span * row.get(key, 0.0) / top
            if width <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{svg.ROW - 8}" '
                f'fill="{svg.colour(j)}"><title>{escape(legend[key])}: '
                f"{row.get(key, 0.0):.2f}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{sum(row.values()):.2f}</text>'
        )
    base = 30 + svg.ROW * len(rows)
    for j, key in enumerate(keys):
        x, y = (j % 3) * (svg.SMALL_WIDTH // 3), base + (j // 3) * 18
        parts += [
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{svg.colour(j)}"/>',
            f'<text x="{x + 14}" y="{y + 9}" font-size="10">{escape(legend[key][:28])}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


class Mark(NamedTuple):
    """One point of a line: its median and the whisker around it (None: no whisker)."""

    x: int
    median: float
    low: float | None = None
    high: float | None = None


def sweep_lines(
    title: str,
    series: Mapping[str, Sequence[Mark]],
    unit: str,
    palette: Mapping[str, str],
    *,
    axis: str = "c",
    log: bool = True,
    whisker: str = "the trials' min…max",
    bands: Sequence[tuple[int, int, str]] = (),
) -> str:
    """A figure against what a sweep varies, one line per contestant with a whisker at each
    point: concurrency on a log scale (where a curve bends, its knee), or a workload's parameter
    on a linear one (where lines cross; `bands` shades each span a crossing lies in)."""
    drawn = {name: sorted(points) for name, points in series.items() if points}
    if not drawn:
        return ""
    xs = sorted({m.x for points in drawn.values() for m in points})
    tops = [m.high if m.high is not None else m.median for ms in drawn.values() for m in ms]
    top = svg.nice_top(max(tops))
    plot_width = svg.WIDTH - svg.PLOT_LEFT - svg.PLOT_RIGHT
    legend_rows = math.ceil(len(drawn) / 4)
    height = svg.PLOT_TOP + svg.PLOT_HEIGHT + 28 + legend_rows * svg.LEGEND_ROW + 22
    base = svg.PLOT_TOP + svg.PLOT_HEIGHT
    parts = svg.open_svg(title, height) + svg.axis(top, unit, plot_width)
    scale: Callable[[float], float] = math.log2 if log else float
    low, high = scale(xs[0]), scale(xs[-1])
    span = (high - low) or 1.0

    def x_of(value: int) -> float:
        return svg.PLOT_LEFT + 8 + (plot_width - 16) * (scale(value) - low) / span

    def y_of(value: float) -> float:
        return base - svg.PLOT_HEIGHT * value / top

    for start, stop, says in bands:
        parts.append(
            f'<rect x="{x_of(start):.1f}" y="{svg.PLOT_TOP}" '
            f'width="{x_of(stop) - x_of(start):.1f}" height="{svg.PLOT_HEIGHT}" fill="#f2e6c9" '
            f'opacity="0.6"><title>{escape(says)}</title></rect>'
        )
    for x in xs:
        parts.append(
            f'<text x="{x_of(x):.1f}" y="{base + 16}" font-size="11" '
            f'text-anchor="middle">{x}</text>'
        )
    for name, points in drawn.items():
        colour = palette.get(name, "#333")
        coords = " ".join(f"{x_of(m.x):.1f},{y_of(m.median):.1f}" for m in points)
        tip = ", ".join(f"{axis}={m.x}: {svg.number(m.median)}" for m in points)
        parts.append(
            f"<g><title>{escape(name)}: {escape(tip)} {escape(unit)}</title>"
            f'<polyline points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
        for m in points:
            if m.low is not None and m.high is not None:
                parts.append(
                    f'<line x1="{x_of(m.x):.1f}" x2="{x_of(m.x):.1f}" y1="{y_of(m.low):.1f}" '
                    f'y2="{y_of(m.high):.1f}" stroke="{colour}"/>'
                )
            parts.append(
                f'<circle cx="{x_of(m.x):.1f}" cy="{y_of(m.median):.1f}" r="2.5" fill="{colour}"/>'
            )
        parts.append("</g>")
    parts += svg.legend(list(drawn), palette, base + 26)
    note = f"dot: median; whisker: {whisker}" + ("; shaded: where lines cross" if bands else "")
    parts.append(
        f'<text x="{svg.PLOT_LEFT}" y="{height - 4}" font-size="10.5" fill="#555">'
        f"{escape(note)}</text></svg>"
    )
    return "".join(parts)
