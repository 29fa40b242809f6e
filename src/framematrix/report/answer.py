"""The answer first: what every format shows before any detail.

- each of the article's claims with its verdict, how far the verdict can be trusted (its
  confidence and the trials it rests on) and a one-line why;
- the run's quality in one list: failed trials, errors, noise, engine saturation, a busy
  machine, anything that weakens a verdict, each pointing at the detail section that shows it;
- the headline: per workload measured, each contestant's req/s and p95 as a ratio to Django's
  at one load (the preferred one, by `results.reference`'s rule), with the range its trials
  allow.

Confidence, for a verdict the claims gave ("holds" or "does not hold"; each already rests on a
95% interval, see `framematrix.claims`): `low` when a point it rests on had failed trials,
errors, a saturated engine or trials more than `NOISY` apart in req/s; else `high` with at least
`CONFIDENT_TRIALS` good trials per figure (the claim's own count), `medium` below that. The
points a verdict rests on are the load points its evidence names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from framematrix import claims as claim_rules
from framematrix import scenarios
from framematrix.contestants.registry import ARTICLE_FRAMEWORKS, CONTESTANTS
from framematrix.report.model import Report, Row
from framematrix.results.formatting import listed
from framematrix.results.reference import reference_load
from framematrix.results.statistics import MIN_ROUNDS, MIN_TIE
from framematrix.results.summary import PointSummary, Spread
from framematrix.trials import LoadPoint

Level = Literal["ok", "note", "warn", "bad"]
NOISY = 0.2
CONFIDENT_TRIALS = 5
BUSY_LOAD = 0.5
"""A load average above this share of the usable cores when the run started: a busy machine."""
TIE_LABELS = {"p95_ms": "p95", "workers_pss_mb": "memory"}
"""The tie zones the quality box names beside req/s's: the other figures claims compare."""
APP_WORKLOAD = "database"
"""The workload of the scenarios that name none: the contract's database work."""


@dataclass(frozen=True)
class Verdict:
    id: str
    claim: str
    verdict: claim_rules.Verdict
    confidence: str
    """`high`, `medium`, `low`, or `—` when there is no verdict to trust (cannot tell)."""
    rests_on: str
    why: str


@dataclass(frozen=True)
class QualityItem:
    level: Level
    text: str
    anchor: str
    """The detail section that shows it (the HTML report's anchor)."""


@dataclass(frozen=True)
class HeadlineRow:
    who: str
    rps: Spread | None
    """req/s over Django's at the same load, with the range the trials allow."""
    p95: Spread | None
    article_rps: float | None = None
    """The article's req/s ratio to Django for this contestant's framework."""


@dataclass(frozen=True)
class Workload:
    name: str
    at: LoadPoint
    rows: list[HeadlineRow] = field(default_factory=list)


def workload_of(scenario: str) -> str:
    """A scenario's workload (`Scenario.workload` where the catalog has it)."""
    found = scenarios.SCENARIOS.get(scenario)
    named = getattr(found, "workload", None) if found else None
    return str(named) if named else APP_WORKLOAD


def _representatives(report: Report) -> dict[LoadPoint, dict[str, Row]]:
    """The run's representative points (`RunSummary.loads`) as the report's rows."""
    by_point = {row.point: row for row in report.rows}
    return {
        at: {name: by_point[s.point] for name, s in found.items()}
        for at, found in report.summary.loads.items()
    }


def _judged_at(result: claim_rules.ClaimResult, report: Report) -> list[LoadPoint]:
    text = f"{result.measured} {result.evidence}"
    return [at for at in report.loads() if at.describe() in text]


def _problems(s: PointSummary, metric: str) -> list[str]:
    """What weakens a verdict on `metric` at this point."""
    found = []
    if s.failed:
        found.append("failed trials")
    if s.errors:
        found.append("errors")
    if s.saturated:
        found.append("a saturated engine")
    figure = s.value(metric)
    if figure and figure.n >= 2 and figure.relative_spread > NOISY:
        found.append(f"trials more than {NOISY:.0%} apart")
    return found


