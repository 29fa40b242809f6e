"""Every engine runs the scenarios it supports against a real contestant, without errors.

Engines count statuses only: a query string in the path (`image`) and a binary JPEG body are
like any other request and response. The `upstream` scenario gets an upstream to wait on.
"""

from __future__ import annotations

import shutil

import pytest

from framematrix import scenarios
from framematrix.db.seed import SeedSize
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan

SEEDED = SeedSize(authors=50, posts=200)
"""What the `sqlite_db` fixture of tests/conftest.py seeds."""

CASES = [("builtin", name) for name, s in scenarios.SCENARIOS.items() if s.over_http] + [
    ("wrk", "crud"),
    ("wrk", "write"),
    ("wrk", "read-one"),
    ("wrk", "upstream"),
    ("wrk", "image"),
    ("ab", "list-posts"),
    ("ab", "image"),
]
MIN_REQUESTS = {"database": 50, "services": 20, "compute": 1}
"""In one second at concurrency 4: an image costs tens of milliseconds of CPU (a busy machine
finished only 2 to 4 of them), a profile waits 5 ms on the upstream; anything much slower means
the requests failed or stalled."""


@pytest.mark.parametrize(("engine", "scenario"), CASES)
def test_scenario_runs_cleanly_against_raw_asgi(  # type: ignore[no-untyped-def]
    engine, scenario, serve, sqlite_db, upstream
) -> None:
    if shutil.which(engine) is None and engine != "builtin":
        pytest.skip(f"{engine} is not on PATH")
    chosen = scenarios.get(scenario)
    env = upstream.env() if chosen.needs_upstream else {}
    server = serve("raw-asgi", "uvicorn", sqlite_db, workers=1, env=env)
    plan = LoadPlan(
        base_url=server.config.url, scenario=chosen, concurrency=4, duration_s=1,
        warmup_s=1 if chosen.writes else 0, seed_size=SEEDED,
    )  # fmt: skip
    result = get_engine(engine).run(plan)
    assert result.errors == {}  # a warm-up's unfinished flows leave nothing that clashes
    assert result.requests > MIN_REQUESTS[chosen.workload]
    if chosen.needs_upstream:  # every answer counted was one call to the upstream, at least
        calls = sum(upstream.calls(author) for author in range(1, SEEDED.authors + 1))
        assert calls >= result.requests
