"""The article's claims that can be checked without a run: from the frameworks' own defaults
and the article's own arithmetic.

Each check returns (verdict, evidence); the catalogue names them (`catalog.OfflineCheck`) and
the ledger (`claims.ledger`) runs them.
"""

from __future__ import annotations

from collections.abc import Callable

from framematrix.claims.article import ARTICLE
from framematrix.claims.judge import Verdict

Check = Callable[[], tuple[Verdict, str]]
SECONDS_PER_MONTH = 30 * 24 * 3600
PEAK_TO_AVERAGE = 100
"""A generous peak: a hundred times the month's average rate."""


def hosting() -> tuple[Verdict, str]:
    """The hosting figures' traffic against the article's own throughput per core."""
    figure = ARTICLE.figure("hosting_usd_per_month")
    requests = float(figure.extra["requests_per_month"])
    average = requests / SECONDS_PER_MONTH
    peak = average * PEAK_TO_AVERAGE
    rps = ARTICLE.figure("rps").values
    per_core = {f: v / ARTICLE.setup.cores for f, v in rps.items()}
    needed = {f: max(1, -(-peak // per_core[f])) for f in per_core}
    workers = figure.extra["workers"]
    text = (
        f"{requests:,.0f} requests a month are {average:.2f} req/s on average; even at "
        f"{PEAK_TO_AVERAGE}x that ({peak:.0f} req/s) the article's own throughput per core ("
        + ", ".join(f"{f} {v:,.0f}" for f, v in per_core.items())
        + f" req/s) needs {', '.join(f'{f} {n:.0f}' for f, n in needed.items())} worker(s), "
        f"not the article's {', '.join(f'{f} {w}' for f, w in workers.items())}: at this "
        "traffic the cost differences cannot come from async efficiency"
    )
    explained = all(needed[f] >= workers[f] for f in workers)
    return ("holds" if explained else "does not hold"), text


def low_traffic() -> tuple[Verdict, str]:
    """Django's own figure in the article against the traffic of its hosting example."""
    average = float(ARTICLE.figure("hosting_usd_per_month").extra["requests_per_month"])
    average /= SECONDS_PER_MONTH
    django = ARTICLE.figure("rps").values["django"]
    text = (
        f"by the article's own figures: Django's {django:,.0f} req/s is "
        f"{django / average:,.0f}x the {average:.2f} req/s average of 1M requests a month, "
        f"{django / (average * PEAK_TO_AVERAGE):,.0f}x a peak of {PEAK_TO_AVERAGE}x it; "
        "re-measured by the run's rps-order claim"
    )
    return ("holds" if django > average * PEAK_TO_AVERAGE else "does not hold"), text


def less_code() -> tuple[Verdict, str]:
    lines = ARTICLE.figure("lines_of_code").values
    text = (
        f"by the article's own § Code Comparison: FastAPI ~{lines['fastapi']:.0f} lines, "
        f"Django ~{lines['django']:.0f}, Flask ~{lines['flask']:.0f}; see also code-order"
    )
    fewest = min(lines.values())
    return ("holds" if lines["fastapi"] == fewest else "does not hold"), text


CHECKS: dict[str, Check] = {
    "hosting": hosting,
    "low-traffic": low_traffic,
    "less-code": less_code,
}
