"""Hand-made run folders: trials written as the runner writes them, with figures chosen by the
test, so reports and claims can be checked without sending any load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from framematrix.engines import histogram as hist
from framematrix.results.store import Run
from framematrix.servers import default_server
from framematrix.trials import PERCENTILES, LoadPoint, TrialPoint, TrialResult, TrialSpec

ENVIRONMENT = {
    "cpu_model": "Test CPU", "cores": 2, "cores_usable": 2, "memory_gb": 4.0,
    "server_cpus": [0], "load_cpus": [1], "os": "Linux", "python": "3.11.7",
    "python_implementation": "CPython", "database": "SQLite 3.45.0",
    "packages": {"django": "5.1", "fastapi": "0.115"}, "load_average": [0.1, 0.1, 0.1],
}  # fmt: skip
PLAN = {"engine": "builtin", "duration_s": 2.0, "warmup_s": 0.5, "trials": 3, "workers": 0,
        "db_url": "sqlite:///blog.db", "connection_per_request": False}  # fmt: skip


def trial(
    contestant: str,
    rps: float,
    *,
    p95: float = 20.0,
    pss: float | None = 100.0,
    cpu: float | None = 0.5,
    scenario: str = "crud",
    concurrency: int | None = 64,
    index: int = 0,
    errors: int = 0,
    ok: bool = True,
    engine: str = "builtin",
    duration: float = 2.0,
    server: str | None = None,
    db: str = "sqlite",
) -> TrialResult:
    """A finished trial whose latency histogram reads back `p95` at the 95th percentile."""
    histogram = hist.new()
    hist.record(histogram, p95 * 600, 90)
    hist.record(histogram, p95 * 1000, 9)
    hist.record(histogram, p95 * 2500, 1)
    latency = {name: round(histogram.get_value_at_percentile(p) / 1000, 3)
               for name, p in PERCENTILES.items()}  # fmt: skip
    latency["max"] = round(histogram.get_max_value() / 1000, 3)
    at = LoadPoint(scenario, db, engine, concurrency, None)
    return TrialResult(
        spec=TrialSpec(TrialPoint(contestant, server or default_server(contestant), at), index),
        ok=ok,
        reason=None if ok else "the server crashed",
        workers=1,
        requests=round(rps * duration) if ok else 0,
        duration_s=duration,
        rps=rps if ok else 0.0,
        latency_ms=latency if ok else {},
        histogram=hist.encode(histogram) if ok else None,
        errors=errors,
        errors_by_kind={"status:500": errors} if errors else {},
        server_pss_mb=pss if ok else None,
        workers_pss_mb=pss if ok else None,
        server_cpu_s_per_1k=cpu if ok else None,
    )


def trials(contestant: str, rps: Iterable[float], **figures: Any) -> list[TrialResult]:
    """One trial per req/s figure given, numbered in order, the other figures alike."""
    return [trial(contestant, value, index=i, **figures) for i, value in enumerate(rps)]


def as_copy(found: list[TrialResult]) -> list[TrialResult]:
    """The same trials as the A/A control's copy: from a second server of their contestant."""
    for result in found:
        point = result.spec.point
        result.spec = replace(result.spec, point=replace(point, replica=1))
    return found


def make_run(root: Path, results: Iterable[TrialResult], **plan: Any) -> Run:
    run = Run.create(root, {"created": "2025-01-01T00:00:00+00:00", "plan": {**PLAN, **plan},
                            "environment": ENVIRONMENT})  # fmt: skip
    for result in results:
        run.save(result)
    run.update_meta(finished="2025-01-01T00:03:00+00:00")
    return run


def article_like(scenario: str = "crud", concurrency: int = 64) -> list[TrialResult]:
    """Five contestants, three trials (rounds) each, in the article's proportions (FastAPI 3.8x
    Django)."""
    figures = {
        "django": ((740, 750, 745), 178, 243), "flask": ((890, 895, 892), 142, 156),
        "fastapi": ((2840, 2850, 2845), 45, 127), "raw-wsgi": ((1500, 1520, 1510), 30, 60),
        "raw-asgi": ((4000, 4100, 4050), 20, 50),
    }  # fmt: skip
    return [
        t
        for name, (rps, p95, pss) in figures.items()
        for t in trials(name, rps, p95=p95, pss=pss, scenario=scenario, concurrency=concurrency)
    ]


CROSSING = "fastapi overtakes flask between calls=0 and 1"


def crossing_calls() -> list[TrialResult]:
    """What `bench --workload calls=0..1` stores, in three rounds: Flask ahead without calls,
    FastAPI ahead with one (its call gathered on the event loop): `CROSSING`."""
    figures = {
        ("fastapi", "work-0"): (900, 910, 905),
        ("flask", "work-0"): (1200, 1190, 1210),
        ("fastapi", "work-c1"): (800, 790, 805),
        ("flask", "work-c1"): (300, 305, 298),
    }
    return [t for (name, scenario), rps in figures.items()
            for t in trials(name, rps, scenario=scenario)]  # fmt: skip
