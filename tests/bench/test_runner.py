"""The runner's promises: a crashed contestant gives a failed trial and the run goes on."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.runner import BenchPlan, Progress, Runner
from framematrix.store import Run
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
