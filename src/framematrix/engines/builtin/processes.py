"""Load processes: started together, pinned, reporting progress, their histograms merged.

Every load runs in child processes (one per load core by default), so pinning the engine never
pins the runner and the engine's CPU time is its own. They are `engines/load_processes.py`'s
plain `python -m framematrix.engines.builtin` subprocesses talking over pipes. They start on one
shared `time.monotonic()` instant, system-wide on Linux.

Protocol: the parent hands each child (plan, index), and once all are ready, the start instant;
a child answers `ready`, then `tick <responses>` lines, then `done <json>` or `error <text>`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict

from framematrix.engines.base import LoadPlan, Measuring, Progress
from framematrix.engines.builtin.load import Load, Outcome, Share
from framematrix.engines.load_processes import (
    LoadProcesses,
    child_payload,
    hear,
    run_loop,
    say,
    ticks,
)

MODULE = "framematrix.engines.builtin"
"""What the load processes run."""
READY_TIMEOUT_S = 30.0
START_DELAY_S = 0.05
FINISH_GRACE_S = 15.0


def run_processes(
    plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
) -> list[Outcome]:
    """Every process's outcome; `on_measuring()` is called (here) when the window starts."""
    payloads = [(plan, index) for index in range(plan.processes)]
    with LoadProcesses(MODULE, payloads, "builtin") as children:
        children.gather("ready", time.monotonic() + READY_TIMEOUT_S)
        start_at = time.monotonic() + START_DELAY_S
        children.tell(b"%r" % start_at)
        ticked = ticks(plan.processes, start_at, on_progress)
        measure_at = start_at + plan.warmup_s
        deadline = measure_at + plan.duration_s + plan.timeout_s + FINISH_GRACE_S
        alarm = (measure_at, on_measuring) if on_measuring is not None else None
        done = children.gather("done", deadline, ticked, alarm=alarm, last=True)
    return [Outcome(**json.loads(payload)) for payload in done]


def child_main() -> None:
    """Runs in the load process: read the plan, pin, report ready, wait for the start, run."""
    try:
        plan, index = child_payload()
        if plan.cpus:
            os.sched_setaffinity(0, plan.cpus)
        say("ready")
        start_at = float(hear())
        share = Share(index, plan.processes, start_at)
        outcome = _run_loop(plan, share, lambda n: say(f"tick {n}"))
        say("done " + json.dumps(asdict(outcome)))
    except Exception as exc:  # everything must reach the parent as one line
        say(f"error {type(exc).__name__}: {exc}")


def _run_loop(plan: LoadPlan, share: Share, tick: Callable[[int], None]) -> Outcome:
    async def main() -> Outcome:
        return await Load(plan, share, tick).run()

    return run_loop(main)