def confidence(
    result: claim_rules.ClaimResult, report: Report, reps: dict[LoadPoint, dict[str, Row]]
) -> tuple[str, str]:
    """(confidence, what it rests on) for one verdict; see the module's rule."""
    check = next((run for c, run in claim_rules.RUN_CLAIMS if c.id == result.id), None)
    if check is not None and check.kind == "code-order":
        return ("high" if result.verdict != "cannot tell" else "—"), "a count of source lines"
    loads = _judged_at(result, report)
    names = check.order if check and check.order else ARTICLE_FRAMEWORKS
    rows = [reps[at][n] for at in loads for n in names if n in reps.get(at, {})]
    counts = list(result.trials.values()) or [r.summary.rps.n for r in rows if r.summary.rps]
    where = ", ".join(at.describe() for at in loads)
    at_where = "" if where == report.reference else f" at {where}"
    rests_on = f"{min(counts)} trials each{at_where}" if counts else ""
    if result.verdict == "cannot tell":
        return "—", rests_on
    metric = check.metric if check and check.metric else "rps"
    problems = sorted({p for r in rows for p in _problems(r.summary, metric)})
    if problems:
        return "low", f"{rests_on}, with {' and '.join(problems)}"
    if counts and min(counts) >= CONFIDENT_TRIALS:
        return "high", rests_on
    return "medium", rests_on


_RATIO = re.compile(r"^(?P<measured>.+?) at .+? against (?P<article>the article's [\d.]+x)")
_ORDER = re.compile(r"^(?P<listing>.+) at (?P<where>[^:()]+ \([^()]+\)): (?P<because>.+)$")


def why(result: claim_rules.ClaimResult) -> str:
    """The evidence in one line: the finding first, the figures after, the place left to
    `rests_on`."""
    evidence = result.evidence
    ratio = _RATIO.match(evidence)
    if ratio:
        rest = "; the range straddles the band" if "straddles" in evidence else ""
        return f"measured {ratio['measured']} against {ratio['article']}{rest}"
    order = _ORDER.match(evidence)
    if order:
        return f"{order['because']} — {order['listing']}"
    return evidence.split(" (vs Django:")[0]


def verdicts(report: Report) -> list[Verdict]:
    reps = _representatives(report)
    found = []
    for result in report.claims:
        level, rests_on = confidence(result, report, reps)
        reason = why(result) + adapters(result, report)
        found.append(Verdict(result.id, result.claim, result.verdict, level, rests_on, reason))
    return found


def adapters(result: claim_rules.ClaimResult, report: Report) -> str:
    """What a verdict on SQLite measures beside the frameworks: the async stacks' thread-pool
    adapter (`ContestantSpec.sqlite_adapter`), said beside the verdict it touches."""
    on_sqlite = [
        at
        for at in _judged_at(result, report)
        if at.db == "sqlite" and scenarios.get(at.scenario).workload == "database"
    ]
    adapted = [n for n in result.trials if (spec := CONTESTANTS.get(n)) and spec.sqlite_adapter]
    if not on_sqlite or not adapted:
        return ""
    told = "; ".join(f"{n}: {CONTESTANTS[n].sqlite_adapter}" for n in adapted)
    return (
        f" — on SQLite, which async stacks reach through a thread pool no one deploys ({told}): "
        "run on the default embedded PostgreSQL for what teams deploy"
    )


def _points(summaries: Iterable[PointSummary]) -> str:
    return listed([f"{s.point.who} {s.point.at.scenario} {s.point.at.label}" for s in summaries])


def quality(report: Report) -> list[QualityItem]:
    """What weakens the run's figures, worst first; an `ok` line where nothing does."""
    summaries = [row.summary for row in report.rows]
    items: list[QualityItem] = [control(report)]
    failed = [s for s in summaries if s.failed]
    if failed:
        count = sum(s.failed for s in failed)
        total = sum(s.trials for s in summaries)
        items.append(
            QualityItem("bad", f"{count} of {total} trials failed: {_points(failed)}", "warnings")
        )
    erring = [s for s in summaries if s.errors]
    if erring:
        worst = max(s.error_share for s in erring)
        level: Level = "bad" if worst > claim_rules.MAX_ERROR_SHARE else "warn"
        items.append(
            QualityItem(
                level,
                f"errors at {len(erring)} point(s), up to {worst:.1%} of "
                f"responses: {_points(erring)}",
                "matrix",
            )
        )
    for s in (s for s in summaries if s.slow):
        items.append(QualityItem("note", f"{_points([s])}: {s.slow}", "matrix"))
    saturated = [s for s in summaries if s.saturated]
    if saturated:
        count = sum(s.saturated for s in saturated)
        items.append(
            QualityItem(
                "warn",
                f"{count} trial(s) with the load engine near saturation "
                "(the engine, not the server, may be the limit): "
                f"{_points(saturated)}",
                "warnings",
            )
        )
    items += _noise(summaries)
    low = [v for v in verdicts(report) if v.confidence == "low"]
    if low:
        items.append(
            QualityItem(
                "warn",
                f"{len(low)} verdict(s) rest on points with problems: "
                + "; ".join(v.id for v in low),
                "claims",
            )
        )
    items += _machine(report)
    counts = [s.rps.n for s in summaries if s.rps]
    if counts and min(counts) < CONFIDENT_TRIALS:
        items.append(
            QualityItem(
                "note",
                f"at least {min(counts)} good trial(s) per point "
                f"({MIN_ROUNDS} are the minimum for a verdict): more --trials "
                "narrow the ranges",
                "matrix",
            )
        )
    if report.differences:
        items.append(
            QualityItem(
                "note", f"{len(report.differences)} differences from the article's setup", "setup"
            )
        )
    return items


