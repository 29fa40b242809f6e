"""The matrix as data: one schema that the terminal, HTML, Markdown, JSON and CSV all render.

Per contestant and load: req/s, p95, memory (PSS) and CPU per 1,000 requests, each as the
median of its trials with their min…max, as a ratio to Django measured at the same load in the
same run, and as a ratio to its raw baseline (framework overhead), beside the article's figures.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from framematrix import claims as claim_rules
from framematrix.claims.article import ARTICLE
from framematrix.claims.ledger import Entry, entries
from framematrix.contestants.registry import CONTESTANTS, article_framework, beyond_article
from framematrix.engines import histogram as hist
from framematrix.measure.codesize import RULES, CodeSize, measure_all
from framematrix.measure.side import Side
from framematrix.report import serializer_view
from framematrix.report.fidelity import differences
from framematrix.results import crossover, sweep
from framematrix.results.crossover import CrossoverMap
from framematrix.results.reference import rules_of
from framematrix.results.run_summary import RunSummary
from framematrix.results.statistics import METHOD
from framematrix.results.store import AUDIT_FILE, CODESIZE_FILE, LEDGER_FILE, Run
from framematrix.results.summary import PointSummary, Spread, ratio
from framematrix.trials import LoadPoint, TrialPoint, TrialResult

FORMAT = "framematrix-report/1"
CURVE_PERCENTILES = (50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0)
CURVE_STEPS = 10
METRICS = {
    "rps": ("req/s", "higher", ARTICLE.figure("rps").values),
    "p95_ms": ("p95 ms", "lower", ARTICLE.figure("p95_ms").values),
    "workers_pss_mb": ("workers PSS MB", "lower", ARTICLE.figure("memory_mb").values),
    "pss_mb": ("PSS MB", "lower", {}),
    "cpu_s_per_1k": ("CPU s / 1k req", "lower", {}),
}
"""Field -> (label, which way is better, the article's figure per framework). The article's
memory figures sit beside the workers' PSS, the figure that compares across process layouts;
`pss_mb` is the whole server, supervisor included."""
SERVED_BY = ("contestant", "server", "tuning", "version_set")
"""What tells apart the servers a run started: a point's identity but its load point (the
runner starts one server for each, and one more for real time)."""


@dataclass(frozen=True)
class Metric:
    measured: Spread | None
    vs_django: Spread | None
    """This contestant over Django at the same load and run; min…max from the trials' ranges."""
    vs_baseline: float | None
    """Median over its raw baseline's median: for req/s the share of the ceiling it keeps."""
    article: float | None
    article_vs_django: float | None


@dataclass(frozen=True)
class Row:
    summary: PointSummary
    baseline: str | None
    metrics: dict[str, Metric]
    curve: list[tuple[float, float]]
    """(percentile, ms) from the trials' merged latency histograms: HdrHistogram's plot points
    (`curve_percentiles`), the maximum as percentile 100."""

    @property
    def point(self) -> TrialPoint:
        return self.summary.point

    @property
    def beyond_article(self) -> bool:
        """A framework the article does not compare: its ratios, no article figure."""
        return beyond_article(self.point.contestant)

    def record(self) -> dict[str, Any]:
        """A row as the JSON report prints it: flat, its point's identity first."""
        s = self.summary
        return {
            **s.point.record(),
            "trials": s.trials,
            "failed": s.failed,
            "errors": s.errors,
            "error_share": round(s.error_share, 4),
            "baseline": self.baseline,
            "beyond_article": self.beyond_article,
            "not_applicable": s.not_applicable,
            "metrics": {name: asdict(metric) for name, metric in self.metrics.items()},
            "curve": [list(point) for point in self.curve],
        }


