"""Each framework's own test client running the contract's read checks in-process: whether it
passes them, the lines of test setup it takes, and the wall time per check.

The article rates the testing experience in stars (Django 4, FastAPI 5, Flask 3). What can be
measured of it: every framework's client (`setups.SETUPS`) is set up as its documentation
teaches and drives the contestant's own app, on the run's database, through the same checks the
suite sends over HTTP (`__main__`), one fresh interpreter per contestant.
"""

from __future__ import annotations

import inspect
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from radon.raw import analyze

from framematrix.db.url import ENV_VAR
from framematrix.measure.testclient.setups import SETUPS

TIMEOUT_S = 120


def setup_lines(contestant: str) -> int:
    """Source lines of the setup's body (radon SLOC, its `def` line left out)."""
    _, setup, env = SETUPS[contestant]
    lines: int = analyze(inspect.getsource(setup)).sloc
    return lines - 1 + len(env)


@dataclass(frozen=True)
class TestClientRun:
    __test__ = False  # not a pytest class

    contestant: str
    client: str
    """The framework's test client: `fastapi.testclient.TestClient`."""
    setup_lines: int
    """What a test writes to get it: its setup's source lines and the settings it sets."""
    setup_s: float | None
    checks: list[dict[str, Any]] = field(default_factory=list)
    """name, passed, detail, seconds, requests of each read check."""
    error: str | None = None

    @property
    def passed(self) -> int:
        return sum(bool(c["passed"]) for c in self.checks)

    @property
    def ms_per_check(self) -> float | None:
        found = [float(c["seconds"]) * 1000 for c in self.checks]
        return round(statistics.median(found), 1) if found else None

    def record(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed, "ms_per_check": self.ms_per_check}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> TestClientRun:
        return cls(
            data["contestant"],
            data["client"],
            int(data["setup_lines"]),
            data.get("setup_s"),
            list(data.get("checks") or []),
            data.get("error"),
        )


def run(contestant: str, db_url: str) -> TestClientRun:
    name, _, env = SETUPS[contestant]
    lines = setup_lines(contestant)
    argv = [sys.executable, "-m", __name__, contestant]
    try:
        done = subprocess.run(
            argv,
            env={**os.environ, **env, ENV_VAR: db_url},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return TestClientRun(contestant, name, lines, None, error=f"no answer in {TIMEOUT_S} s")
    if done.returncode:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return TestClientRun(contestant, name, lines, None, error=tail[0][:300])
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return TestClientRun(contestant, name, lines, found["setup_s"], found["checks"])


def measure_all(contestants: Iterable[str], db_url: str) -> list[TestClientRun]:
    return [run(name, db_url) for name in contestants if name in SETUPS]
