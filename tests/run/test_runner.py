"""The runner's promises: a crashed contestant gives a failed trial and the run goes on."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.results.store import Run
from framematrix.run import runner as runner_module
from framematrix.run.plan import BenchPlan, load_plan
from framematrix.run.runner import Progress, Runner
from framematrix.trials import TrialSpec


def test_a_crash_mid_trial_fails_that_trial_and_the_run_goes_on(
    tmp_path: Path, sqlite_db: DatabaseURL, test_seed: SeedSize
) -> None:
    plan = BenchPlan(
        contestants=("raw-asgi",), scenarios=("health",), engine="builtin", db_url=sqlite_db.url,
        concurrencies=(4,), duration_s=1.5, warmup_s=0, trials=2, server_cpus=(0,),
        load_cpus=(1,), seed_size=test_seed,
    )  # fmt: skip
    run = Run.create(tmp_path, {"plan": plan.to_dict()})
    runner = Runner(plan, run)
    runner.prepare()
    killed: list[int] = []
    current: list[TrialSpec] = []
    affinity: set[frozenset[int]] = set()
    before = os.sched_getaffinity(0)

    def kill_first_trial(elapsed: float, requests: int) -> None:
        affinity.add(frozenset(os.sched_getaffinity(0)))
        if current[-1].trial == 0 and not killed and elapsed > 0.3:
            (server,) = runner.servers.values()
            killed.append(server.pid)
            os.killpg(server.pid, signal.SIGKILL)

    runner.progress = Progress(
        on_trial_start=lambda spec, i, n: current.append(spec), on_tick=kill_first_trial
    )
    first, second = runner.execute()
    assert affinity == {frozenset({1})}  # framematrix stayed off the server's core
    assert os.sched_getaffinity(0) == before  # and got its cores back afterwards
    assert killed
    assert not first.ok and "crash" in (first.reason or "")
    assert second.ok and second.requests > 0  # a fresh server took over
    assert {t.ok for t in run.trials()} == {False, True}
    engines = [
        p for p in psutil.Process().children(recursive=True) if "engines" in " ".join(p.cmdline())
    ]
    assert not engines, "no load process started ahead outlives the run"


def test_a_busy_server_warning_reaches_a_successful_trial(
    tmp_path: Path, sqlite_db: DatabaseURL, test_seed: SeedSize, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warnings gathered before the load (the server still busy) are kept beside the engine's."""
    monkeypatch.setattr(runner_module, "SETTLE_TIMEOUT_S", 0.3)
    plan = BenchPlan(
        contestants=("raw-asgi",), scenarios=("health",), engine="builtin", db_url=sqlite_db.url,
        concurrencies=(2,), duration_s=0.5, warmup_s=0.2, trials=1, seed_size=test_seed,
    )  # fmt: skip
    run = Run.create(tmp_path, {"plan": plan.to_dict()})
    runner = Runner(plan, run)
    runner.prepare()
    (spec,) = runner.pending()
    server = runner.server_for(spec.point)
    assert server is not None
    stop = threading.Event()

    # Each request computes for 50 ms on the server's one event loop, and four are always queued:
    # the server stays busy through every settle window however the test's threads are scheduled
    # (a cheap request left gaps between them on a loaded machine, and the server looked idle).
    def hammer() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                urllib.request.urlopen(server.config.url + "/work?compute_ms=50", timeout=5).read()

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)
        result = runner.measure(spec)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        runner.close()
    assert result.ok and result.requests > 0
    assert any("still busy" in w for w in result.warnings), result.warnings


def test_the_load_processes_reach_the_engine(sqlite_db: DatabaseURL) -> None:
    plan = BenchPlan(contestants=("raw-asgi",), scenarios=("health",), engine="builtin",
                     db_url=sqlite_db.url, concurrencies=(4,), load_cpus=(1,))  # fmt: skip
    spec = plan.specs()[0]
    assert load_plan(plan, spec, "http://127.0.0.1:1").processes == 1  # one per load core
    three = replace(plan, load_processes=3)
    assert load_plan(three, spec, "http://127.0.0.1:1").processes == 3
