"""How each figure of the matrix is written, the same way in every format."""

from __future__ import annotations

from framematrix.report.model import METRICS, Metric
from framematrix.summary import Spread

DIGITS = {"rps": 0, "p95_ms": 1, "pss_mb": 0, "cpu_s_per_1k": 3}


def value(spread: Spread | None, digits: int) -> str:
    """`median (min…max)`; a lone trial shows its figure only."""
    if spread is None:
        return "—"
    if spread.n < 2:
        return f"{spread.median:,.{digits}f}"
    return f"{spread.median:,.{digits}f} ({spread.low:,.{digits}f}…{spread.high:,.{digits}f})"


def times(spread: Spread | None) -> str:
    if spread is None:
        return "—"
    if spread.n < 2:
        return f"{spread.median:.2f}x"
    return f"{spread.median:.2f}x ({spread.low:.2f}…{spread.high:.2f})"


def measured(name: str, metric: Metric) -> str:
    return value(metric.measured, DIGITS[name])


def vs_baseline(metric: Metric) -> str:
    return "—" if metric.vs_baseline is None else f"{metric.vs_baseline:.2f}x"


def article(name: str, metric: Metric) -> str:
    if metric.article is None:
        return "—"
    ratio = f" ({metric.article_vs_django:.2f}x)" if metric.article_vs_django else ""
    return f"{metric.article:,.0f}{ratio}"


def headers(name: str) -> tuple[str, str, str, str]:
    label = METRICS[name][0]
    return label, f"{label} vs Django", f"{label} vs raw", f"{label} article"


def cells(name: str, metric: Metric) -> tuple[str, str, str, str]:
    return (
        measured(name, metric),
        times(metric.vs_django),
        vs_baseline(metric),
        article(name, metric),
    )
