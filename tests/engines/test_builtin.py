"""The builtin engine's HTTP handling and bookkeeping, against real servers."""

from __future__ import annotations

import json
import os
import socket
import threading
from dataclasses import replace
from pathlib import Path
from time import monotonic

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine, load_processes
from framematrix.engines.base import LoadPlan, OpenConnections
from framematrix.engines.builtin.flows import Flow, compile_steps
from framematrix.engines.load_processes import LoadProcesses
from framematrix.scenarios import Scenario, Step
from framematrix.servers import free_port

HEALTH = scenarios.get("health")


def run(url: str, scenario: Scenario = HEALTH, **load: object):  # type: ignore[no-untyped-def]
    load.setdefault("concurrency", 4)
    load.setdefault("duration_s", 1)
    load.setdefault("timeout_s", 5)
    plan = LoadPlan(base_url=url, scenario=scenario, **load)  # type: ignore[arg-type]
    return get_engine("builtin").run(plan)


@pytest.mark.parametrize("option", ["close", "chunked"])
def test_reconnects_on_connection_close_and_reads_chunked_bodies(option, delay_server) -> None:
    result = run(delay_server(latency_ms=2, **{option: True}))
    assert result.errors == {}
    assert result.requests > 100  # 4 connections at 2 ms could answer 2,000


def test_processes_share_the_load_and_merge_their_histograms(delay_server) -> None:
    ticks: list[tuple[float, int]] = []
    latency_s, connections, duration_s = 0.010, 8, 1.5
    plan = LoadPlan(
        base_url=delay_server(latency_ms=latency_s * 1000), scenario=HEALTH,
        concurrency=connections, duration_s=duration_s, warmup_s=0.3, processes=2,
    )  # fmt: skip
    result = get_engine("builtin").run(plan, on_progress=lambda *tick: ticks.append(tick))
    assert result.errors == {}
    assert result.histogram.get_total_count() == result.requests
    # each connection answers at most once per 10 ms (one more may straddle the window's edge)
    physical = connections * (duration_s / latency_s + 1) / duration_s
    assert physical / 4 <= result.rps <= physical  # a quarter of it even on a busy machine
    assert result.latency_ms(0) >= latency_s * 1000  # the server never answers early
    assert result.cores == min(2, plan.cores)
    # connected during the warm-up, never closed: each process's gauge read 4 throughout
    assert result.connections == OpenConnections(asked=8, mean=8.0, low=8, peak=8)
    counts = [count for _, count in ticks]
    assert counts and counts == sorted(counts)


def test_warm_up_runs_on_the_connections_it_then_measures(delay_server, tmp_path) -> None:
    """A keep-alive server accepts every connection during the warm-up, none after it."""
    accepts = tmp_path / "accepts"
    url = delay_server(latency_ms=5, accept_log=accepts)
    measuring: list[tuple[float, int]] = []
    plan = LoadPlan(base_url=url, scenario=HEALTH, concurrency=8, warmup_s=1, duration_s=1)
    result = get_engine("builtin").run(
        plan, on_measuring=lambda: measuring.append((monotonic(), threading.get_ident()))
    )
    accepted = [float(line) for line in accepts.read_text().split()]
    assert result.errors == {} and result.requests > 0
    assert len(measuring) == 1 and measuring[0][1] == threading.get_ident()
    assert len(accepted) == 8  # no connection was opened twice
    assert max(accepted) < measuring[0][0]  # and none in the measured window
    assert result.connections == OpenConnections(asked=8, mean=8.0, low=8, peak=8)


def test_on_measuring_is_called_without_warm_up_too(delay_server) -> None:
    called: list[float] = []
    plan = LoadPlan(base_url=delay_server(latency_ms=2), scenario=HEALTH, concurrency=2)
    started = monotonic()
    get_engine("builtin").run(
        replace(plan, duration_s=0.5), on_measuring=lambda: called.append(monotonic())
    )
    assert len(called) == 1 and started <= called[0] <= monotonic()


def test_a_load_process_that_ends_first_is_not_taken_for_dead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real child processes speaking the pipe protocol: one reports and exits at once, the
    other reports half a second later; the first one's end of output is no death."""
    tests = str(Path(__file__).parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([tests, os.environ.get("PYTHONPATH", "")]))
    with LoadProcesses("support.early_child", [0.0, 0.5], "test") as children:
        children.gather("ready", monotonic() + 30)
        children.tell(b"go")
        done = children.gather("done", monotonic() + 30, last=True)
    assert [json.loads(payload)["requests"] for payload in done] == [1, 1]


