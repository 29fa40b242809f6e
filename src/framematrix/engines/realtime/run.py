"""`run_iot`: start the load processes, sample the server's memory between the phases, and add
up what every process saw into one `IotResult`."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict
from typing import Any

from framematrix.engines import histogram as hist
from framematrix.engines.base import Progress
from framematrix.engines.load_processes import LoadProcesses, ticks
from framematrix.engines.realtime.ledger import Accounts
from framematrix.engines.realtime.plan import Connections, Delivery, IotPlan, IotResult
from framematrix.measure.process_tree import memory

MODULE = "framematrix.engines.realtime.load"
"""What the load processes run."""
START_DELAY_S = 0.1
SETTLE_S = 0.15
"""Between the last handshake and the memory sample: the server finishes what it allocates."""
FINISH_GRACE_S = 20.0


def run_iot(plan: IotPlan, on_progress: Progress | None = None) -> IotResult:
    """Measure `plan` against a running server; raises MeasurementError when it cannot.

    `on_progress(seconds since the start, deliveries so far)` is called about every quarter
    second while the readings flow.
    """
    token = secrets.token_hex(3)
    payloads = [(plan, index, token) for index in range(plan.processes)]
    setup_s = plan.connect_timeout_s * (2 + plan.devices / plan.connect_concurrency)
    with LoadProcesses(MODULE, payloads, "realtime") as children:
        subscribed = children.gather("subscribed", time.monotonic() + setup_s)
        pss_before = _pss(plan)
        children.tell(b"connect")
        connected = children.gather("connected", time.monotonic() + setup_s)
        pss_after = _pss(plan)
        start_at = time.monotonic() + START_DELAY_S
        children.tell(b"%r" % start_at)
        ticked = ticks(plan.processes, start_at, on_progress)
        window = start_at + plan.warmup_s + plan.duration_s + FINISH_GRACE_S
        sent = sum(int(n) for n in children.gather("sent", window, ticked))
        children.tell(b"expect %d" % sent)
        finish = time.monotonic() + plan.drain_s + FINISH_GRACE_S
        reports = [json.loads(text) for text in children.gather("done", finish, ticked, last=True)]
    return _result(plan, reports, subscribed, connected, pss_before, pss_after)


def _pss(plan: IotPlan) -> float | None:
    if plan.server_pid is None:
        return None
    time.sleep(SETTLE_S)
    sample = memory(plan.server_pid)
    return sample.pss_mb if sample else None


def _result(
    plan: IotPlan,
    reports: list[dict[str, Any]],
    subscribed: list[str],
    connected: list[str],
    pss_before: float | None,
    pss_after: float | None,
) -> IotResult:
    devices_sent: dict[str, list[Any]] = {}
    for report in reports:
        devices_sent.update(report["devices"])
    accounts = Accounts()
    for report in reports:
        for tracks, away in zip(report["tracks"], report["away_at_end"], strict=True):
            for device_id, (sent, broken) in devices_sent.items():
                broken_ranges = [(a, b) for a, b in broken]
                accounts.add(sent, broken_ranges, tracks.get(device_id), away)

    def total(key: str) -> int:
        return sum(int(report[key]) for report in reports)

    opened_devices = sum(int(n) for n in connected)
    opened_subscribers = sum(int(n) for n in subscribed)
    devices = Connections(
        opened=opened_devices,
        failed=plan.devices - opened_devices,
        reconnects=total("device_reconnects"),
        setup=hist.merge(r["device_setup"] for r in reports),
    )
    subscribers = Connections(
        opened=opened_subscribers,
        failed=plan.subscribers - opened_subscribers,
        reconnects=total("subscriber_reconnects"),
        setup=hist.merge(r["subscriber_setup"] for r in reports),
    )
    delivery = Delivery(**asdict(accounts))  # the accounts, added up, as the result keeps them
    errors = {
        "lost": delivery.lost,
        "duplicated": delivery.duplicated,
        "out-of-order": delivery.out_of_order,
        "error-reply": total("error_replies"),
        "connect": devices.failed + subscribers.failed,
    }
    result = IotResult(
        engine="realtime",
        requests=total("arrived_in_window") // plan.subscribers,
        duration_s=plan.duration_s,
        histogram=hist.merge(r["latency"] for r in reports),
        errors={kind: count for kind, count in errors.items() if count},
        engine_cpu_s=sum(float(r["cpu_s"]) for r in reports),
        cores=min(plan.processes, plan.cores),
        plan=plan,
        devices=devices,
        subscribers=subscribers,
        delivery=delivery,
        sent=sum(sent for sent, _ in devices_sent.values()),
        sent_in_window=total("sent_in_window"),
        delivered_in_window=total("delivered_in_window"),
        arrived_in_window=total("arrived_in_window"),
        late=total("late"),
        unsent=total("unsent"),
        error_replies=total("error_replies"),
        pss_before_mb=pss_before,
        pss_after_mb=pss_after,
    )
    return _warned(result)


def _warned(result: IotResult) -> IotResult:
    """The same result with warnings that say what to change."""
    from dataclasses import replace

    warnings = []
    d = result.delivery
    if result.devices.failed or result.subscribers.failed:
        warnings.append(
            f"{result.devices.failed} devices and {result.subscribers.failed} subscribers could "
            "not connect: the server refused or did not answer the handshake in time"
        )
    if d.lost:
        warnings.append(
            f"{d.lost} deliveries never arrived with every connection open (dropped, or still "
            f"queued when the drain ended: p99 latency was {result.latency_ms(99) / 1000:.1f} s)"
        )
    if d.duplicated or d.out_of_order:
        warnings.append(f"{d.duplicated} duplicated and {d.out_of_order} out-of-order deliveries")
    if result.unsent:
        warnings.append(
            f"{result.unsent} readings were due but never written: the server stopped reading "
            "(or devices had no connection); lower --devices or the rate"
        )
    if result.error_replies:
        warnings.append(f"the server answered {result.error_replies} valid readings with errors")
    if result.saturated:
        warnings.append("the realtime engine used all its cores: give it more (--cpus)")
    return replace(result, warnings=tuple(warnings))
