"""Measured evidence: a run, read through the results store, summarised per framework, and the
ratings it replaces.

Which points stand for a framework (`results.reference`, the rule the claims and the report
use): among the run's points of the scenarios of the user's `workload` (database, services,
compute), the reference load point, each contestant under its default server; medians over the
trials that went well, with their min and max. A run with no point of that workload falls back,
saying so, to its overall reference point. Real time comes from the run's `iot` points
(readings delivered per second), security from the run's `audit.json` (the default profile's
grade as stars, as `claims.security` reads it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from framematrix.audit import store as audit_store
from framematrix.claims.article import Better
from framematrix.claims.judge import compare
from framematrix.claims.security import stars
from framematrix.decide.knowledge import KnowledgeBase, Rating, ratio_score, ratio_scores
from framematrix.errors import FramematrixError
from framematrix.results.reference import RULES, ByLoad, by_load, reference_load
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import DEFAULT_ROOT, Run
from framematrix.results.summary import PointSummary, Spread
from framematrix.scenarios import SCENARIOS
from framematrix.trials import TrialPoint

REALTIME_SCENARIO = "iot"
UNITS = {
    "rps": "req/s",
    "p95_ms": "ms p95",
    "pss_mb": "MB",
    "cpu_s_per_1k": "CPU s per 1k",
    "realtime_rps": "readings/s delivered",
}


def workload_of(scenario: str) -> str | None:
    if scenario in SCENARIOS:
        return SCENARIOS[scenario].workload
    return "realtime" if scenario == REALTIME_SCENARIO else None


@dataclass(frozen=True)
class FrameworkEvidence:
    framework: str
    point: TrialPoint
    trials: int
    workers: int | None
    rps: float
    p95_ms: float | None
    pss_mb: float | None
    pss_peak_mb: float | None
    uss_per_worker_mb: float | None
    cpu_s_per_1k: float | None
    spreads: Mapping[str, Spread]
    """The figures' spreads (median, min, max) by field name."""

    @classmethod
    def of(cls, framework: str, s: PointSummary) -> FrameworkEvidence:
        assert s.rps is not None
        spreads = {
            k: v
            for k in ("rps", "p95_ms", "pss_mb", "cpu_s_per_1k")
            if (v := s.value(k)) is not None
        }
        return cls(
            framework,
            s.point,
            s.rps.n,
            s.workers,
            s.rps.median,
            _median(s.p95_ms),
            _median(s.pss_mb),
            _median(s.pss_peak_mb),
            _median(s.uss_per_worker_mb),
            _median(s.cpu_s_per_1k),
            spreads,
        )

    def describe(self, run_id: str) -> str:
        at = self.point.at
        return (
            f"run {run_id}: median of {self.trials} trials, {self.point.contestant} on "
            f"{self.point.server or '?'}, {at.db or 'db?'}, {at.scenario}, {at.label}"
        )

    def record(self) -> dict[str, Any]:
        """The flat form `decide --json` prints under `evidence.frameworks`: the framework, its
        point's identity, the figures."""
        return {
            "framework": self.framework,
            **self.point.record(),
            "trials": self.trials,
            "workers": self.workers,
            "rps": self.rps,
            "p95_ms": self.p95_ms,
            "pss_mb": self.pss_mb,
            "pss_peak_mb": self.pss_peak_mb,
            "uss_per_worker_mb": self.uss_per_worker_mb,
            "cpu_s_per_1k": self.cpu_s_per_1k,
        }


def _median(spread: Spread | None) -> float | None:
    return None if spread is None else spread.median