def control(report: Report) -> QualityItem:
    """The A/A control in one line: `A/A control: 1.02x (0.94…1.09)`, what it lets the run call
    real, and whether the machine was too noisy for any performance verdict."""
    found = report.control
    if not found:
        return QualityItem(
            "note",
            f"no A/A control in this run: its verdicts use the least tie "
            f"zone ({MIN_TIE:.0%}), not one measured here",
            "claims",
        )
    interval = found.get("interval")
    said = (
        f"{found['ratio']:.2f}x ({interval[0]:.2f}…{interval[1]:.2f})"
        if found.get("ratio") and interval
        else "not enough paired rounds"
    )
    where = f"{found['contestant']} against a second server of its own at {found['at']}"
    if found.get("too_noisy"):
        apart = "; ".join(
            f"at {c['at']} {c['ratio']:.2f}x ({c['apart_interval'][0]:.2f}…"
            f"{c['apart_interval'][1]:.2f} at {found['apart_level']:.0%})"
            for c in found["by_load"]
            if c["apart"]
        )
        return QualityItem(
            "bad",
            f"A/A control: {said}, {where}; apart {apart}, so the machine was too "
            "noisy for any performance verdict (all are cannot tell)",
            "claims",
        )
    ties = found.get("ties") or {}
    others = ", ".join(
        f"{label} {ties[metric]:.0%}" for metric, label in TIE_LABELS.items() if metric in ties
    )
    return QualityItem(
        "ok",
        f"A/A control: {said}, {where}: differences under {found['tie']:.0%} in req/s"
        + (f" ({others})" if others else "")
        + " are not called real",
        "claims",
    )


def _noise(summaries: list[PointSummary]) -> list[QualityItem]:
    spreads = [s for s in summaries if s.rps and s.rps.n >= 2]
    if not spreads:
        return []
    noisy = [s for s in spreads if s.rps and s.rps.relative_spread > NOISY]
    if noisy:
        return [
            QualityItem(
                "warn",
                f"{len(noisy)} point(s) whose trials differ by more than "
                f"{NOISY:.0%} in req/s: {_points(noisy)}; try more --trials or a "
                "longer --duration",
                "matrix",
            )
        ]
    widest = max(spreads, key=lambda s: s.rps.relative_spread if s.rps else 0.0)
    share = widest.rps.relative_spread if widest.rps else 0.0
    return [
        QualityItem(
            "ok",
            f"trials agree: the widest req/s range is {share:.0%} of its "
            f"median ({_points([widest])})",
            "matrix",
        )
    ]


def _machine(report: Report) -> list[QualityItem]:
    env = report.environment
    load = env.get("load_average") or []
    cores = env.get("cores_usable") or env.get("cores") or 0
    if load and cores and float(load[0]) > BUSY_LOAD * float(cores):
        return [
            QualityItem(
                "warn",
                f"the machine was busy when the run started: load average "
                f"{float(load[0]):.1f} on {cores} cores",
                "environment",
            )
        ]
    return []


def headline(report: Report) -> list[Workload]:
    """Per workload, the preferred load point and each contestant's ratios to Django there."""
    reps = _representatives(report)
    summaries = report.summary.loads
    grouped: dict[str, list[LoadPoint]] = {}
    for at in summaries:
        grouped.setdefault(workload_of(at.scenario), []).append(at)
    found = []
    for name, loads in grouped.items():
        chosen = reference_load({at: summaries[at] for at in loads})
        if chosen is None:
            continue
        rows = reps[chosen]
        ordered = [n for n in ARTICLE_FRAMEWORKS if n in rows] + [
            n for n in rows if n not in ARTICLE_FRAMEWORKS
        ]
        found.append(
            Workload(
                name,
                chosen,
                [
                    HeadlineRow(
                        rows[n].point.who,
                        rows[n].metrics["rps"].vs_django,
                        rows[n].metrics["p95_ms"].vs_django,
                        rows[n].metrics["rps"].article_vs_django,
                    )
                    for n in ordered
                ],
            )
        )
    return found
