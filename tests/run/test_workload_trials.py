"""The runner with the workloads beyond the database: an upstream of known latency started for
the run, the image endpoint, `iot` over WebSockets, and parts a contestant lacks marked."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines.realtime import RealtimeOptions
from framematrix.results.store import Run
from framematrix.results.summary import summarise
from framematrix.run.plan import BenchPlan
from framematrix.run.runner import Runner
from framematrix.servers import free_port
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

CLI = [sys.executable, "-m", "framematrix"]


def run_plan(tmp_path: Path, plan: BenchPlan) -> Run:
    run = Run.create(tmp_path / "runs", {"plan": plan.to_dict()})
    runner = Runner(plan, run)
    runner.prepare()
    runner.execute()
    assert runner.upstream is None and not runner.servers  # all stopped with the run
    return run


def test_an_upstream_run_waits_on_the_upstream_and_lacking_contestants_are_marked(
    tmp_path: Path, sqlite_db: DatabaseURL, test_seed: SeedSize
) -> None:
    plan = BenchPlan(
        contestants=("raw-wsgi", "flask-as-published"), scenarios=("upstream", "health"),
        engine="builtin", db_url=sqlite_db.url, concurrencies=(4,), duration_s=1.0,
        warmup_s=0.2, trials=1, upstream_ms=50.0, seed_size=test_seed,
    )  # fmt: skip
    run = run_plan(tmp_path, plan)
    assert run.meta()["upstream"]["latency_ms"] == 50.0
    points = {(s.point.contestant, s.point.at.scenario): s for s in summarise(run.trials())}
    waited = points[("raw-wsgi", "upstream")]
    assert waited.errors == 0
    assert waited.p50_ms is not None and waited.p50_ms.median >= 50.0  # every request waited
    assert waited.rps is not None and waited.rps.median <= 4 / 0.050 * 1.1  # at most C/latency
    lacking = points[("flask-as-published", "upstream")]
    assert lacking.not_applicable and "lacks upstream" in lacking.not_applicable
    assert lacking.failed == 0 and lacking.rps is None
    assert points[("flask-as-published", "health")].rps is not None  # only what it lacks


def test_the_image_scenario_measures_cpu_bound_requests(
    tmp_path: Path, sqlite_db: DatabaseURL
) -> None:
    plan = BenchPlan(contestants=("raw-asgi",), scenarios=("image",), engine="builtin",
                     db_url=sqlite_db.url, concurrencies=(2,), duration_s=1.0, warmup_s=0.2,
                     trials=1)  # fmt: skip
    (trial,) = run_plan(tmp_path, plan).trials()
    assert trial.ok and trial.errors == 0 and trial.requests > 0
    assert trial.server_cpu_s_per_1k is not None and trial.server_cpu_s_per_1k > 1  # > 1 ms each


def test_an_iot_trial_is_stored_like_any_other(
    tmp_path: Path, sqlite_db: DatabaseURL, redis_url: str
) -> None:
    realtime = RealtimeOptions(devices=(10,), device_rate=5.0, subscribers=2, broker_url=redis_url)
    plan = BenchPlan(contestants=("raw-asgi",), scenarios=("iot",), engine="builtin",
                     db_url=sqlite_db.url, realtime=realtime, duration_s=1.0, warmup_s=0.5,
                     trials=1)  # fmt: skip
    (trial,) = run_plan(tmp_path, plan).trials()
    assert trial.ok, trial.reason
    assert trial.point.at.engine == "realtime" and trial.point.server == "uvicorn"
    assert trial.realtime is not None and trial.realtime["devices_opened"] == 10
    assert trial.errors == 0  # nothing lost, duplicated or out of order
    assert 0 < trial.rps <= 10 * 5.0 * 1.2  # what the devices offered, at most
    assert trial.latency_ms["p50"] > 0


def test_serve_points_a_contestant_at_any_upstream(tmp_path: Path, sqlite_db: DatabaseURL) -> None:
    port = free_port()
    with RunningUpstream(UpstreamConfig(latency_ms=1.0)) as upstream, subprocess.Popen(
        [*CLI, "serve", "raw-asgi", "--db", sqlite_db.url, "--port", str(port),
         "--upstream", upstream.url, "--upstream-timeout", "1", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    ) as process:  # fmt: skip
        try:
            assert process.stdout is not None and process.stdout.readline()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/authors/1/profile") as answer:
                body = json.loads(answer.read())
            assert answer.status == 200 and body["author"]["id"] == 1 and body["profile"]
            assert upstream.calls(1) == 1
        finally:
            process.terminate()
            process.wait(20)


def test_verify_ledger_prints_the_database_work(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "verify", "raw-asgi", "--ledger", "--json"],
                          capture_output=True, text=True, timeout=180, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    ledger = json.loads(done.stdout)
    assert ledger["db"] == "postgresql" and ledger["unexplained"] == []  # the embedded default
    kinds = {row["request"] for row in ledger["rows"]}
    assert "GET /posts?limit=20" in kinds and "GET /authors/{id}/profile" in kinds


@pytest.mark.parametrize("flag", ["--devices 0", "--device-rate 0", "--upstream-ms -1"])
def test_bad_workload_options_are_one_line(tmp_path: Path, flag: str) -> None:
    done = subprocess.run([*CLI, "bench", "--scenario", "iot", *flag.split()],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
