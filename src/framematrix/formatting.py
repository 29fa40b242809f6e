"""How a figure is written, the same way in the terminal, the reports and the verdicts' evidence:
a median with its range, a ratio with its range, never a figure without its spread."""

from __future__ import annotations

from framematrix.summary import Spread

MISSING = "—"


def number(value: float, digits: int | None = None) -> str:
    """`1,234` or `45.2`: with `digits` fixed decimals; without, whole numbers from 100 up and
    three significant digits below."""
    if digits is not None:
        return f"{value:,.{digits}f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def spread(figure: Spread | None, digits: int | None = None) -> str:
    """`median (min…max)`; a lone trial shows its figure only."""
    if figure is None:
        return MISSING
    if figure.n < 2:
        return number(figure.median, digits)
    low, high = number(figure.low, digits), number(figure.high, digits)
    return f"{number(figure.median, digits)} ({low}…{high})"


def times(figure: Spread | None) -> str:
    """A ratio: `1.23x (1.10…1.35)`."""
    if figure is None:
        return MISSING
    if figure.n < 2:
        return f"{figure.median:.2f}x"
    return f"{figure.median:.2f}x ({figure.low:.2f}…{figure.high:.2f})"
