"""The matrix's cells: which figures each metric shows, written the same way in every format."""

from __future__ import annotations

from typing import Any

from framematrix.claims.article import ARTICLE
from framematrix.report.model import METRICS, Metric
from framematrix.results.formatting import MISSING, spread, times

DIGITS = {"rps": 0, "p95_ms": 1, "workers_pss_mb": 0, "pss_mb": 0, "cpu_s_per_1k": 3}


def measured(name: str, metric: Metric) -> str:
    return spread(metric.measured, DIGITS[name])


def vs_baseline(metric: Metric) -> str:
    return MISSING if metric.vs_baseline is None else f"{metric.vs_baseline:.2f}x"


def article(name: str, metric: Metric) -> str:
    if metric.article is None:
        return MISSING
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


def article_lines(contestant: str) -> str:
    """The article's lines of code beside a contestant of its (`~40`), else `—`."""
    values = ARTICLE.figure("lines_of_code").values
    return f"~{values[contestant]:.0f}" if contestant in values else MISSING


SETTINGS_HEADERS = (
    "contestant",
    "server",
    "tuning",
    "workers",
    "threads",
    "keep-alive",
    "backlog",
    "access log",
    "log level",
    "Server header",
)


def settings_row(server: dict[str, Any]) -> tuple[str, ...]:
    """One server the run started, as the server-settings table shows it."""
    s = server["settings"]
    timeout = s.get("keepalive_timeout_s")
    keepalive = "on" if timeout is None else f"{timeout} s"
    if s.get("keepalive") is False:
        keepalive = "closes"
    extra = [x for x in (server["version_set"], "realtime" if server["realtime"] else "") if x]
    name = server["contestant"] + (f" ({', '.join(extra)})" if extra else "")
    return (
        name,
        server["server"],
        server["tuning"],
        str(server.get("workers") or MISSING),
        str(s.get("threads") or MISSING),
        keepalive,
        str(s.get("backlog", MISSING)),
        "on" if s.get("access_log") else "off",
        str(s.get("log_level", MISSING)),
        "on" if s.get("server_header") else "off",
    )
