"""What an engine measured, turned into the stored trial: the same fields whatever the engine,
so summaries, reports and claims read every trial alike."""

from __future__ import annotations

from dataclasses import asdict

from hdrh.histogram import HdrHistogram

from framematrix.engines import histogram as hist
from framematrix.engines.base import EngineResult
from framematrix.engines.realtime import IotResult
from framematrix.measure.process_tree import MemoryStats
from framematrix.trials import PERCENTILES, TrialResult

SATURATION_ADVICE = (
    "the load engine was near saturation: give it more load cores (--cpus) and processes "
    "(--load-processes), or use --engine wrk"
)
REALTIME_SATURATION_ADVICE = SATURATION_ADVICE.replace(", or use --engine wrk", "")


def latency_ms(histogram: HdrHistogram) -> dict[str, float]:
    """The percentiles every trial reports, in milliseconds; empty without a response."""
    if not histogram.get_total_count():
        return {}
    at = histogram.get_percentile_to_value_dict(list(PERCENTILES.values()))
    found = {name: round(at[p] / 1000, 3) for name, p in PERCENTILES.items()}
    found["max"] = round(histogram.get_max_value() / 1000, 3)
    found["mean"] = round(hist.mean_us(histogram) / 1000, 3)
    return found


def _errors(result: TrialResult, errors: dict[str, int]) -> None:
    result.errors_by_kind = {kind: count for kind, count in errors.items() if count}
    result.errors = sum(result.errors_by_kind.values())
    if result.errors:
        kinds = ", ".join(f"{k} x{v}" for k, v in sorted(result.errors_by_kind.items()))
        result.warnings.append(f"{result.errors} errors ({kinds})")


def fill(result: TrialResult, measured: EngineResult) -> None:
    """An engine's result: what it counted in the window (responses; for the realtime engine,
    readings that reached a subscriber, per subscriber, so `rps` is the rate the server
    sustained), their latency, errors by kind; what only realtime has is in `realtime`."""
    result.requests = measured.requests
    result.duration_s = round(measured.duration_s, 3)
    result.rps = round(measured.rps, 2) if measured.duration_s else 0
    result.latency_ms = latency_ms(measured.histogram)
    result.histogram = measured.encoded_histogram
    result.engine_cpu_s = round(measured.engine_cpu_s, 3)
    result.engine_saturated = measured.saturated
    if measured.connections is not None:
        result.connections = asdict(measured.connections)
    advice = SATURATION_ADVICE
    if isinstance(measured, IotResult):
        result.realtime = realtime_figures(measured)
        advice = REALTIME_SATURATION_ADVICE
    result.warnings += measured.warnings  # after the runner's own: warnings accumulate
    if measured.saturated:
        result.warnings.append(advice)
    _errors(result, measured.errors)


def realtime_figures(measured: IotResult) -> dict[str, float | int | None]:
    """What only a realtime trial has: the load it offered, every delivery accounted for, its
    connections, and the server's memory per open connection."""
    delivery = measured.delivery
    setup = measured.devices.setup
    return {
        "devices": measured.plan.devices,
        "rate_per_device": measured.plan.rate_per_device,
        "subscribers": measured.plan.subscribers,
        "offered_per_s": measured.offered_per_s,
        "deliveries_per_s": round(measured.deliveries_per_s, 2),
        "sent": measured.sent,
        "delivered": delivery.delivered,
        "expected": delivery.expected,
        "lost_with_connection": delivery.lost_with_connection,
        "missed_resubscribing": delivery.missed_resubscribing,
        "devices_opened": measured.devices.opened,
        "devices_failed": measured.devices.failed,
        "reconnects": measured.devices.reconnects + measured.subscribers.reconnects,
        "setup_p50_ms": round(setup.get_value_at_percentile(50) / 1000, 3),
        "setup_p99_ms": round(setup.get_value_at_percentile(99) / 1000, 3),
        "late": measured.late,
        "unsent": measured.unsent,
        "pss_per_connection_kb": (
            round(kb, 2) if (kb := measured.pss_per_connection_kb) is not None else None
        ),
    }


def fill_memory(result: TrialResult, memory: MemoryStats | None) -> None:
    if memory is None:
        return
    result.server_pss_mb = round(memory.steady_pss_mb, 2)
    result.server_pss_peak_mb = round(memory.peak_pss_mb, 2)
    result.workers_pss_mb = round(memory.workers_pss_mb, 2)
    if memory.supervisor_pss_mb is not None:
        result.supervisor_pss_mb = round(memory.supervisor_pss_mb, 2)
    if memory.uss_per_worker_mb is not None:
        result.uss_per_worker_mb = round(memory.uss_per_worker_mb, 2)


def answered_none(measured: EngineResult) -> bool:
    """HTTP load that connected but got no answer in the window: the point may be slower than
    the window (every request still in flight), not broken."""
    if isinstance(measured, IotResult) or measured.requests:
        return False
    return not set(measured.errors) & {"connect", "connect-timeout", "protocol"}


def nothing_completed(measured: EngineResult, duration_s: float) -> str:
    """Why a trial without a single response (or reading delivered) failed, in one line."""
    if isinstance(measured, IotResult):
        if measured.delivery.delivered:  # all of them after the window: too far behind
            return (
                f"no reading arrived during the window, {measured.delivery.delivered:,} after it:"
                f" the server fell behind {measured.offered_per_s:,.0f} readings a second"
            )
        return "no reading reached a subscriber"
    kinds = ", ".join(f"{k} x{v}" for k, v in sorted(measured.errors.items()))
    refused = bool(measured.errors) and set(measured.errors) <= {"connect", "connect-timeout"}
    why = (
        "no connection could be opened"
        if refused
        else "the server accepted connections but answered none"
    )
    return f"no request completed in {duration_s:g} s: {why}" + (f" ({kinds})" if kinds else "")
