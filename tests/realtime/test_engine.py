"""The realtime engine measures what it claims: every reading accounted for against a correct
server, and exactly the faults a careless server makes."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from framematrix import scenarios
from framematrix.engines import choose_engine, get_engine
from framematrix.engines import histogram as hist
from framematrix.engines.base import LoadPlan
from framematrix.engines.realtime import IotPlan, RealtimeOptions, run_iot
from framematrix.errors import FramematrixError
from framematrix.servers import free_port
from support.careless_ws import fate

TESTS = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def careless_server() -> Iterator[tuple[str, int]]:
    """support.careless_ws under uvicorn, one worker: (base URL, pid)."""
    port = free_port()
    app = ["support.careless_ws:app", "--app-dir", str(TESTS), "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", *app, "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        import time
        import urllib.request

        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/health", timeout=1).close()
                break
            time.sleep(0.1)
        yield url, process.pid
    finally:
        process.kill()  # it never notices its subscribers leave, so it would not stop on TERM
        process.wait(10)


def test_a_plan_refuses_nonsense() -> None:
    for bad in (dict(devices=0), dict(rate_per_device=0), dict(base_url="ws://x:1")):
        options = dict(base_url="http://127.0.0.1:1", devices=1, rate_per_device=1, subscribers=1)
        with pytest.raises(FramematrixError):
            IotPlan(**{**options, **bad})  # type: ignore[arg-type]


def test_the_realtime_engine_is_an_engine_like_the_others() -> None:
    """Behind the same seam, made with its own options; the trial's concurrency is its devices."""
    engine = get_engine("realtime", RealtimeOptions(device_rate=5, subscribers=3))
    iot = LoadPlan(base_url="http://127.0.0.1:1", scenario=scenarios.get("iot"), concurrency=20,
                   duration_s=2, warmup_s=0.5, cpus=(1,), processes=2, server_pid=7)  # fmt: skip
    engine.check(iot)
    assert engine.iot_plan(iot) == IotPlan(  # type: ignore[attr-defined]
        base_url="http://127.0.0.1:1", devices=20, rate_per_device=5, subscribers=3,
        duration_s=2, warmup_s=0.5, cpus=(1,), processes=2, server_pid=7,
    )  # fmt: skip
    for http in (dict(scenario=scenarios.get("health"), concurrency=4),
                 dict(scenario=scenarios.get("iot"), rate=10.0)):  # fmt: skip
        with pytest.raises(FramematrixError, match="WebSocket scenarios"):
            engine.check(LoadPlan(base_url="http://127.0.0.1:1", **http))  # type: ignore[arg-type]
    with pytest.raises(FramematrixError, match="unknown engine 'realtime'; known: builtin, wrk"):
        choose_engine("realtime")  # not an --engine: it drives the iot points whatever that says


@pytest.mark.slow
def test_every_reading_is_accounted_for(sqlite_db, serve_realtime) -> None:  # type: ignore[no-untyped-def]
    server = serve_realtime("raw-asgi", sqlite_db, workers=2)
    plan = IotPlan(base_url=server.config.url, devices=20, rate_per_device=5, subscribers=3,
                   duration_s=2, warmup_s=0.5, server_pid=server.pid)  # fmt: skip
    result = run_iot(plan)
    d = result.delivery
    assert result.devices.opened == 20 and result.subscribers.opened == 3
    assert result.sent >= 20 * 5 * 2  # warm-up included
    assert d.expected == result.sent * 3
    assert d.delivered == d.expected
    assert (d.lost, d.duplicated, d.out_of_order, d.lost_with_connection) == (0, 0, 0, 0)
    assert result.delivered_in_window == result.sent_in_window * 3
    assert result.histogram.get_total_count() == result.delivered_in_window
    assert 0 < result.arrived_in_window <= d.delivered
    assert result.devices.setup.get_total_count() == 20
    assert result.subscribers.setup.get_total_count() == 3
    assert result.pss_after_mb is not None and result.pss_before_mb is not None
    assert result.unsent == 0 and result.error_replies == 0
    assert not result.warnings
    # the histogram survives the store's encoding
    assert hist.decode(result.encoded_histogram).get_total_count() == result.delivered_in_window


@pytest.mark.slow
def test_the_engine_counts_a_careless_servers_faults() -> None:
    with careless_server() as (url, pid):
        plan = IotPlan(base_url=url, devices=4, rate_per_device=20, subscribers=2,
                       duration_s=1.5, warmup_s=0.2, server_pid=pid)  # fmt: skip
        result = run_iot(plan)
    sent = result.sent // 4
    assert result.sent == 4 * sent, "every device sends on the same schedule"
    fates = [fate(seq) for seq in range(sent)]
    lost = fates.count("drop") + (fates[-1] == "hold")
    d = result.delivery
    assert d.lost == lost * 4 * 2
    assert d.duplicated == fates.count("dup") * 4 * 2
    assert d.out_of_order == (fates[:-1].count("hold")) * 4 * 2
    assert d.delivered == d.expected - d.lost
    assert any("never arrived" in w for w in result.warnings)