@dataclass(frozen=True)
class Evidence:
    run_id: str
    path: Path
    created: str | None
    environment: Mapping[str, Any]
    frameworks: Mapping[str, FrameworkEvidence]
    """The points standing for performance: the workload's (see `for_workload`), else overall."""
    summary: RunSummary
    realtime: Mapping[str, FrameworkEvidence]
    security: Mapping[str, Rating]
    """framework -> its audited security rating (only those the run's audit covered)."""
    contestants: Mapping[str, str]
    """contestant -> the framework it stands for."""
    note: str = ""
    """Which points stand for performance, and why."""

    def for_workload(self, workload: str | None) -> Evidence:
        """The same run with the points of one workload standing for performance."""
        if workload is None:
            return self
        frameworks = _at_reference(
            self.summary.loads, lambda s: workload_of(s) == workload, self.contestants
        )
        if frameworks:
            at = next(iter(frameworks.values())).point.at
            note = f"performance from the run's {workload} points ({at.scenario}, {at.label})"
            return replace(self, frameworks=frameworks, note=note)
        note = f"the run has no {workload} points: performance from its overall reference point"
        return replace(self, note=note)

    def for_request(self, scenario: str, tuning: str) -> Evidence | None:
        """The same run with the points of a described request (`decide.measured`) standing for
        performance, under one tuning; None when the run has no good trial of it."""
        loads = by_load(self.summary.points, tuning)
        frameworks = _at_reference(loads, lambda s: s == scenario, self.contestants)
        if not frameworks:
            return None
        at = next(iter(frameworks.values())).point.at
        note = f"performance from your request's points ({scenario}, {at.label}, {RULES[tuning]})"
        return replace(self, frameworks=frameworks, note=note)


def _at_reference(
    loads: ByLoad, keep: Callable[[str], bool], contestants: Mapping[str, str]
) -> dict[str, FrameworkEvidence]:
    """Per framework, its figures at the reference load among the points whose scenario `keep`
    accepts."""
    kept = {at: found for at, found in loads.items() if keep(at.scenario)}
    at = reference_load(kept, tuple(contestants))
    found = kept.get(at, {}) if at is not None else {}
    return {
        contestants[name]: FrameworkEvidence.of(contestants[name], s)
        for name, s in found.items()
        if name in contestants and s.rps is not None
    }


def audited(run: Run, kb: KnowledgeBase) -> dict[str, Rating]:
    """Security ratings from the run's audit.json: the default profile's grade as stars."""
    ratings = {}
    for audit in audit_store.load(run.path):
        framework = next(
            (f for f, fw in kb.frameworks.items() if fw.contestant == audit.contestant), None
        )
        if framework is None or audit.profile != "default":
            continue
        got = stars(audit.grade)
        source = (
            f"audit in run {run.id}: {audit.contestant}, default profile, score "
            f"{audit.score} ({audit.grade}) = {got} stars"
        )
        ratings[framework] = Rating(float(got), source, "measured", float(audit.score), run.id)
    return ratings


def load(run: str | Path | None, kb: KnowledgeBase, root: Path = DEFAULT_ROOT) -> Evidence:
    """The evidence of the run named (a folder or an id under `root`), else the latest run."""
    found = Run.find(run, root)
    return of_run(found, RunSummary.read(found), kb)


def of_run(run: Run, summary: RunSummary, kb: KnowledgeBase) -> Evidence:
    """The evidence of a run already summarised."""
    meta = run.meta()
    contestants = {fw.contestant: name for name, fw in kb.frameworks.items()}
    frameworks = _at_reference(summary.loads, lambda s: workload_of(s) != "realtime", contestants)
    if not frameworks:
        raise FramematrixError(
            f"run {run.path} has no successful trial of django, fastapi or flask"
        )
    realtime = _at_reference(summary.loads, lambda s: workload_of(s) == "realtime", contestants)
    return Evidence(
        run.id,
        run.path,
        meta.get("created"),
        meta.get("environment") or {},
        frameworks,
        summary,
        realtime,
        audited(run, kb),
        contestants,
        "performance from the run's overall reference point",
    )


def choose(
    run: str | Path | None, kb: KnowledgeBase, root: Path = DEFAULT_ROOT
) -> tuple[Evidence | None, str]:
    """The run named (its problems are errors), else the latest run if it is usable; and a line
    saying which run was used, or that the article's figures were."""
    if run:
        evidence = load(run, kb, root)
        return evidence, f"used run {evidence.run_id} ({evidence.path})"
    try:
        evidence = load(None, kb, root)
    except FramematrixError as exc:
        return None, f"no usable run ({exc}): the article's figures"
    return evidence, f"used run {evidence.run_id}, the latest under {root}/"


