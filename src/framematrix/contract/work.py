"""`GET /work`: the endpoint whose work its parameters give (RULES.md 36-42), and its computation.

Every contestant reads its bounds here and calls `compute`, so all of them check the same
values and burn the same CPU: a pure-Python loop whose length per millisecond is calibrated
once by the process that starts the servers (`calibrated_env`) and handed to each of them in
`ITERATIONS_ENV`, so a contestant never calibrates (and never disagrees) on its own.
"""

from __future__ import annotations

import functools
import os
import time

PATH = "/work"
PART = "work"
"""The contract part `ContestantSpec.lacks` names for it."""
BOUNDS: dict[str, int] = {
    "queries": 20,
    "writes": 20,
    "calls": 10,
    "compute_ms": 1000,
    "items": 1000,
}
"""Each parameter's highest value; every one is 0 at least and 0 when left out."""
PARAMS = tuple(BOUNDS)
START = "start"
"""The post the reads start at and the writes begin with: 1..MAX_ID, default 1."""
MAX_ID = 2_147_483_647
ITERATIONS_ENV = "FRAMEMATRIX_WORK_ITERATIONS_PER_MS"
DEFAULT_ITERATIONS_PER_MS = 20_000
"""Without calibration (a server started by hand): about right for one core of 2020s hardware."""
CALIBRATION_ITERATIONS = 200_000
CALIBRATION_ROUNDS = 5


def spin(iterations: int) -> int:
    """The shared work: integer arithmetic in the interpreter, whose result the response carries
    (so no step can be skipped)."""
    value = 0
    for i in range(iterations):
        value = (value * 31 + i) & 0xFFFFFFFF
    return value


@functools.cache
def iterations_per_ms() -> int:
    """What the launcher measured (`ITERATIONS_ENV`), else the default."""
    raw = os.environ.get(ITERATIONS_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_ITERATIONS_PER_MS


def compute(milliseconds: int) -> int:
    """About `milliseconds` of one core's time, the same loop for every contestant."""
    return spin(milliseconds * iterations_per_ms())


@functools.cache
def calibrate() -> int:
    """Loop iterations per millisecond on this machine: the fastest of a few rounds, as the
    least disturbed one."""
    best = float("inf")
    for _ in range(CALIBRATION_ROUNDS):
        started = time.perf_counter()
        spin(CALIBRATION_ITERATIONS)
        best = min(best, time.perf_counter() - started)
    return max(1, round(CALIBRATION_ITERATIONS / (best * 1000)))


def calibrated_env() -> dict[str, str]:
    """The environment a launcher gives every server: the calibration, measured once per
    process, unless the launcher's own environment already fixes it."""
    fixed = os.environ.get(ITERATIONS_ENV, "")
    return {ITERATIONS_ENV: fixed if fixed.isdigit() else str(calibrate())}
