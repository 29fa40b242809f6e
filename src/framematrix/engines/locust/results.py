"""The master's results file of one locust trial, read back as the common `EngineResult`:
Locust's response-time buckets as one HdrHistogram, each worker as a load source, and the
warnings every locust result carries (its precision, saturation, open-loop pacing)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hdrh.histogram import HdrHistogram

from framematrix.engines import histogram as hist
from framematrix.engines.base import SATURATED, EngineResult, LoadPlan, LoadSource
from framematrix.engines.locust.options import Layout
from framematrix.errors import MeasurementError

PRECISION = (
    "locust keeps latencies to the nearest millisecond below 100 ms and to two significant "
    "digits above (10 ms steps to 1 s, 100 ms steps to 10 s): its percentiles are good to "
    "+-0.5 ms below 100 ms and +-5 % above; min and max are exact"
)


def engine_result(data: dict[str, Any], plan: LoadPlan, layout: Layout) -> EngineResult:
    """The master's results file as the common result; MeasurementError for a void trial."""
    if "failed" in data:
        raise MeasurementError(data["failed"])
    if data["missing"]:
        raise MeasurementError(
            f"locust {', '.join(data['missing'])} sent no results for the measured window (it "
            "died or lost the master): the trial is void"
        )
    workers = sorted(data["workers"], key=lambda worker: int(worker["index"]))
    users = sum(int(worker["users"]) for worker in workers)
    if users != layout.users:
        raise MeasurementError(
            f"locust ran {users} of the {layout.users} users asked in the measured window: a "
            "worker lost its users (see the workers' output)"
        )
    window_s = float(data["window_s"])
    errors: Counter[str] = Counter()
    sources = []
    for worker in workers:
        errors.update({kind: int(n) for kind, n in worker["errors"].items()})
        share = float(worker["cpu_s"]) / float(worker["window_s"] or 1)
        sources.append(
            LoadSource(
                name=f"worker {worker['index']} ({worker['host']}, pid {worker['pid']})",
                requests=int(worker["responses"]),
                cpu_s=round(float(worker["cpu_s"]), 3),
                saturated=share > SATURATED or bool(worker["locust_cpu_warning"]),
            )
        )
    requests = sum(source.requests for source in sources)
    warnings = [PRECISION, *_saturation(sources, window_s)]
    if plan.rate is not None:
        warnings += _open_loop(plan, layout, requests + _unanswered(errors), window_s)
    return EngineResult(
        engine="locust",
        requests=requests,
        duration_s=window_s,
        histogram=histogram_of(workers),
        errors=dict(errors),
        engine_cpu_s=sum(source.cpu_s for source in sources) + float(data["master_cpu_s"]),
        cores=max(1, min(layout.local, plan.cores) + layout.remote),
        warnings=tuple(warnings),
        sources=tuple(sources),
    )


def histogram_of(workers: list[dict[str, Any]]) -> HdrHistogram:
    """Locust's buckets (rounded ms -> count) of every worker as one HdrHistogram (µs), the
    fastest and slowest response at their exact values (Locust keeps those unrounded)."""
    counts: Counter[int] = Counter()
    for worker in workers:
        counts.update({int(ms): int(n) for ms, n in worker["response_times"].items()})
    histogram = hist.new()
    answered = [worker for worker in workers if worker["responses"]]
    if not counts or not answered:
        return histogram
    # rounding is monotonic: the fastest response is in the lowest bucket, the slowest in the top
    total, lowest, highest = sum(counts.values()), min(counts), max(counts)
    counts[lowest] -= 1
    hist.record(histogram, min(float(w["min_ms"]) for w in answered) * 1000)
    if total > 1:
        counts[highest] -= 1
        hist.record(histogram, max(float(w["max_ms"]) for w in answered) * 1000)
    for ms, n in counts.items():
        if n > 0:
            hist.record(histogram, ms * 1000, n)
    return histogram


def _unanswered(errors: Counter[str]) -> int:
    return sum(n for kind, n in errors.items() if not kind.startswith("status:"))


def _saturation(sources: list[LoadSource], window_s: float) -> list[str]:
    return [
        f"locust {source.name} used {source.cpu_s / (window_s or 1):.0%} of its core in the "
        "measured window (Locust warns above 90 %): Locust itself may have throttled the load; "
        "add workers (--locust-workers, or machines with --locust-remote-workers)"
        for source in sources
        if source.saturated
    ]


def _open_loop(plan: LoadPlan, layout: Layout, sent: int, window_s: float) -> list[str]:
    assert plan.rate is not None
    pace = plan.rate / layout.users
    notes = [
        f"open loop by Locust's constant_throughput: {layout.users} users each paced at "
        f"{pace:.3g} req/s; a user whose response takes longer than {1 / pace:.3g} s falls "
        "behind and does not catch up, and latency is timed from the actual send, not the "
        "intended one (coordinated omission is not corrected: --engine builtin corrects it)"
    ]
    if window_s and sent / window_s < 0.95 * plan.rate:
        notes.append(
            f"locust sent {sent / window_s:,.0f} req/s of the {plan.rate:g} asked: its users "
            "fell behind their pace"
        )
    return notes
