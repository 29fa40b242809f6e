"""The matrix as data: one schema that the terminal, HTML, Markdown, JSON and CSV all render.

Per contestant and load: req/s, p95, memory (PSS) and CPU per 1,000 requests, each as the
median of its trials with their min…max, as a ratio to Django measured at the same load in the
same run, and as a ratio to its raw baseline (framework overhead), beside the article's figures.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from framematrix import claims as claim_rules
from framematrix.codesize import RULES, CodeSize, measure_all
from framematrix.contestants.registry import CONTESTANTS
from framematrix.engines import histogram as hist
from framematrix.report.fidelity import differences
from framematrix.store import Run
from framematrix.summary import PointSummary, Spread, by_point, ratio, summarise
from framematrix.trials import TrialResult, load_label

FORMAT = "framematrix-report/1"
CODESIZE_FILE = "codesize.json"
AUDIT_FILE = "audit.json"
CURVE_PERCENTILES = (50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0)
METRICS = {
    "rps": ("req/s", "higher", claim_rules.ARTICLE_RPS),
    "p95_ms": ("p95 ms", "lower", claim_rules.ARTICLE_P95_MS),
    "pss_mb": ("PSS MB", "lower", claim_rules.ARTICLE_MEMORY_MB),
    "cpu_s_per_1k": ("CPU s / 1k req", "lower", {}),
}
"""Field -> (label, which way is better, the article's figure per framework)."""


def framework_of(contestant: str) -> str | None:
    """`fastapi-as-published` -> `fastapi`: which of the article's figures a row sits beside."""
    base = contestant.removesuffix("-as-published")
    return base if base in claim_rules.FRAMEWORKS else None


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
    contestant: str
    server: str | None
    scenario: str
    engine: str
    concurrency: int | None
    rate: float | None
    trials: int
    failed: int
    errors: int
    error_share: float
    baseline: str | None
    metrics: dict[str, Metric]
    curve: list[tuple[float, float]]
    """(percentile, ms) from the trials' merged latency histograms."""

    @property
    def load(self) -> str:
        return load_label(self.concurrency, self.rate)


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
    audit_claims: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def loads(self) -> list[tuple[str, str]]:
        """(scenario, load) in the order they were run."""
        return list(dict.fromkeys((row.scenario, row.load) for row in self.rows))

    def rows_at(self, scenario: str, load: str) -> list[Row]:
        return [r for r in self.rows if r.scenario == scenario and r.load == load]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        data["code_rules"] = list(RULES)
        data["article"] = {
            "rps": claim_rules.ARTICLE_RPS,
            "p95_ms": claim_rules.ARTICLE_P95_MS,
            "memory_mb": claim_rules.ARTICLE_MEMORY_MB,
            "lines_of_code": claim_rules.ARTICLE_LOC,
            "setup": claim_rules.ARTICLE_SETUP,
        }
        return data


def _curve(trials: list[TrialResult]) -> list[tuple[float, float]]:
    encoded = [t.histogram for t in trials if t.ok and t.histogram]
    if not encoded:
        return []
    merged = hist.merge(encoded)
    if not merged.get_total_count():
        return []
    return [(p, round(merged.get_value_at_percentile(p) / 1000, 3)) for p in CURVE_PERCENTILES]


def _metric(
    name: str, s: PointSummary, django: PointSummary | None, baseline: PointSummary | None
) -> Metric:
    measured: Spread | None = getattr(s, name)
    reference: Spread | None = getattr(django, name) if django else None
    raw: Spread | None = getattr(baseline, name) if baseline else None
    article = METRICS[name][2]
    framework = framework_of(s.contestant)
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


def rows_of(trials: list[TrialResult]) -> list[Row]:
    """One row per point; ratios against Django and the raw baseline measured at the same load
    (each under its default server, the rule the claims use too)."""
    groups = by_point(trials)
    at_load = claim_rules.points(trials)
    rows = []
    for s in summarise(trials):
        same = {
            name: point.summary
            for name, point in at_load[(s.scenario, s.concurrency, s.rate, s.engine)].items()
        }
        spec = CONTESTANTS.get(s.contestant)
        baseline = spec.baseline if spec else None
        rows.append(
            Row(
                contestant=s.contestant,
                server=s.server,
                scenario=s.scenario,
                engine=s.engine,
                concurrency=s.concurrency,
                rate=s.rate,
                trials=s.trials,
                failed=s.failed,
                errors=s.errors,
                error_share=round(s.error_share, 4),
                baseline=baseline,
                metrics={
                    name: _metric(name, s, same.get("django"), same.get(baseline or ""))
                    for name in METRICS
                },
                curve=_curve(groups[(s.contestant, s.server, s.scenario, s.concurrency, s.rate,
                                     s.engine)]),
            )
        )  # fmt: skip
    return rows


def code_sizes(run: Run) -> tuple[list[CodeSize], str]:
    """The sizes stored with the run (as the code was when it ran), else measured now."""
    path = run.path / CODESIZE_FILE
    if path.is_file():
        data = json.loads(path.read_text())
        # A run stored before the API-only count existed counts its whole package as API.
        sizes = [
            CodeSize(**{"api_source_lines": item["source_lines"], **item,
                        "packages": tuple(item["packages"])})
            for item in data
        ]  # fmt: skip
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


def build(run: Run) -> Report:
    meta = run.meta()
    trials = list(run.trials())
    sizes, when = code_sizes(run)
    by_load = claim_rules.points(trials)
    reference = claim_rules.reference_load(by_load)
    plan = meta.get("plan") or {}
    environment = meta.get("environment") or {}
    warnings = [f"{t.spec.key}: failed — {t.reason}" for t in trials if not t.ok]
    warnings += [f"{t.spec.key}: {w}" for t in trials for w in t.warnings]
    return Report(
        run=run.id,
        path=str(run.path),
        created=meta.get("created"),
        finished=meta.get("finished"),
        plan=plan,
        environment=environment,
        rows=rows_of(trials),
        reference=claim_rules.describe_load(reference) if reference else None,
        claims=claim_rules.evaluate(trials, {s.contestant: s.api_source_lines for s in sizes}),
        code=sizes,
        code_measured=when,
        differences=differences(plan, environment, trials),
        audit_claims=audit_claims(run),
        warnings=list(dict.fromkeys(warnings)),
    )
