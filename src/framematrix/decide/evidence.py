"""Measured evidence: a run folder summarised per framework, and the ratings it replaces.

A run is `RUN/run.json` plus `RUN/trials/*.json`, one file per trial. For each framework we take
its idiomatic contestant on its default server (the registry's first), keep the trials that went
well, pick one comparable point (scenario, database, load) that every framework was measured
at, and take medians over its trials.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framematrix.contestants.registry import CONTESTANTS
from framematrix.decide.knowledge import KnowledgeBase, Rating, ratio_scores
from framematrix.errors import FramematrixError

RUNS_ROOT = Path("runs")
SCENARIO_PREFERENCE = ("crud", "list-posts", "read-one", "health")
"""`crud` first: it is the article's own benchmark."""
DB_PREFERENCE = ("postgresql", "sqlite")


@dataclass(frozen=True)
class FrameworkEvidence:
    framework: str
    contestant: str
    server: str
    db: str | None
    scenario: str
    concurrency: int | None
    rate: float | None
    trials: int
    workers: int | None
    rps: float
    p95_ms: float | None
    pss_mb: float | None
    pss_peak_mb: float | None
    uss_per_worker_mb: float | None
    cpu_s_per_1k: float | None

    def describe(self, run_id: str) -> str:
        load = f"c={self.concurrency}" if self.concurrency is not None else f"rate={self.rate:g}/s"
        return (
            f"run {run_id}: median of {self.trials} trials, {self.contestant} on "
            f"{self.server}, {self.db or 'db?'}, {self.scenario}, {load}"
        )


@dataclass(frozen=True)
class Evidence:
    run_id: str
    path: Path
    created: str | None
    environment: Mapping[str, Any]
    frameworks: Mapping[str, FrameworkEvidence]


def resolve_run(run: str | Path) -> Path:
    """A path to a run folder, or a run id under ./runs/."""
    path = Path(run)
    for candidate in (path, RUNS_ROOT / str(run)):
        if (candidate / "run.json").is_file():
            return candidate
    raise FramematrixError(f"no run at {run}: expected a folder with run.json and trials/")


def _load_trials(path: Path) -> list[dict[str, Any]]:
    trials = []
    for file in sorted((path / "trials").glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FramematrixError(f"unreadable trial {file}: {exc}") from None
        if isinstance(data, dict):
            trials.append(data)
    return trials


def _median(trials: list[dict[str, Any]], pick: Any) -> float | None:
    values = [v for t in trials if (v := pick(t)) is not None]
    return float(statistics.median(values)) if values else None


def _point(trial: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        trial.get("scenario"),
        trial.get("db"),
        trial.get("concurrency"),
        trial.get("rate"),
        trial.get("engine"),
    )


def _preference(point: tuple[Any, ...]) -> tuple[Any, ...]:
    scenario, db, concurrency, rate, _ = point
    rank = SCENARIO_PREFERENCE.index(scenario) if scenario in SCENARIO_PREFERENCE else 99
    db_rank = DB_PREFERENCE.index(db) if db in DB_PREFERENCE else 99
    return (rank, db_rank, rate is not None, -(concurrency or 0), -(rate or 0))


def summarise(trials: list[dict[str, Any]], kb: KnowledgeBase) -> dict[str, FrameworkEvidence]:
    """Per framework, medians at the most preferred point that all measured frameworks share."""
    ours: dict[str, list[dict[str, Any]]] = {}
    for name, framework in kb.frameworks.items():
        spec = CONTESTANTS.get(framework.contestant)
        server = spec.servers[0] if spec else None
        ours[name] = [
            t
            for t in trials
            if t.get("contestant") == framework.contestant
            and t.get("ok")
            and (server is None or t.get("server") == server)
            and t.get("rps")
        ]
    measured = {name: ts for name, ts in ours.items() if ts}
    if not measured:
        return {}
    shared = set.intersection(*({_point(t) for t in ts} for ts in measured.values()))
    if not shared:
        raise FramematrixError(
            "the run has no scenario, database and load that every framework was measured at"
        )
    point = min(shared, key=_preference)
    result = {}
    for name, ts in measured.items():
        at = [t for t in ts if _point(t) == point]
        workers = _median(at, lambda t: t.get("workers"))
        result[name] = FrameworkEvidence(
            framework=name,
            contestant=at[0]["contestant"],
            server=at[0].get("server") or "?",
            db=point[1],
            scenario=point[0],
            concurrency=point[2],
            rate=point[3],
            trials=len(at),
            workers=int(workers) if workers is not None else None,
            rps=_median(at, lambda t: t.get("rps")) or 0.0,
            p95_ms=_median(at, lambda t: (t.get("latency_ms") or {}).get("p95")),
            pss_mb=_median(at, lambda t: t.get("server_pss_mb")),
            pss_peak_mb=_median(at, lambda t: t.get("server_pss_peak_mb")),
            uss_per_worker_mb=_median(at, lambda t: t.get("uss_per_worker_mb")),
            cpu_s_per_1k=_median(at, lambda t: t.get("server_cpu_s_per_1k")),
        )
    return result


def load(run: str | Path, kb: KnowledgeBase) -> Evidence:
    path = resolve_run(run)
    try:
        meta = json.loads((path / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FramematrixError(f"unreadable {path / 'run.json'}: {exc}") from None
    frameworks = summarise(_load_trials(path), kb)
    if not frameworks:
        raise FramematrixError(f"run {path} has no successful trial of django, fastapi or flask")
    return Evidence(
        str(meta.get("run", path.name)),
        path,
        meta.get("created"),
        meta.get("environment") or {},
        frameworks,
    )


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
