"""Measured evidence: a run, read through the results store, summarised per framework, and the
ratings it replaces.

For each framework, the figures are those of its idiomatic contestant at the run's reference
load point (`framematrix.reference`: the same point the matrix judges the article's claims at,
each contestant under its default server), as medians over the trials that went well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framematrix.decide.knowledge import KnowledgeBase, Rating, ratio_scores
from framematrix.errors import FramematrixError
from framematrix.reference import by_load, reference_load
from framematrix.store import DEFAULT_ROOT, Run
from framematrix.summary import PointSummary, Spread, summarise
from framematrix.trials import TrialPoint


def _median(spread: Spread | None) -> float | None:
    return None if spread is None else spread.median


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

    @classmethod
    def of(cls, framework: str, s: PointSummary) -> FrameworkEvidence:
        assert s.rps is not None
        return cls(framework, s.point, s.rps.n, s.workers, s.rps.median, _median(s.p95_ms),
                   _median(s.pss_mb), _median(s.pss_peak_mb), _median(s.uss_per_worker_mb),
                   _median(s.cpu_s_per_1k))  # fmt: skip

    def describe(self, run_id: str) -> str:
        at = self.point.at
        return (
            f"run {run_id}: median of {self.trials} trials, {self.point.contestant} on "
            f"{self.point.server or '?'}, {at.db or 'db?'}, {at.scenario}, {at.label}"
        )

    def record(self) -> dict[str, Any]:
        """The flat form `decide --json` prints under `evidence.frameworks`."""
        at = self.point.at
        return {
            "framework": self.framework, "contestant": self.point.contestant,
            "server": self.point.server, "db": at.db, "scenario": at.scenario,
            "concurrency": at.concurrency, "rate": at.rate, "trials": self.trials,
            "workers": self.workers, "rps": self.rps, "p95_ms": self.p95_ms,
            "pss_mb": self.pss_mb, "pss_peak_mb": self.pss_peak_mb,
            "uss_per_worker_mb": self.uss_per_worker_mb, "cpu_s_per_1k": self.cpu_s_per_1k,
        }  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    run_id: str
    path: Path
    created: str | None
    environment: Mapping[str, Any]
    frameworks: Mapping[str, FrameworkEvidence]


def summarise_run(run: Run, kb: KnowledgeBase) -> dict[str, FrameworkEvidence]:
    """Per framework measured with a good trial, its figures at the run's reference load."""
    loads = by_load(summarise(run.trials()))
    contestants = {fw.contestant: name for name, fw in kb.frameworks.items()}
    at = reference_load(loads, tuple(contestants))
    found = loads.get(at, {}) if at is not None else {}
    return {
        contestants[name]: FrameworkEvidence.of(contestants[name], s)
        for name, s in found.items()
        if name in contestants and s.rps is not None
    }


def load(run: str | Path | None, kb: KnowledgeBase, root: Path = DEFAULT_ROOT) -> Evidence:
    """The evidence of the run named (a folder or an id under `root`), else the latest run."""
    found = Run.find(run, root)
    meta = found.meta()
    frameworks = summarise_run(found, kb)
    if not frameworks:
        raise FramematrixError(
            f"run {found.path} has no successful trial of django, fastapi or flask"
        )
    return Evidence(found.id, found.path, meta.get("created"), meta.get("environment") or {},
                    frameworks)  # fmt: skip


def apply(kb: KnowledgeBase, evidence: Evidence) -> KnowledgeBase:
    """Replace the article's ratings of every measured criterion with the run's, when the run
    measured all frameworks for it."""
    for key, criterion in kb.criteria.items():
        if criterion.measured is None:
            continue
        values = {f: getattr(e, criterion.measured) for f, e in evidence.frameworks.items()}
        if set(values) != set(kb.order) or any(v is None for v in values.values()):
            continue
        scores = ratio_scores(values, criterion.better)
        kb = kb.with_ratings(
            key,
            {
                f: Rating(scores[f], evidence.frameworks[f].describe(evidence.run_id), values[f])
                for f in kb.order
            },
        )
    return kb


def security_defaults(
    kb: KnowledgeBase, audit: Mapping[str, tuple[float, str]] | None = None
) -> KnowledgeBase:
    """The seam for the security audit: `audit` maps framework -> (score 1..5, source line).
    Without an audit, or for a framework it did not cover, the article's rating stays."""
    if not audit:
        return kb
    current = kb.criteria["security_defaults"].ratings
    ratings = {
        f: Rating(float(audit[f][0]), audit[f][1]) if f in audit else current[f] for f in kb.order
    }
    return kb.with_ratings("security_defaults", ratings)