@dataclass(frozen=True)
class Report:
    run: str
    path: str
    created: str | None
    finished: str | None
    plan: dict[str, Any]
    environment: dict[str, Any]
    rows: list[Row]
    reference: str | None
    """The load the claims were judged at."""
    claims: list[claim_rules.ClaimResult]
    code: list[CodeSize]
    code_measured: str
    differences: list[str]
    summary: RunSummary
    """The run's trials summarised once: what the rows, the claims and the answer read (not
    printed: the rows carry its figures)."""
    audit_claims: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ledger: dict[str, Any] | None = None
    """The database work per request of each contestant (`contract.ledger.Ledger.record`)."""
    servers: list[dict[str, Any]] = field(default_factory=list)
    """Each server the run started: contestant, server, tuning, workers, settings, command."""
    budget: dict[str, Any] | None = None
    """What `matrix` spent on more trials where a verdict was undecided."""
    knees: list[dict[str, Any]] = field(default_factory=list)
    """Each contestant's knee per scenario swept (`results.sweep`), when a run measured a
    scenario at several concurrencies."""
    crossover: list[CrossoverMap] = field(default_factory=list)
    """Each contestant's req/s against one parameter of a described workload and where the
    lines cross (`results.crossover`), when the run measured such a series."""
    serializers: list[str] = field(default_factory=list)
    """Where a request asked for posts and nothing else: the ordering beside each contestant's
    serialiser (`report.serializer_view`)."""
    confidence: str = METHOD
    rules: tuple[str, ...] = ()
    """The tunings the verdicts were judged under (`results.reference.rules_of`), the claims'
    own verdict under the first; several: each claim under each, side by side."""
    side: dict[str, Any] | None = None
    """What `matrix` measured beside its trials (`measure.side.Side.record`): cold starts,
    install footprints, test clients; None for a run that measured none."""
    control: dict[str, Any] | None = None
    """The run's A/A control (`results.control.Noise.record`): its ratio and interval at the
    reference point, whether it came out apart, the tie zone it sets, each load point's; None
    for a run without one."""

    def every_claim(self) -> list[Entry]:
        """Every claim of the article: measured here (this run's verdict), measurable, or
        stated."""
        return entries(self.claims, self.audit_claims, self.run)

    def loads(self) -> list[LoadPoint]:
        """The load points, in the order they were run."""
        return list(dict.fromkeys(row.point.at for row in self.rows))

    def rows_at(self, at: LoadPoint) -> list[Row]:
        return [r for r in self.rows if r.point.at == at]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, rows=[], claims=[], crossover=[], summary=RunSummary.of(())))
        del data["summary"]
        data["rows"] = [row.record() for row in self.rows]
        data["crossover"] = [found.record() for found in self.crossover]
        data["claims"] = [claim.record() for claim in self.claims]
        data["claims_ledger"] = [entry.record() for entry in self.every_claim()]
        data["format"] = FORMAT
        data["code_rules"] = list(RULES)
        lines = ARTICLE.figure("lines_of_code").values
        data["article"] = {
            "rps": dict(ARTICLE.figure("rps").values),
            "p95_ms": dict(ARTICLE.figure("p95_ms").values),
            "memory_mb": dict(ARTICLE.figure("memory_mb").values),
            "lines_of_code": {name: round(count) for name, count in lines.items()},
            "setup": ARTICLE.setup.record(),
        }
        return data


def curve_percentiles(count: int) -> list[float]:
    """The points of HdrHistogram's percentile plot: `CURVE_STEPS` per decade of 1/(1-p), as far
    as `count` samples resolve, beside `CURVE_PERCENTILES`."""
    decades = math.log10(count) if count > 1 else 0.0
    dense = {
        round(100 * (1 - 10 ** (-i / CURVE_STEPS)), 5)
        for i in range(int(decades * CURVE_STEPS) + 1)
    }
    return sorted(dense | set(CURVE_PERCENTILES))


def _curve(trials: list[TrialResult]) -> list[tuple[float, float]]:
    encoded = [t.histogram for t in trials if t.ok and t.histogram]
    if not encoded:
        return []
    merged = hist.merge(encoded)
    count = merged.get_total_count()
    if not count:
        return []
    return [
        (p, round(merged.get_value_at_percentile(p) / 1000, 3)) for p in curve_percentiles(count)
    ]


def _metric(
    name: str, s: PointSummary, django: PointSummary | None, baseline: PointSummary | None
) -> Metric:
    measured: Spread | None = getattr(s, name)
    reference: Spread | None = getattr(django, name) if django else None
    raw: Spread | None = getattr(baseline, name) if baseline else None
    article = METRICS[name][2]
    framework = article_framework(s.point.contestant)
    figure = article.get(framework) if framework else None
    return Metric(
        measured=measured,
        vs_django=ratio(measured, reference) if measured and reference else None,
        vs_baseline=round(measured.median / raw.median, 4)
        if measured and raw and raw.median
        else None,
        article=figure,
        article_vs_django=round(figure / article["django"], 4) if figure else None,
    )


