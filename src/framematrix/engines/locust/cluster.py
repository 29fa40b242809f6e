"""The processes of one locust trial: its master and local workers, followed and stopped.

Each is started through `framematrix.children` (a process group of its own, dying with
framematrix): the master pinned to the load cores, local worker i to load core i (round robin:
a Locust worker is one gevent thread, one core at most). framematrix follows the master's
`FRAMEMATRIX-LOCUST` lines on its stdout with a deadline for each phase (workers joined and
users spawned; warm-up; measured window; quitting) and watches its own workers, so a worker that
never joins, or dies, fails the trial with a one-line reason instead of hanging it. At the end,
whatever happened, every process still alive gets SIGTERM to its group, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from framematrix.children import spawn
from framematrix.engines.base import LoadPlan, Measuring, Progress
from framematrix.engines.locust.options import Layout
from framematrix.engines.locust.protocol import MARK, RESULT_WAIT_S
from framematrix.errors import MeasurementError

TICK_S = 0.25
DEATH_CHECK_S = 1.0
"""A local worker found dead: how long to go on reading, in case the master had just said
`done` (workers exit when the master quits)."""
START_S = 15.0
"""Locust's processes start (import gevent and Locust) within this."""
PHASE_GRACE_S = 10.0
QUIT_WAIT_S = 10.0
"""After the results: how long master and workers may take to exit on their own."""
STOP_GRACE_S = 3.0


class Cluster:
    def __init__(
        self,
        folder: Path,
        plan: LoadPlan,
        layout: Layout,
        master: list[str],
        worker: list[str],
        join_timeout_s: float,
    ) -> None:
        self.folder = folder
        self.plan = plan
        self.layout = layout
        self.argv = {"master": master, "worker": worker}
        self.join_timeout_s = join_timeout_s
        self.processes: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        self.logs: list[IO[bytes]] = []
        self.joined = 0
        self.done = False

    def __enter__(self) -> Cluster:
        try:
            self._start("master", self.argv["master"], self.plan.cpus, stdout=subprocess.PIPE)
            cores = self.plan.cpus
            for index in range(self.layout.local):
                pinned = (cores[index % len(cores)],) if cores else None
                self._start(f"worker {index} (here)", self.argv["worker"], pinned)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _start(
        self, name: str, argv: list[str], cpus: tuple[int, ...] | None, stdout: int | None = None
    ) -> None:
        path = self.folder / f"{name.split(' ')[0]}-{len(self.processes)}.log"
        log = path.open("wb")
        self.logs.append(log)
        try:
            process = spawn(argv, cpus=cpus, stdout=stdout or log, stderr=log)
        except OSError as exc:
            raise MeasurementError(f"cannot start locust: {exc.strerror}") from None
        self.processes.append((name, process, path))

    @property
    def master(self) -> subprocess.Popen[bytes]:
        return self.processes[0][1]

    def follow(self, on_progress: Progress | None, on_measuring: Measuring | None) -> None:
        """Read the master's lines until it exits; raise MeasurementError when a phase overruns,
        a local worker dies, or the master ends before the trial did."""
        plan, layout = self.plan, self.layout
        phase = "join"
        deadline = (
            time.monotonic()
            + START_S
            + self.join_timeout_s
            + layout.users / layout.spawn_rate
            + PHASE_GRACE_S
        )
        loaded_at = 0.0
        dead: tuple[float, str] | None = None
        pending = b""
        assert self.master.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.master.stdout, selectors.EVENT_READ)
            while True:
                now = time.monotonic()
                if now > deadline:
                    if phase == "quit":
                        return  # the results are written: stop() ends what is left
                    raise MeasurementError(self._overdue(phase))
                if selector.select(TICK_S):
                    data = os.read(self.master.stdout.fileno(), 65536)
                    if not data:
                        break
                    *lines, pending = (pending + data).split(b"\n")
                    for line in lines:
                        event, values = _event(line)
                        now = time.monotonic()
                        if event == "joined":
                            self.joined = int(values["workers"])
                        elif event == "spawned":
                            phase, loaded_at = "warmup", now
                            deadline = now + plan.warmup_s + PHASE_GRACE_S
                        elif event == "measuring":
                            phase = "measuring"
                            deadline = now + plan.duration_s + RESULT_WAIT_S + PHASE_GRACE_S
                            if on_measuring is not None:
                                on_measuring()
                        elif event == "progress" and on_progress is not None and loaded_at:
                            on_progress(now - loaded_at, int(values["responses"]))
                        elif event == "done":
                            phase, self.done = "quit", True
                            deadline = now + QUIT_WAIT_S
                if dead is None and not self.done:
                    dead = self._dead_worker()
                if dead is not None and not self.done and now > dead[0] + DEATH_CHECK_S:
                    raise MeasurementError(dead[1])
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.master.wait(STOP_GRACE_S)
        if not self.done:
            raise MeasurementError(self._ended_early())

    def _dead_worker(self) -> tuple[float, str] | None:
        """(when it was seen, the reason) for the first local worker that exited."""
        for name, process, path in self.processes[1:]:
            if process.poll() is not None:
                return time.monotonic(), (
                    f"locust {name}, pid {process.pid}, died mid-trial "
                    f"({_exit(process.returncode)}): {_tail(path)}"
                )
        return None

    def _not_joined(self) -> str:
        layout = self.layout
        text = (
            f"only {self.joined} of {layout.workers} locust workers joined within "
            f"{self.join_timeout_s:g} s"
        )
        if layout.remote:
            text += (
                f" (the master listened on {layout.host}: start `framematrix locust-worker "
                "--master HOST:PORT` on each worker machine, with the same framematrix and "
                "Locust, and open the master's port to them)"
            )
        return text

    def _overdue(self, phase: str) -> str:
        if phase == "join":
            if self.joined < self.layout.workers:
                return self._not_joined()
            return f"locust did not start its {self.layout.users} users in time"
        what = "open" if phase == "warmup" else "close"
        return f"locust's master did not {what} the measured window in time: {self._master_tail()}"

    def _ended_early(self) -> str:
        if self.joined < self.layout.workers:
            return self._not_joined()
        code = self.master.poll()
        return f"locust's master ended before the trial did ({_exit(code)}): {self._master_tail()}"

    def _master_tail(self) -> str:
        return _tail(self.processes[0][2])

    def stop(self) -> None:
        """Let the processes exit on their own after a finished trial, then end the rest."""
        waited = time.monotonic() + (QUIT_WAIT_S if self.done else 0)
        for _, process, _ in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.0, waited - time.monotonic()))
        for sig, grace in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, None)):
            alive = [process for _, process, _ in self.processes if process.poll() is None]
            for process in alive:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
            until = time.monotonic() + (grace or STOP_GRACE_S)
            for process in alive:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(max(0.0, until - time.monotonic()))
        for _, process, _ in self.processes:
            if process.stdout is not None:
                process.stdout.close()
        for log in self.logs:
            log.close()


def _event(line: bytes) -> tuple[str, dict[str, float]]:
    text = line.decode(errors="replace").strip()
    if not text.startswith(MARK):
        return "", {}
    event, _, payload = text[len(MARK) :].partition(" ")
    try:
        return event, json.loads(payload or "{}")
    except ValueError:
        return "", {}


def _exit(code: int | None) -> str:
    if code is None:
        return "still running"
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def _tail(path: Path) -> str:
    """The last line a process wrote, or a note that it wrote none."""
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    meaningful = [line.strip() for line in lines if line.strip() and not line.startswith(MARK)]
    return meaningful[-1][:200] if meaningful else "(no output)"
