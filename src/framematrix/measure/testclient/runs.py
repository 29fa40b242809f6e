"""Each framework's own test client running the contract's read checks in-process: whether it
passes them, the lines of test setup it takes, and the wall time per check; and, in the same
fresh interpreter, the time importing the app takes (the cold start's import time).

The article rates the testing experience in stars (Django 4, FastAPI 5, Flask 3). What can be
measured of it: every framework's client (`setups.SETUPS`) is set up as its documentation
teaches and drives the contestant's own app, on the run's database, through the same checks the
suite sends over HTTP (`__main__`), one fresh interpreter per contestant.
"""

from __future__ import annotations

import inspect
import json
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from radon.raw import analyze

from framematrix.contestants.registry import CONTESTANTS
from framematrix.measure.coldstart import app_env
from framematrix.measure.records import from_record
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
        return from_record(cls, data)


@dataclass(frozen=True)
class Child:
    """What one contestant's fresh interpreter found (`__main__`)."""

    import_s: float | None
    """Importing the app (and calling its factory), the first thing it did."""
    client: TestClientRun | None
    """Its framework's test client on the read checks; None when it has none."""


def run(contestant: str, db_url: str) -> Child:
    """Time importing `contestant`'s app and, where its framework has a test client, run the
    read checks through it: one fresh interpreter."""
    spec = CONTESTANTS[contestant]
    name, _, env = SETUPS.get(contestant, ("", None, {}))
    argv = [sys.executable, "-m", __package__ or "", contestant if name else "", spec.app]
    lines = setup_lines(contestant) if name else 0
    failed = None
    try:
        done = subprocess.run(
            [*argv, *(["factory"] if spec.factory else [])],
            env={**app_env(contestant, db_url), **env},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        failed = f"no answer in {TIMEOUT_S} s"
    else:
        if done.returncode:
            failed = (done.stderr.strip().splitlines()[-1:] or ["no output"])[0][:300]
    if failed is not None:
        return Child(
            None, TestClientRun(contestant, name, lines, None, error=failed) if name else None
        )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    client = TestClientRun(contestant, name, lines, found.get("setup_s"), found.get("checks", []))
    return Child(found["import_s"], client if name else None)