def _measured(
    criterion: str, field: str, evidence: Evidence, kb: KnowledgeBase
) -> dict[str, Rating] | str:
    """The run's ratings of one criterion, or why the article's stay: a framework the run did
    not measure there, or a pair of the article's frameworks it could not tell apart (its
    interval straddles the run's tie zone: `claims.judge.compare`)."""
    source = evidence.realtime if field == "realtime_rps" else evidence.frameworks
    name = "rps" if field == "realtime_rps" else field
    what = kb.criteria[criterion].label
    if not source:
        kind = "realtime" if field == "realtime_rps" else "measured"
        return f"{what}: the run has no {kind} points"
    # Every framework of the article, and those beyond it that the run measured.
    spreads = {f: e.spreads.get(name) for f, e in source.items() if f in kb.order}
    if not set(kb.article_order) <= set(spreads) or any(s is None for s in spreads.values()):
        missing = sorted(set(kb.article_order) - {f for f, s in spreads.items() if s})
        return f"{what}: the run did not measure {', '.join(missing)} there"
    better = kb.criteria[criterion].better
    undecided = _undecided(source, spreads, better, name, evidence)
    if undecided:
        return f"{what}: the run could not tell {undecided}"
    medians = {f: s.median for f, s in spreads.items() if s is not None}
    scores = ratio_scores(medians, better)
    positive = [v for v in medians.values() if v > 0]
    best = (max(positive) if better == "higher" else min(positive)) if positive else 1.0
    ratings = {}
    for f in spreads:
        s = spreads[f]
        assert s is not None
        ends = sorted((ratio_score(s.low, best, better), ratio_score(s.high, best, better)))
        text = (
            f"{source[f].describe(evidence.run_id)}: {s.median:,.4g} {UNITS[field]} "
            f"({s.low:,.4g}…{s.high:,.4g})"
        )
        ratings[f] = Rating(scores[f], text, "measured", s.median, evidence.run_id, *ends)
    return ratings


def _undecided(
    source: Mapping[str, FrameworkEvidence],
    spreads: Mapping[str, Spread | None],
    better: Better,
    metric: str,
    evidence: Evidence,
) -> str:
    """The first pair of frameworks the run did not tell apart (nor call equal) beyond its
    noise floor of `metric` (its own tie zone), in words; "" when every pair is decided."""
    noise = evidence.summary.noise
    if noise.too_noisy:
        return "anything: its A/A control came out apart (the machine was too noisy)"
    names = list(spreads)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            first, second = spreads[a], spreads[b]
            assert first is not None and second is not None
            at = source[a].point.at
            rules = noise.rules(at, metric)
            outcome, interval = compare(first, second, better, rules)
            if outcome == "undecided":
                reach = f"{interval.low:.2f}…{interval.high:.2f}x" if interval else "too few trials"
                return f"{a} from {b} ({reach} against a ±{rules.tie:.0%} tie zone)"
    return ""


def apply(kb: KnowledgeBase, evidence: Evidence) -> KnowledgeBase:
    """Replace the article's ratings of every measured criterion with the run's, where the run
    measured all frameworks for it and told every pair of them apart (or equal) beyond its
    noise; the audit's security ratings where it audited them."""
    for key, criterion in kb.criteria.items():
        if criterion.measured is not None:
            ratings = _measured(key, criterion.measured, evidence, kb)
            if not isinstance(ratings, str):
                kb = kb.with_ratings(key, ratings)
        if criterion.audited and evidence.security:
            kb = security_defaults(kb, evidence.security)
    return kb


def kept(kb: KnowledgeBase, evidence: Evidence) -> list[str]:
    """Why each measured criterion kept the article's figures (the run could not decide it, or
    did not measure it), one line each."""
    found = []
    for key, criterion in kb.criteria.items():
        if criterion.measured is not None:
            why = _measured(key, criterion.measured, evidence, kb)
            if isinstance(why, str):
                found.append(why)
    return found


def security_defaults(
    kb: KnowledgeBase, audit: Mapping[str, Rating] | None = None
) -> KnowledgeBase:
    """The audited security ratings; for a framework the audit did not cover, the article's
    rating stays (both are stars of 5)."""
    if not audit:
        return kb
    current = kb.criteria["security_defaults"].ratings
    ratings = {f: audit.get(f, current[f]) for f in kb.article_order}
    ratings |= {f: audit[f] for f in kb.included if f in audit}
    return kb.with_ratings("security_defaults", ratings)
