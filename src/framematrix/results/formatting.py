"""How a figure is written, the same way in the terminal, the reports and the verdicts' evidence:
a median with its range, a ratio with its range, never a figure without its spread."""

from __future__ import annotations

from pathlib import Path

from framematrix.results.summary import Spread

MISSING = "—"


def place(path: Path) -> str:
    """A path as short as it can be said: relative to where the user stands, when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def listed(names: list[str], shown: int = 3) -> str:
    """`a, b, c and 4 more`: a list that stays short however many it holds."""
    rest = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {rest} more" if rest > 0 else "")


def number(value: float, digits: int | None = None) -> str:
    """`1,234` or `45.2`: with `digits` fixed decimals; without, whole numbers from 100 up and
    three significant digits below."""
    if digits is not None:
        return f"{value:,.{digits}f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def spread_parts(figure: Spread | None, digits: int | None = None) -> tuple[str, str]:
    """(`median`, `min…max`) apart, for layouts that set the range under the figure; a lone
    trial has no range (`""`)."""
    if figure is None:
        return MISSING, ""
    if figure.n < 2:
        return number(figure.median, digits), ""
    low, high = number(figure.low, digits), number(figure.high, digits)
    return number(figure.median, digits), f"{low}…{high}"


def spread(figure: Spread | None, digits: int | None = None) -> str:
    """`median (min…max)`; a lone trial shows its figure only."""
    median, span = spread_parts(figure, digits)
    return f"{median} ({span})" if span else median


def times_parts(figure: Spread | None) -> tuple[str, str]:
    """(`1.23x`, `1.10…1.35`) apart; see `spread_parts`."""
    if figure is None:
        return MISSING, ""
    if figure.n < 2:
        return f"{figure.median:.2f}x", ""
    return f"{figure.median:.2f}x", f"{figure.low:.2f}…{figure.high:.2f}"


def times(figure: Spread | None) -> str:
    """A ratio: `1.23x (1.10…1.35)`."""
    median, span = times_parts(figure)
    return f"{median} ({span})" if span else median


def relative(figure: Spread | None, up: str = "faster", down: str = "slower") -> str:
    """hyperfine's wording for a ratio (B over A): `1.23x faster (1.10…1.35)` above 1, and below
    1 its inverse, `1.30x slower (1.20…1.40)`; just `1.00x (…)` when the median rounds to 1."""
    if figure is None:
        return MISSING
    median, span = times_parts(figure)
    if median == "1.00x" or figure.median <= 0:
        return times(figure)
    if figure.median < 1:
        inverse = Spread(
            1 / figure.median,
            1 / figure.high if figure.high else 0.0,
            1 / figure.low if figure.low else float("inf"),
            figure.n,
        )
        return relative(inverse, down, up)
    return f"{median} {up} ({span})" if span else f"{median} {up}"
