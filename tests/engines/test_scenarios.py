"""Every engine runs the scenarios it supports against a real contestant, without errors."""

from __future__ import annotations

import shutil

import pytest

from framematrix import scenarios
from framematrix.db.seed import SeedSize
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan

SEEDED = SeedSize(authors=50, posts=200)
"""What the `sqlite_db` fixture of tests/conftest.py seeds."""

CASES = [("builtin", name) for name in scenarios.SCENARIOS] + [
    ("wrk", "crud"),
    ("wrk", "write"),
    ("wrk", "read-one"),
    ("ab", "list-posts"),
]


@pytest.mark.parametrize(("engine", "scenario"), CASES)
def test_scenario_runs_cleanly_against_raw_asgi(engine, scenario, serve, sqlite_db) -> None:
    if shutil.which(engine) is None and engine != "builtin":
        pytest.skip(f"{engine} is not on PATH")
    server = serve("raw-asgi", "uvicorn", sqlite_db, workers=1)
    plan = LoadPlan(
        base_url=server.config.url, scenario=scenarios.get(scenario), concurrency=4,
        duration_s=1, seed_size=SEEDED,
    )  # fmt: skip
    result = get_engine(engine).run(plan)
    assert result.errors == {}
    assert result.requests > 50
