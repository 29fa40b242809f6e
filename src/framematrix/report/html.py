"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from framematrix import claims as claim_rules
from framematrix.article import ARTICLE
from framematrix.codesize import RULES
from framematrix.contract import ledger_view
from framematrix.contract.ledger import Ledger
from framematrix.reference import MIN_TRIALS
from framematrix.report import charts
from framematrix.report.cells import SETTINGS_HEADERS, article_lines, cells, headers, settings_row
from framematrix.report.model import METRICS, Report
from framematrix.summary import Spread
from framematrix.trials import LoadPoint


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("framematrix.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _by_scenario(report: Report) -> dict[str, list[LoadPoint]]:
    loads: dict[str, list[LoadPoint]] = {}
    for at in report.loads():
        loads.setdefault(at.scenario, []).append(at)
    return loads


def chart_list(report: Report) -> list[str]:
    """Throughput, latency curves, memory, CPU per 1k and framework overhead, in that order."""
    contestants = list(dict.fromkeys(row.point.who for row in report.rows))
    palette = charts.colours(contestants)
    made = []
    for scenario, points in _by_scenario(report).items():
        rows = [row for row in report.rows if row.point.at.scenario == scenario]
        loads = [at.label for at in points]
        for name, title in (("rps", "Throughput"), ("p95_ms", "p95 latency"),
                            ("workers_pss_mb", "Memory (PSS of the workers)"),
                            ("pss_mb", "Memory (PSS, whole server)"),
                            ("cpu_s_per_1k", "Server CPU per 1,000 requests")):  # fmt: skip
            values = {(row.point.who, row.point.at.label): row.metrics[name].measured
                      for row in rows}  # fmt: skip
            label = METRICS[name][0]
            made.append(charts.grouped_bars(f"{title}: {scenario}", loads, contestants, values,
                                            label, palette))  # fmt: skip
        overhead = {
            (row.point.who, row.point.at.label): Spread(v, v, v, 1)
            for row in rows
            if (v := row.metrics["rps"].vs_baseline) is not None
        }
        framed = [c for c in contestants if any(key[0] == c for key in overhead)]
        made.append(charts.grouped_bars(
            f"Framework overhead: req/s as a share of the raw baseline, {scenario}",
            loads, framed, overhead, "share of raw req/s", palette))  # fmt: skip
        closed = sorted({at.concurrency for at in points if at.concurrency is not None})
        if len(closed) > 2:  # a sweep: where each curve bends
            for name, title, unit in (("rps", "Throughput", "req/s"),
                                      ("p99_ms", "p99 latency", "p99 ms")):  # fmt: skip
                series = {who: [(row.point.at.concurrency or 0, value)
                                for row in rows if row.point.who == who
                                and row.point.at.concurrency is not None
                                and (value := row.summary.value(name)) is not None]
                          for who in contestants}  # fmt: skip
                made.append(charts.sweep_lines(f"{title} against concurrency: {scenario}",
                                               series, unit, palette))  # fmt: skip
        for at in points:
            curves = {row.point.who: row.curve for row in rows if row.point.at == at}
            made.append(charts.percentile_curves(f"Latency by percentile: {scenario}, {at.label}",
                                                 curves, palette))  # fmt: skip
    return [chart for chart in made if chart]


def _environment(report: Report) -> Iterable[tuple[str, Any]]:
    for key, value in report.environment.items():
        if key == "packages" and isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        yield key, value
    plan = report.plan
    for key in ("engine", "duration_s", "warmup_s", "trials", "workers", "db_url",
                "connection_per_request"):  # fmt: skip
        if key in plan:
            yield f"plan: {key}", plan[key]


def ledger_grid(report: Report) -> tuple[list[str], list[list[str]]]:
    """The ledger as a grid: request kinds down, contestants across (`ledger_view.CELL`)."""
    if not report.ledger:
        return [], []
    ledger = Ledger.from_record(report.ledger)
    rows = [[request, *(ledger_view.cell(ledger.row(name, request)) for name in ledger.contestants)]
            for request in ledger.requests]  # fmt: skip
    return ["request", *ledger.contestants], rows


def render(report: Report) -> str:
    template = _env().get_template("report.html")
    return template.render(
        r=report,
        source=ARTICLE.title,
        metrics=list(METRICS),
        headers=headers,
        cells=cells,
        charts=[Markup(chart) for chart in chart_list(report)],  # charts escape their own text
        tie=claim_rules.TIE,
        tolerance=claim_rules.RATIO_TOLERANCE,
        min_trials=MIN_TRIALS,
        max_errors=claim_rules.MAX_ERROR_SHARE,
        code_rules=RULES,
        article_lines=article_lines,
        ledger=ledger_grid(report),
        ledger_cell=ledger_view.CELL,
        settings_headers=SETTINGS_HEADERS,
        settings_row=settings_row,
        workloads=sorted({group for c in report.claims for group in c.by_workload}),
        environment=list(_environment(report)),
    )
