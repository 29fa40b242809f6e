"""Load processes: started together, pinned, reporting progress, their histograms merged.

Every load runs in child processes (one by default), so pinning the engine never pins the runner
and the engine's CPU time is its own. Children are plain `python -m framematrix.engines.builtin`
subprocesses (whose `__main__` calls `child_main`) talking over pipes (no multiprocessing: it
would re-import the caller's main module and forks badly under threads). They start on one
shared `time.monotonic()` instant, system-wide on Linux, so the parent knows when their measured
window starts (`start_at + warmup_s`) and calls `on_measuring` then, in the caller's thread.

Pipe protocol: the parent writes `<size>\n` and the pickled (plan, index), and once all children
are ready, the start instant; a child answers `ready`, then `tick <responses>` lines, then
`done <json>` or `error <text>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pickle
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict

from framematrix.engines.base import LoadPlan, Measuring, Progress
from framematrix.engines.builtin.load import Load, Outcome, Share
from framematrix.errors import MeasurementError

READY_TIMEOUT_S = 30.0
START_DELAY_S = 0.05
FINISH_GRACE_S = 15.0


def run_processes(
    plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
) -> list[Outcome]:
    children: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(plan.processes):
            child = subprocess.Popen(
                [sys.executable, "-m", "framematrix.engines.builtin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            children.append(child)
            assert child.stdin is not None
            data = pickle.dumps((plan, index))
            child.stdin.write(b"%d\n%s" % (len(data), data))
            child.stdin.flush()
        return Children(children).collect(plan, on_progress, on_measuring)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait()
            for pipe in (child.stdout, child.stderr):
                if pipe is not None:
                    pipe.close()


class Children:
    """Reads the children's lines; a child whose output ends before its `done` has died."""

    def __init__(self, children: list[subprocess.Popen[bytes]]) -> None:
        self.children = children
        self.selector = selectors.DefaultSelector()
        self.lines: dict[int, bytearray] = {}
        self.errors: dict[int, bytearray] = {}
        self.done: set[int] = set()
        for index, child in enumerate(children):
            assert child.stdout is not None and child.stderr is not None
            self.lines[index] = bytearray()
            self.errors[index] = bytearray()
            self.selector.register(child.stdout, selectors.EVENT_READ, (index, self.lines[index]))
            self.selector.register(child.stderr, selectors.EVENT_READ, (index, self.errors[index]))

    def collect(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> list[Outcome]:
        try:
            ready: set[int] = set()
            deadline = time.monotonic() + READY_TIMEOUT_S
            while len(ready) < len(self.children):
                for index, kind, _ in self._messages(deadline):
                    if kind == "ready":
                        ready.add(index)
            start_at = time.monotonic() + START_DELAY_S
            for child in self.children:
                assert child.stdin is not None
                child.stdin.write(b"%r\n" % start_at)
                child.stdin.close()
            measure_at = start_at + plan.warmup_s
            deadline = measure_at + plan.duration_s + plan.timeout_s + FINISH_GRACE_S
            counts = [0] * len(self.children)
            outcomes: dict[int, Outcome] = {}
            while len(outcomes) < len(self.children):
                if on_measuring is not None and time.monotonic() >= measure_at:
                    on_measuring()
                    on_measuring = None
                wake = measure_at if on_measuring is not None else None
                for index, kind, payload in self._messages(deadline, wake):
                    if kind == "tick":
                        counts[index] = int(payload)
                        if on_progress is not None:
                            on_progress(max(0.0, time.monotonic() - start_at), sum(counts))
                    elif kind == "done":
                        outcomes[index] = Outcome(**json.loads(payload))
            return [outcomes[i] for i in range(len(self.children))]
        finally:
            self.selector.close()

    def _messages(self, deadline: float, wake: float | None = None) -> list[tuple[int, str, str]]:
        """The lines the children wrote, waiting at most until `wake` (or a quarter second)."""
        now = time.monotonic()
        left = deadline - now
        if left <= 0:
            raise MeasurementError("builtin load processes did not finish in time; stopped them")
        wait = min(left, 0.25) if wake is None else max(0.0, min(left, 0.25, wake - now))
        found = []
        for key, _ in self.selector.select(wait):
            index, buffer = key.data
            data = os.read(key.fd, 65536)
            if not data:
                self.selector.unregister(key.fileobj)
                if buffer is self.lines[index] and index not in self.done:
                    self._died(index)
                continue
            buffer.extend(data)
            if buffer is not self.lines[index]:
                continue
            *complete, rest = buffer.split(b"\n")
            buffer[:] = rest
            for line in complete:
                kind, _, payload = line.decode().partition(" ")
                if kind == "error":
                    raise MeasurementError(f"builtin load process {index} failed: {payload}")
                if kind == "done":
                    self.done.add(index)
                found.append((index, kind, payload))
        return found

    def _died(self, index: int) -> None:
        child = self.children[index]
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(1)
            assert child.stderr is not None
            self.errors[index].extend(child.stderr.read())  # its last words, up to EOF
        text = self.errors[index].decode(errors="replace").strip().splitlines()
        why = text[-1] if text else f"exit code {child.returncode}"
        raise MeasurementError(f"builtin load process {index} died: {why}")


def child_main() -> None:
    """Runs in the load process: read the plan, pin, report ready, wait for the start, run."""
    out = sys.stdout

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    try:
        size = int(sys.stdin.buffer.readline())
        plan, index = pickle.loads(sys.stdin.buffer.read(size))
        if plan.cpus:
            os.sched_setaffinity(0, plan.cpus)
        say("ready")
        start_at = float(sys.stdin.buffer.readline())
        share = Share(index, plan.processes, start_at)
        outcome = _run_loop(plan, share, lambda n: say(f"tick {n}"))
        say("done " + json.dumps(asdict(outcome)))
    except Exception as exc:  # everything must reach the parent as one line
        say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))


def _run_loop(plan: LoadPlan, share: Share, tick: Callable[[int], None]) -> Outcome:
    async def main() -> Outcome:
        return await Load(plan, share, tick).run()

    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())
    return uvloop.run(main())
