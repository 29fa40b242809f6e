"""The concurrency sweep's series, and the knee found on curves whose shape is known."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framematrix.errors import FramematrixError
from framematrix.results import sweep
from framematrix.results.summary import summarise
from support.runs import trial


def curve(name: str, points: dict[int, tuple[float, float]]):  # type: ignore[no-untyped-def]
    """Two trials per concurrency: (req/s, p95 ms); the helper's p99 is 2.5x its p95."""
    return [trial(name, rps, p95=p95, concurrency=c, index=i, scenario="upstream")
            for c, (rps, p95) in points.items() for i in range(2)]  # fmt: skip


def test_the_series_is_geometric_and_ends_where_asked() -> None:
    assert sweep.concurrencies(1, 1024) == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
    assert sweep.concurrencies(3, 20) == (3, 6, 12, 20)
    with pytest.raises(FramematrixError):
        sweep.concurrencies(8, 4)


def test_a_thread_pool_bends_where_its_threads_run_out() -> None:
    """4 threads waiting 50 ms each: 80 req/s at most, reached at c=4; past it only queueing."""
    threads = curve("raw-wsgi", {1: (20, 52), 2: (40, 52), 4: (78, 55), 8: (79, 110),
                                 16: (80, 220)})  # fmt: skip
    loop = curve("raw-asgi", {1: (20, 52), 2: (40, 52), 4: (80, 53), 8: (160, 53),
                              16: (310, 55)})  # fmt: skip
    knees = {k.contestant: k for k in sweep.knees(summarise(threads + loop))}
    assert knees["raw-wsgi"].concurrency == 4 and "grew" in knees["raw-wsgi"].why
    assert knees["raw-asgi"].concurrency == 16 and "still growing" in knees["raw-asgi"].why
    assert knees["raw-asgi"].peak_rps == 310 and knees["raw-asgi"].peak_at == 16


def test_the_p99_target_caps_the_knee() -> None:
    slow = curve("django", {1: (20, 52), 2: (40, 100), 4: (80, 450)})
    (knee,) = sweep.knees(summarise(slow), target_ms=300.0)
    assert knee.concurrency == 2 and "over 300 ms" in knee.why  # p99 at c=4: 1,125 ms
    (none,) = sweep.knees(summarise(slow), target_ms=10.0)
    assert none.concurrency is None


@pytest.mark.slow
def test_the_sweep_command_stores_a_run_and_its_knees(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "framematrix", "sweep", "--scenario", "health",
         "--contestants", "raw-asgi", "--from", "1", "--to", "4", "--duration", "0.5s",
         "--warmup", "0.2s", "--trials", "1", "--engine", "builtin", "--json",
         "--out", str(tmp_path / "runs")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert sorted({t["concurrency"] for t in out["trials"]}) == [1, 2, 4]
    assert [k["contestant"] for k in out["knees"]] == ["raw-asgi"]
    run = json.loads((tmp_path / "runs" / out["run"] / "run.json").read_text())
    assert run["sweep"]["rule"] == {"target_ms": 1000.0, "growth": 0.1}
