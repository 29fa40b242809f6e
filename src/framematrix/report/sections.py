"""The HTML report as a list of sections: the answer first (`first_screen`), then the detail
sections it links to, in the order of `DETAILS`.

A section is one function here (Report -> Section, or None to leave it out of this report) and
one macro in `templates/sections.html` named after its anchor (dashes as underscores), which
renders the section's `data`. Adding a section is those two and one entry in `DETAILS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from framematrix import claims as claim_rules
from framematrix.claims.catalog import GROUPS
from framematrix.claims.ledger import counts
from framematrix.measure.codesize import RULES
from framematrix.measure.ledger import Ledger
from framematrix.measure.side import Side
from framematrix.report import (
    answer,
    charts,
    crossover_view,
    ledger_view,
    rules,
    side_view,
    svg,
)
from framematrix.report.cells import SETTINGS_HEADERS, settings_row
from framematrix.report.claims_ledger import STATUS_TEXT
from framematrix.report.model import METRICS, Report, Row
from framematrix.results.compare import MEASURING_KEYS
from framematrix.results.statistics import MIN_ROUNDS, MIN_TIE
from framematrix.results.summary import Spread
from framematrix.trials import LoadPoint
from framematrix.versions import describe


@dataclass(frozen=True)
class Section:
    anchor: str
    """The section's id in the page (its links' target)."""
    title: str
    link: str
    """What its link on the first screen says."""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def macro(self) -> str:
        return self.anchor.replace("-", "_")


def _palette(report: Report) -> dict[str, str]:
    return svg.colours(list(dict.fromkeys(row.point.who for row in report.rows)))


def _by_scenario(report: Report) -> dict[str, list[LoadPoint]]:
    loads: dict[str, list[LoadPoint]] = {}
    for at in report.loads():
        loads.setdefault(at.scenario, []).append(at)
    return loads


def headline_chart(report: Report) -> str:
    """Each contestant's req/s and p95 over Django's, per workload, with their ranges."""
    groups = [
        (
            f"{w.name}: {w.at.describe()}",
            [(row.who, row.rps, row.p95, row.article_rps) for row in w.rows],
        )
        for w in answer.headline(report)
    ]
    return charts.ratio_intervals(
        "Each contestant against Django, per workload", groups, _palette(report)
    )


def first_screen(report: Report) -> dict[str, Any]:
    """The answer: verdicts, the run's quality, the headline chart."""
    return {
        "verdicts": answer.verdicts(report),
        "quality": answer.quality(report),
        "headline": Markup(headline_chart(report)),  # charts escape their own text
    }


def claims(report: Report) -> Section:
    workloads = sorted(
        {group for c in report.claims for group in c.by_workload}, key=list(GROUPS).index
    )
    rules_head, by_rule = rules.table(report.claims)
    return Section(
        "claims",
        "The article's claims, with their evidence",
        "Claims",
        {
            "claims": report.claims,
            "audit": report.audit_claims,
            "reference": report.reference,
            "judged_under": rules.judged_under(report.rules),
            "rules_head": rules_head,
            "by_rule": by_rule,
            "configurations": rules.configurations(report.claims),
            "control": report.control,
            "min_tie": MIN_TIE,
            "min_trials": MIN_ROUNDS,
            "max_errors": claim_rules.MAX_ERROR_SHARE,
            "workloads": workloads,
            "method": report.confidence,
            "budget": report.budget,
        },
    )


def every_claim(report: Report) -> Section:
    """The article's every claim, the unmeasurable ones too, and how each is checked."""
    found = report.every_claim()
    return Section(
        "every-claim",
        "Every claim of the article, and how it is checked",
        "Every claim",
        {"entries": found, "counts": counts(found), "status": STATUS_TEXT},
    )


def sweep(report: Report) -> Section | None:
    """Where each curve bends: the knees, and req/s and p99 against concurrency."""
    if not report.knees:
        return None
    palette = _palette(report)
    made = []
    for scenario in dict.fromkeys(k["scenario"] for k in report.knees):
        rows = [
            r
            for r in report.rows
            if r.point.at.scenario == scenario and r.point.at.concurrency is not None
        ]
        for name, title, unit in (
            ("rps", "Throughput", "req/s"),
            ("p99_ms", "p99 latency", "p99 ms"),
        ):
            series = {
                who: [
                    charts.Mark(r.point.at.concurrency or 0, v.median, v.low, v.high)
                    for r in rows
                    if r.point.who == who and (v := r.summary.value(name))
                ]
                for who in palette
            }
            made.append(
                charts.sweep_lines(
                    f"{title} against concurrency: {scenario}", series, unit, palette
                )
            )
    return Section(
        "sweep",
        "Where each curve bends: the knees",
        "Knees",
        {"knees": report.knees, "charts": [Markup(c) for c in made if c]},
    )


def crossover(report: Report) -> Section | None:
    """Where the lines cross: req/s against a workload's parameter, and its crossings."""
    if not report.crossover:
        return None
    return Section(
        "crossover",
        "Where the lines cross: your workload, one parameter swept",
        "Crossover map",
        {"maps": crossover_view.figures(report.crossover, _palette(report))},
    )


def serializers(report: Report) -> Section | None:
    """A request of posts and nothing else: the ordering beside each one's serialiser."""
    if not report.serializers:
        return None
    return Section("serializers", "Your request's response: the serialisers", "Serialisers",
                   {"said": report.serializers})  # fmt: skip


