"""The builtin engine's HTTP handling and bookkeeping, against real servers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.builtin.flows import Flow, compile_steps
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
    assert result.requests > 100


def test_processes_share_the_load_and_merge_their_histograms(delay_server) -> None:
    ticks: list[tuple[float, int]] = []
    plan = LoadPlan(
        base_url=delay_server(latency_ms=10), scenario=HEALTH, concurrency=8, duration_s=1.5,
        processes=2,
    )  # fmt: skip
    result = get_engine("builtin").run(plan, on_progress=lambda *tick: ticks.append(tick))
    assert result.histogram.get_total_count() == result.requests
    assert result.rps == pytest.approx(800, rel=0.15)
    assert result.cores == min(2, plan.cores)
    counts = [count for _, count in ticks]
    assert counts == sorted(counts) and counts[-1] >= result.requests * 0.6


def test_unexpected_statuses_timeouts_and_refused_connections_are_errors(delay_server) -> None:
    expects_201 = Scenario("x", "", (Step("GET", "/health", expect=201),), writes=False)
    result = run(delay_server(latency_ms=2), expects_201)
    assert result.errors == {"status:200": result.requests}

    slow = run(delay_server(latency_ms=3000), concurrency=2, duration_s=2, timeout_s=0.5)
    assert slow.requests == 0 and slow.errors["timeout"] >= 2

    refused = run(f"http://127.0.0.1:{free_port()}", concurrency=1)
    assert refused.requests == 0 and refused.errors["connect"] > 1


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
