"""Two runs side by side (before and after an upgrade, two machines, two database settings):
the same points, run B against run A.

Points match by their identity (`TrialPoint`: contestant, server, tuning, version set, and the
load point: scenario, db, engine, concurrency, rate). `ignore` leaves fields out of the match
(`db` for one run on SQLite and the other on PostgreSQL; `version_set` for one run in Django 4.2
and the other in 5.2; also `engine`, `server`, `tuning`), provided each run's points stay apart
without them; a matched point's identity then says null for them.

Per point: B's req/s over A's (`summary.ratio`: the median ratio and the range the two sets of
trials allow), said as hyperfine does ("1.23x faster (1.10…1.35)"), and B's p95 over A's.

The rule of `--fail-if-slower PCT`: a point fails when even the best case its trials allow is
more than PCT% slower, that is when the top of its req/s ratio's range is below 1 - PCT/100; and
when B has no successful trial where A had one. Noise alone (a range reaching past the limit)
never fails; a point measured once per run has no range, so its median decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from framematrix.errors import FramematrixError
from framematrix.results.formatting import relative
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import Run
from framematrix.results.summary import PointSummary, Spread, ratio
from framematrix.trials import TrialPoint

FORMAT = "framematrix-compare/1"
IGNORABLE = ("db", "engine", "server", "tuning", "version_set")
MEASURING_KEYS = ("engine", "duration_s", "warmup_s", "trials", "workers", "threads")
"""The plan's settings every figure of a run rests on (the report lists them too)."""
PLAN_KEYS = (
    *MEASURING_KEYS,
    "tunings",
    "connection_per_request",
    "server_cpus",
    "load_cpus",
)
"""The plan's settings a ratio may reflect (the database: the environment's `database`)."""
ENVIRONMENT_KEYS = ("cpu_model", "cores", "cores_usable", "memory_gb", "os", "python", "database")


def match_key(point: TrialPoint, ignore: Iterable[str]) -> TrialPoint:
    """The point's identity without the ignored fields: what two runs' points match on."""
    left = set(ignore)
    at = replace(point.at, db=None) if "db" in left else point.at
    at = replace(at, engine="*") if "engine" in left else at
    return replace(
        point,
        at=at,
        server=None if "server" in left else point.server,
        tuning="*" if "tuning" in left else point.tuning,
        version_set="*" if "version_set" in left else point.version_set,
    )


def identity(point: TrialPoint, ignore: Iterable[str] = ()) -> dict[str, Any]:
    """The point's flat identity (`TrialPoint.record`), an ignored field null."""
    left = set(ignore)
    return {name: None if name in left else value for name, value in point.record().items()}


def _side(s: PointSummary) -> dict[str, Any]:
    return {
        **identity(s.point),
        "trials": s.trials,
        "failed": s.failed,
        "errors": s.errors,
        "rps": asdict(s.rps) if s.rps else None,
        "p95_ms": asdict(s.p95_ms) if s.p95_ms else None,
    }


@dataclass(frozen=True)
class PointComparison:
    key: TrialPoint
    a: PointSummary
    b: PointSummary

    @property
    def rps(self) -> Spread | None:
        """B's req/s over A's."""
        return ratio(self.b.rps, self.a.rps) if self.a.rps and self.b.rps else None

    @property
    def p95(self) -> Spread | None:
        """B's p95 over A's (below 1: B answers faster)."""
        return ratio(self.b.p95_ms, self.a.p95_ms) if self.a.p95_ms and self.b.p95_ms else None

    @property
    def verdict(self) -> str:
        """`faster`, `slower` or `same` (the median ratio rounds to 1.00), by req/s."""
        found = self.rps
        if found is None:
            return "unknown"
        if round(found.median, 2) == 1:
            return "same"
        return "faster" if found.median > 1 else "slower"

    def says(self) -> str:
        """`1.23x faster (1.10…1.35)`; or what is missing."""
        if self.rps is not None:
            return relative(self.rps)
        return "failed in " + (
            "A and B" if not (self.a.rps or self.b.rps) else "A" if not self.a.rps else "B"
        )

    def slower_than(self, pct: float) -> bool:
        """The module's rule for `--fail-if-slower PCT`."""
        found = self.rps
        if found is None:
            return self.a.rps is not None and self.b.rps is None
        best = found.high if found.n >= 2 else found.median
        return best < 1 - pct / 100

    def record(self, pct: float | None, ignore: Iterable[str] = ()) -> dict[str, Any]:
        rps, p95 = self.rps, self.p95
        return {
            **identity(self.key, ignore),
            "a": _side(self.a),
            "b": _side(self.b),
            "rps_ratio": asdict(rps) if rps else None,
            "p95_ratio": asdict(p95) if p95 else None,
            "verdict": self.verdict,
            "says": self.says(),
            "slower_than_limit": None if pct is None else self.slower_than(pct),
        }


