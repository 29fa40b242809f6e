"""Hand-made runs for the decision tests: one where the measurements contradict the article."""

from __future__ import annotations

from typing import Any

from .helpers import trial

# Flask measured fastest, quickest, leanest and cheapest; FastAPI slowest: the article reversed.
CONTRADICTING = {
    "django": (900.0, 80.0, 150.0, 1.2),
    "fastapi": (800.0, 90.0, 200.0, 1.5),
    "flask": (3000.0, 20.0, 80.0, 0.3),
}


def contradicting_trials(scenario: str = "crud", figures: Any = None) -> list[dict[str, Any]]:
    """Three trials per framework within 5% of the figures (rps, p95 ms, PSS MB, CPU s/1k)."""
    trials = []
    for name, (rps, p95, pss, cpu) in (figures or CONTRADICTING).items():
        for i, scale in enumerate((0.95, 1.0, 1.05)):
            latency = {"p50": p95 / 3, "p90": p95 * 0.8, "p95": p95 * scale, "p99": p95 * 2,
                       "p999": p95 * 3, "max": p95 * 4}  # fmt: skip
            trials.append(trial(name, i, scenario=scenario, rps=rps * scale, latency_ms=latency,
                                server_pss_mb=pss * scale, uss_per_worker_mb=pss / 3,
                                server_cpu_s_per_1k=cpu * scale, concurrency=64))  # fmt: skip
    return trials