def ledger(report: Report) -> Section | None:
    """The database work per request of each contestant, counted on the wire."""
    if not report.ledger:
        return None
    found = Ledger.from_record(report.ledger)
    rows = [
        [request, *(ledger_view.cell(found.row(name, request)) for name in found.contestants)]
        for request in found.requests
    ]
    return Section(
        "ledger",
        "Database work per request",
        "Database work",
        {
            "db": found.db,
            "cell": ledger_view.CELL,
            "head": ["request", *found.contestants],
            "rows": rows,
        },
    )


def servers(report: Report) -> Section | None:
    """Every server the run started, with its settings as they were on its command line."""
    if not report.servers:
        return None
    return Section(
        "servers",
        "Server settings",
        "Servers",
        {"head": SETTINGS_HEADERS, "rows": [settings_row(s) for s in report.servers]},
    )


def matrix(report: Report) -> Section | None:
    """Per scenario one table, its loads as row groups: each figure as median (range) and as a
    ratio to Django (and to the raw baseline), the article's figure under it."""
    if not report.rows:
        return None
    tables = [
        (scenario, [(at, report.rows_at(at)) for at in loads])
        for scenario, loads in _by_scenario(report).items()
    ]
    return Section(
        "matrix",
        "Matrix: every figure, with its range",
        "Matrix",
        {"tables": tables, "metrics": METRICS},
    )


def figures(report: Report) -> Section | None:
    """Throughput, latency, memory, CPU per 1k and framework overhead: bars with whiskers."""
    palette = _palette(report)
    contestants = list(palette)
    made = []
    for scenario, points in _by_scenario(report).items():
        rows = [row for row in report.rows if row.point.at.scenario == scenario]
        loads = [at.label for at in points]
        for name, title in (
            ("rps", "Throughput"),
            ("p95_ms", "p95 latency"),
            ("workers_pss_mb", "Memory (PSS of the workers)"),
            ("pss_mb", "Memory (PSS, whole server)"),
            ("cpu_s_per_1k", "Server CPU per 1,000 requests"),
        ):
            values = {
                (row.point.who, row.point.at.label): row.metrics[name].measured for row in rows
            }
            made.append(
                charts.grouped_bars(
                    f"{title}: {scenario}", loads, contestants, values, METRICS[name][0], palette
                )
            )
        made.append(_overhead(scenario, rows, loads, contestants, palette))
    found = [Markup(chart) for chart in made if chart]
    if not found:
        return None
    return Section(
        "charts", "Charts: medians with the trials' min…max", "Charts", {"charts": found}
    )


def _overhead(
    scenario: str,
    rows: list[Row],
    loads: list[str],
    contestants: list[str],
    palette: Mapping[str, str],
) -> str:
    overhead = {
        (row.point.who, row.point.at.label): Spread(v, v, v, 1)
        for row in rows
        if (v := row.metrics["rps"].vs_baseline) is not None
    }
    framed = [c for c in contestants if any(key[0] == c for key in overhead)]
    return charts.grouped_bars(
        f"Framework overhead: req/s as a share of the raw baseline, {scenario}",
        loads,
        framed,
        overhead,
        "share of raw req/s",
        palette,
    )


def latency(report: Report) -> Section | None:
    """Latency by percentile per load, on HdrHistogram's axis."""
    palette = _palette(report)
    made = []
    for at in report.loads():
        curves = {row.point.who: row.curve for row in report.rows_at(at)}
        made.append(
            charts.percentile_curves(
                f"Latency by percentile: {at.scenario}, {at.label}", curves, palette
            )
        )
    found = [Markup(chart) for chart in made if chart]
    if not found:
        return None
    return Section("latency", "Latency by percentile", "Latency", {"charts": found})


def code(report: Report) -> Section:
    return Section(
        "code",
        "Code size",
        "Code size",
        {"code": report.code, "measured": report.code_measured, "rules": RULES},
    )


def side(report: Report) -> Section | None:
    """Cold start, install footprint, test clients and batteries, measured beside the trials."""
    if not report.side:
        return None
    found = side_view.tables(Side.from_record(report.side))
    return Section(
        "side",
        "Beside the load trials",
        "Cold start, footprint, tests, batteries",
        {"tables": found},
    )


def setup(report: Report) -> Section:
    return Section(
        "setup",
        "Differences from the article's setup",
        "Setup",
        {"differences": report.differences},
    )


def _environment(report: Report) -> Iterable[tuple[str, Any]]:
    for key, value in report.environment.items():
        if key == "packages" and isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif key == "version_sets" and isinstance(value, dict):
            default = report.environment.get("packages") or {}
            yield from (
                (f"version set {label}", describe(env, default)) for label, env in value.items()
            )
            continue
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        yield key, value
    plan = report.plan
    for key in (*MEASURING_KEYS, "db_url", "connection_per_request"):
        if key in plan:
            yield f"plan: {key}", plan[key]


def environment(report: Report) -> Section:
    return Section(
        "environment", "Environment", "Environment", {"rows": list(_environment(report))}
    )


def warnings(report: Report) -> Section | None:
    if not report.warnings:
        return None
    return Section(
        "warnings", f"Warnings ({len(report.warnings)})", "Warnings", {"warnings": report.warnings}
    )


DETAILS: tuple[Callable[[Report], Section | None], ...] = (
    claims,
    every_claim,
    matrix,
    figures,
    sweep,
    crossover,
    serializers,
    latency,
    ledger,
    servers,
    code,
    side,
    setup,
    environment,
    warnings,
)


def details(report: Report) -> list[Section]:
    return [section for make in DETAILS if (section := make(report)) is not None]
