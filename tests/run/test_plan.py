"""A run's plan: the stored form run.json has always kept (engines' options flat among the rest),
read back and resumed; and validation, once per run, that creates nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines.locust.options import LocustOptions
from framematrix.engines.realtime import RealtimeOptions
from framematrix.errors import FramematrixError
from framematrix.results.store import Run
from framematrix.run.options import BenchOptions
from framematrix.run.plan import BenchPlan
from framematrix.run.runner import Runner
from framematrix.run.validation import build_plan, validate

CLI = [sys.executable, "-m", "framematrix"]
OLD_PLAN: dict[str, Any] = json.loads("""{
  "contestants": ["raw-asgi"], "scenarios": ["health"], "engine": "builtin",
  "db_url": "sqlite:////tmp/runs/20261206-211615/blog.db", "servers": [], "concurrencies": [2],
  "rates": [], "scenario_concurrencies": {}, "duration_s": 0.3, "warmup_s": 0.0, "trials": 1,
  "workers": 0, "server_cpus": [0], "load_cpus": [1], "seed": 1, "url": null,
  "seed_size": {"authors": 1000, "posts": 10000}, "timeout_s": 10.0,
  "connection_per_request": false, "tunings": ["equal"], "load_processes": 0, "threads": 0,
  "upstream_ms": 50.0, "upstream_jitter_ms": 0.0, "upstream_timeout_s": 2.0,
  "devices": [10, 20], "device_rate": 2.0, "subscribers": 3, "broker_url": null,
  "locust_workers": null, "locust_remote_workers": 0, "locust_master": "",
  "version_sets": [], "pins": {}
}""")
"""A plan exactly as run.json kept it before the engines owned their options (written by
`bench --devices 10,20 --subscribers 3 --device-rate 2` at commit 86192ac)."""


def test_a_plan_of_the_old_form_reads_back_and_is_stored_the_same() -> None:
    plan = BenchPlan.from_dict(OLD_PLAN)
    assert plan.realtime == RealtimeOptions(devices=(10, 20), device_rate=2.0, subscribers=3)
    assert plan.locust == LocustOptions()
    assert [at.concurrency for at in plan.loads("iot")] == [10, 20]
    stored = json.loads(json.dumps(plan.to_dict()))
    added = {"control": None, "order_seed": 0, "looks": 1,  # fields newer than the old form
             "best": {}, "retune": False, "search": True, "rewarmup_s": None}  # fmt: skip
    assert {k: v for k, v in stored.items() if k not in added} == OLD_PLAN
    assert list(stored)[: len(OLD_PLAN)] == list(OLD_PLAN)  # the same keys, in the same order
    assert {k: stored[k] for k in added} == added  # no A/A control, one look: as it was run


def test_engine_options_are_stored_flat_and_read_back(tmp_path: Path) -> None:
    options = BenchOptions(
        contestants="raw-asgi", scenario="health", engine="locust", db=f"sqlite:///{tmp_path}/b",
        realtime=RealtimeOptions(devices=(7,), broker_url="redis://127.0.0.1:6379/3"),
        locust=LocustOptions(locust_workers=1, locust_master="127.0.0.1:6000"),
    )  # fmt: skip
    plan = build_plan(options)
    stored = json.loads(json.dumps(plan.to_dict()))
    assert {k: stored[k] for k in ("devices", "broker_url", "locust_workers", "locust_master")} == {
        "devices": [7], "broker_url": "redis://127.0.0.1:6379/3", "locust_workers": 1,
        "locust_master": "127.0.0.1:6000",
    }  # fmt: skip
    assert "realtime" not in stored and "locust" not in stored
    assert BenchPlan.from_dict(stored) == plan


def old_run(root: Path) -> Run:
    """A run folder as the code before this one left it: its plan, no trial done."""
    run = Run.create(root, {"created": "2026-12-06T21:16:15+00:00", "plan": {}})
    plan = {**OLD_PLAN, "db_url": f"sqlite:///{(run.path / 'blog.db').resolve()}"}
    run.update_meta(plan=plan)
    return run


@pytest.mark.parametrize("how", ["--resume", "--rerun"])
def test_a_run_folder_of_the_old_form_resumes_and_reruns(tmp_path: Path, how: str) -> None:
    before = old_run(tmp_path / "runs")
    done = subprocess.run([*CLI, "bench", how, before.id, "--out", str(tmp_path / "runs"),
                           "--json"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (trial,) = json.loads(done.stdout)["trials"]
    assert trial["ok"] and trial["requests"] > 0 and trial["engine"] == "builtin"
    path = Path(json.loads(done.stdout)["path"])
    assert (path == before.path) == (how == "--resume")
    stored = json.loads((path / "run.json").read_text())["plan"]
    assert {k: stored[k] for k in ("devices", "device_rate", "subscribers", "locust_master")} == {
        "devices": [10, 20], "device_rate": 2.0, "subscribers": 3, "locust_master": ""
    }  # fmt: skip


@pytest.mark.postgres
def test_validation_creates_no_database_and_the_runner_does(
    tmp_path: Path, pg_db: DatabaseURL, test_seed: SeedSize
) -> None:
    import psycopg

    name = f"fm_test_{uuid.uuid4().hex[:12]}"
    db = DatabaseURL.parse(f"{pg_db.url.rsplit('/', 1)[0]}/{name}")
    options = BenchOptions(contestants="raw-asgi", scenario="health", engine="builtin",
                           db=db.url, concurrency="2")  # fmt: skip
    plan = replace(build_plan(options), seed_size=test_seed)

    def exists() -> bool:
        with psycopg.connect(pg_db.libpq) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return found.fetchone() is not None

    try:
        validate(plan)
        assert not exists()
        Runner(plan, Run.create(tmp_path, {"plan": plan.to_dict()})).prepare()
        assert exists()
    finally:
        with psycopg.connect(pg_db.libpq, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_validation_refuses_an_unreachable_database() -> None:
    plan = build_plan(BenchOptions(scenario="health", engine="builtin", concurrency="2",
                                   db="postgresql://nobody@127.0.0.1:9/none"))  # fmt: skip
    with pytest.raises(FramematrixError, match="cannot reach database"):
        validate(plan)


def test_the_realtime_engine_measures_every_iot_point_and_only_those() -> None:
    plan = build_plan(BenchOptions(scenario="health,iot", engine="builtin", concurrency="4",
                                   realtime=RealtimeOptions(devices=(5, 50))))  # fmt: skip
    engines = {(at.scenario, at.engine, at.concurrency) for at in plan.loads("health")}
    engines |= {(at.scenario, at.engine, at.concurrency) for at in plan.loads("iot")}
    assert engines == {("health", "builtin", 4), ("iot", "realtime", 5), ("iot", "realtime", 50)}
    assert plan.engine_names == ["builtin", "realtime"]
    assert plan.load_engine("realtime").options == plan.realtime  # type: ignore[attr-defined]