@dataclass(frozen=True)
class Change:
    """A setting the two runs differ in, which a ratio between them may reflect."""

    what: str
    a: Any
    b: Any


@dataclass(frozen=True)
class Comparison:
    a: Run
    b: Run
    ignore: tuple[str, ...]
    points: list[PointComparison]
    only_a: list[PointSummary]
    only_b: list[PointSummary]
    changes: list[Change]

    def failing(self, pct: float) -> list[PointComparison]:
        return [p for p in self.points if p.slower_than(pct)]

    def record(self, pct: float | None = None) -> dict[str, Any]:
        """The `compare --json` document (README, "Output for programs")."""

        def run(found: Run) -> dict[str, Any]:
            return {
                "run": found.id,
                "path": str(found.path),
                "created": found.meta().get("created"),
            }

        return {
            "format": FORMAT,
            "a": run(self.a),
            "b": run(self.b),
            "ignore": list(self.ignore),
            "fail_if_slower_pct": pct,
            "changes": [asdict(change) for change in self.changes],
            "points": [p.record(pct, self.ignore) for p in self.points],
            "only_in_a": [identity(s.point) for s in self.only_a],
            "only_in_b": [identity(s.point) for s in self.only_b],
            "slower": [identity(p.key, self.ignore) for p in self.failing(pct)]
            if pct is not None
            else [],
        }


def _keyed(
    run_id: str, summary: RunSummary, ignore: tuple[str, ...]
) -> dict[TrialPoint, PointSummary]:
    keyed: dict[TrialPoint, PointSummary] = {}
    for s in summary.points:
        key = match_key(s.point, ignore)
        if key in keyed:
            raise FramematrixError(
                f"run {run_id} has points that differ only in {', '.join(ignore)} "
                f"({s.point.who} at {s.point.at.describe()}): they cannot be ignored"
            )
        keyed[key] = s
    return keyed


def _flat(data: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    found = {key: data.get(key) for key in keys}
    for name, version in (data.get("packages") or {}).items():
        found[f"packages.{name}"] = version
    return found


def changes(a: Run, b: Run) -> list[Change]:
    """What differs between the runs' environments and plans: what the ratios may reflect."""
    meta_a, meta_b = a.meta(), b.meta()
    env_a = _flat(meta_a.get("environment") or {}, ENVIRONMENT_KEYS)
    env_b = _flat(meta_b.get("environment") or {}, ENVIRONMENT_KEYS)
    plan_a, plan_b = meta_a.get("plan") or {}, meta_b.get("plan") or {}
    found = [
        Change(k, env_a.get(k), env_b.get(k))
        for k in dict.fromkeys([*env_a, *env_b])
        if env_a.get(k) != env_b.get(k)
    ]
    found += [
        Change(f"plan.{k}", plan_a.get(k), plan_b.get(k))
        for k in PLAN_KEYS
        if plan_a.get(k) != plan_b.get(k)
    ]
    return found


def compare(a: Run, b: Run, ignore: Iterable[str] = ()) -> Comparison:
    """B against A, point by point; one clear error for an unknown field or no point in common."""
    left = tuple(dict.fromkeys(ignore))
    unknown = [name for name in left if name not in IGNORABLE]
    if unknown:
        raise FramematrixError(
            f"cannot ignore {', '.join(unknown)}: choose from {', '.join(IGNORABLE)}"
        )
    points_a = _keyed(a.id, RunSummary.read(a), left)
    points_b = _keyed(b.id, RunSummary.read(b), left)
    shared = [key for key in points_a if key in points_b]
    if not shared:
        databases = {k.at.db for k in points_a} != {k.at.db for k in points_b}
        hint = " (they ran on different databases: try --ignore db)" if databases else ""
        raise FramematrixError(f"runs {a.id} and {b.id} have no point in common{hint}")
    return Comparison(
        a,
        b,
        left,
        points=[PointComparison(key, points_a[key], points_b[key]) for key in shared],
        only_a=[s for key, s in points_a.items() if key not in points_b],
        only_b=[s for key, s in points_b.items() if key not in points_a],
        changes=changes(a, b),
    )