def test_a_trial_takes_the_load_processes_started_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child started ahead waits for its payload, so the next trial hands it one instead of
    starting an interpreter; a spare that died meanwhile is passed over, and spares left when
    the run ends are stopped."""
    tests = str(Path(__file__).parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([tests, os.environ.get("PYTHONPATH", "")]))
    load_processes.prestart("support.early_child", 2)
    spares = list(load_processes._SPARES["support.early_child"])
    spares[0].kill()
    spares[0].wait()
    with LoadProcesses("support.early_child", [0.0, 0.0], "test") as children:
        taken = [child.pid for child in children.children]
        children.gather("ready", monotonic() + 30)
        children.tell(b"go")
        done = children.gather("done", monotonic() + 30, last=True)
    assert len(done) == 2
    assert spares[1].pid in taken and spares[0].pid not in taken  # one spare used, one new
    load_processes.prestart("support.early_child", 1)
    (left,) = load_processes._SPARES["support.early_child"]
    load_processes.discard_spares()
    assert left.poll() is not None and not load_processes._SPARES


def test_unexpected_statuses_timeouts_and_refused_connections_are_errors(delay_server) -> None:
    expects_201 = Scenario("x", "", (Step("GET", "/health", expect=201),), writes=False)
    result = run(delay_server(latency_ms=2), expects_201)
    assert result.errors == {"status:200": result.requests}

    slow = run(delay_server(latency_ms=3000), concurrency=2, duration_s=2, timeout_s=0.5)
    assert slow.requests == 0 and slow.errors["timeout"] >= 2

    refused = run(f"http://127.0.0.1:{free_port()}", concurrency=1)
    assert refused.requests == 0 and refused.errors["connect"] > 1


def test_bytes_beyond_a_response_are_protocol_errors_not_responses(delay_server) -> None:
    result = run(delay_server(latency_ms=2, trailing_crlf=True), duration_s=0.5)
    assert result.requests == 0
    assert set(result.errors) == {"protocol"} and result.errors["protocol"] > 4


def test_a_connect_that_hangs_times_out_and_the_shortfall_is_reported() -> None:
    """A listening socket that never accepts: its backlog (0: one connection) fills at once,
    and the kernel drops every later SYN, so those connects hang until `timeout_s`."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        result = run(f"http://127.0.0.1:{port}", concurrency=6, duration_s=2, timeout_s=0.5)
    assert result.requests == 0
    # 5 slots hang from the start; each times out every 0.5 s, so 2 s see at least 5 x 3
    assert result.errors["connect-timeout"] >= 15
    assert result.connections is not None and result.connections.asked == 6
    assert result.connections.mean <= 1 and result.connections.low <= 1
    assert any(w.startswith("only 0 of the 6 connections asked") for w in result.warnings)


def test_the_same_seed_sends_the_same_requests() -> None:
    plan = LoadPlan(base_url="http://127.0.0.1:1", scenario=scenarios.get("read-one"), rate=1)

    def requests(seed: int) -> list[bytes]:
        seeded = replace(plan, seed=seed)
        flow = Flow(compile_steps(seeded), seeded, 3, "r")
        return [flow.request() for _ in range(20)]

    assert requests(1) == requests(1) != requests(2)


def test_a_crud_flow_walks_its_own_author() -> None:
    plan = LoadPlan(base_url="http://127.0.0.1:9/api", scenario=scenarios.get("crud"), rate=1)
    flow = Flow(compile_steps(plan), plan, user=5, run="tok")
    create = flow.request()
    assert create.startswith(b"POST /api/authors HTTP/1.1\r\n")
    assert b'"email": "u5.1.tok@bench.example"' in create
    flow.advance(201, b'{"id": 42, "name": "x"}')
    assert flow.request().startswith(b"GET /api/authors/42 ")
    flow.advance(200, b"{}")
    assert flow.request().startswith(b"PUT /api/authors/42 ")
    flow.advance(200, b"{}")
    assert flow.request().startswith(b"DELETE /api/authors/42 ")
    flow.advance(204, b"")
    assert b"u5.2.tok@" in flow.request()  # the next iteration: a new email