def rows_of(summary: RunSummary) -> list[Row]:
    """One row per point; ratios against Django and the raw baseline measured at the same load
    (each under its default server: `results.reference`, the rule the claims use too)."""
    rows = []
    for s in summary.points:
        same = summary.loads[s.point.at]
        spec = CONTESTANTS.get(s.point.contestant)
        baseline = spec.baseline if spec else None
        metrics = {
            name: _metric(name, s, same.get("django"), same.get(baseline or "")) for name in METRICS
        }
        rows.append(Row(s, baseline, metrics, _curve(summary.groups[s.point])))
    return rows


def code_sizes(run: Run) -> tuple[list[CodeSize], str]:
    """The sizes stored with the run (as the code was when it ran), else measured now."""
    path = run.path / CODESIZE_FILE
    if path.is_file():
        data = json.loads(path.read_text())
        # A run stored before the API-only count existed counts its whole package as API.
        sizes = [
            CodeSize(
                **{
                    "api_source_lines": item["source_lines"],
                    **item,
                    "packages": tuple(item["packages"]),
                }
            )
            for item in data
        ]
        return sizes, "when the run was made"
    return measure_all(), "when this report was made (the run stored none)"


def save_code_sizes(run: Run, names: tuple[str, ...] | None = None) -> None:
    run.write(CODESIZE_FILE, [size.record() for size in measure_all(names)])


def audit_claims(run: Run) -> list[dict[str, Any]]:
    """The security audit's claim verdicts, when an audit.json was written into the run."""
    path = run.path / AUDIT_FILE
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text())
        return [dict(item) for item in data.get("claims", [])]
    except (OSError, ValueError, AttributeError):
        return []


def server_settings(trials: Iterable[TrialResult]) -> list[dict[str, Any]]:
    """One entry per server the run started (`SERVED_BY`, and whether it served real time; its
    stored config), in the order first used."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for trial in trials:
        config = trial.server_config
        if not config or not trial.point.server:
            continue
        identity = trial.point.record()
        served = {name: identity[name] for name in SERVED_BY}
        served["realtime"] = bool(config.get("realtime"))
        seen.setdefault(
            tuple(served.values()),
            {
                **served,
                "workers": config.get("workers"),
                "settings": config.get("settings") or {},
                "command": config.get("command"),
            },
        )
    return list(seen.values())


def _read(run: Run, name: str) -> dict[str, Any] | None:
    path = run.path / name
    try:
        return dict(json.loads(path.read_text())) if path.is_file() else None
    except (OSError, ValueError):
        return None


def build(run: Run) -> Report:
    meta = run.meta()
    summary = RunSummary.read(run)
    trials, reference = summary.trials, summary.reference
    sizes, when = code_sizes(run)
    side = Side.read(run.path)
    rows = rows_of(summary)
    plan = meta.get("plan") or {}
    environment = meta.get("environment") or {}
    warnings = [f"{t.spec.key}: failed — {t.reason}" for t in trials if not t.ok and t.applicable]
    warnings += sorted({t.reason for t in trials if not t.applicable and t.reason})
    warnings += [f"{t.spec.key}: {w}" for t in trials for w in t.warnings]
    return Report(
        run=run.id,
        path=str(run.path),
        created=meta.get("created"),
        finished=meta.get("finished"),
        plan=plan,
        environment=environment,
        rows=rows,
        reference=reference.describe() if reference else None,
        claims=claim_rules.evaluate(
            summary.loads,
            {s.contestant: s.api_source_lines for s in sizes},
            summary.noise,
            summary.rules,
            side,
        ),
        side=side.record() if side else None,
        rules=rules_of(summary.loads, summary.rules),
        control=summary.noise.record(reference),
        code=sizes,
        code_measured=when,
        differences=differences(plan, environment, trials),
        summary=summary,
        audit_claims=audit_claims(run),
        warnings=list(dict.fromkeys(warnings)),
        ledger=_read(run, LEDGER_FILE),
        servers=server_settings(trials),
        budget=meta.get("budget"),
        knees=[
            knee.record()
            for knee in sweep.knees(summary.points, **(meta.get("sweep") or {}).get("rule", {}))
        ],
        crossover=crossover.maps(summary),
        serializers=serializer_view.said(summary),
    )
