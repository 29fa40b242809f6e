"""`compare` on real runs: the same contestant measured twice, the second time with fewer threads
(`bench --threads`), is named by `--fail-if-slower`; a run against itself is 1.00x everywhere.

The contestant (`support.waiting`) waits 10 ms per answer, as a call to a slow service would, so
under gunicorn gthread with one worker its req/s follows its threads: 4 threads answer four
requests at a time, 1 thread one. Its slowdown is about 4x, far past any noise of a busy machine.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support.cli import framematrix

TESTS = Path(__file__).resolve().parents[1]
BENCH = ["bench", "--contestants", "waiting", "--scenario", "health", "--concurrency", "16",
         "--workers", "1", "--duration", "1s", "--warmup", "0.3s", "--trials", "2",
         "--engine", "builtin", "--no-control", "--json"]  # fmt: skip


@pytest.fixture
def with_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The waiting contestant importable by the command and by the servers it starts."""
    paths = [str(TESTS), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))


def test_fewer_threads_fail_the_ci_rule_and_name_the_contestant(
    tmp_path: Path, with_waiting: None
) -> None:
    runs = []
    for threads in (4, 1):
        done = framematrix(*BENCH, "--threads", str(threads), "--out", "runs", cwd=tmp_path,
                           module="support.waiting")  # fmt: skip
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert {t["server_config"]["settings"]["threads"] for t in data["trials"]} == {threads}
        assert all(t["ok"] for t in data["trials"])
        runs.append(data["run"])
    a, b = runs

    same = framematrix("compare", a, a, "--fail-if-slower", "10", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    (line,) = [row for row in same.stdout.splitlines() if row.startswith("waiting")]
    assert " 1.00x (" in line and "faster" not in line and "slower" not in line

    slowed = framematrix("compare", a, b, "--fail-if-slower", "10", cwd=tmp_path)
    assert slowed.returncode == 1, slowed.stderr
    assert "plan.threads: 4 → 1" in slowed.stdout
    named = slowed.stdout.split("slower than A by more than 10%")[1]
    assert "waiting (gunicorn-gthread) at health c=16 (builtin):" in named
    data = json.loads(framematrix("compare", a, b, "--fail-if-slower", "10", "--json",
                                  cwd=tmp_path).stdout)  # fmt: skip
    (point,) = data["points"]
    assert point["verdict"] == "slower" and point["slower_than_limit"] is True
    assert point["rps_ratio"]["high"] < 0.75  # four threads against one: far more than noise
    assert [p["contestant"] for p in data["slower"]] == ["waiting"]
