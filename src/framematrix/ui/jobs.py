"""Runs started from the page: `framematrix bench` or `matrix` as a child process, one at a time
(two runs at once would measure each other), its progress read from what it writes, cancelled
like Ctrl-C, and never left behind when the page's server stops.

- The child is started with `framematrix.children.spawn`: its own process group, and SIGTERM
  (which the CLI treats as Ctrl-C) if the page's server dies. Linux sends that signal when the
  *thread* that started the child ends, so each job has a thread that starts it and waits for it.
- Progress: the child's first line (`run ID in PATH: N trials to do`) names its run folder and
  the trials to do; each finished trial is a file in the folder (`framematrix.results.store`).
- Cancel: SIGINT, as Ctrl-C: the run stops its servers, keeps the finished trials and exits 130
  ("interrupted", with the `--resume` command).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framematrix import children
from framematrix.errors import FramematrixError
from framematrix.flags import replaced
from framematrix.results.store import Run
from framematrix.run.options import QUICK, BenchOptions
from framematrix.run.validation import build_plan
from framematrix.trials import TrialResult

KINDS = ("bench", "matrix")
STOP_GRACE_S = 20.0
"""How long a cancelled run may take to stop its servers before it is killed."""
LOG_COLUMNS = "400"
"""The child's console width: its first line must not wrap."""
STARTED = re.compile(r"^run (?P<id>\S+) in (?P<path>.+?): (?P<todo>\d+) trials to do", re.M)


@dataclass(frozen=True)
class JobOptions:
    """What the page's form asks for; a quick matrix ignores all but `kind`."""

    kind: str = "bench"
    contestants: str = "raw-wsgi,raw-asgi"
    scenario: str = "health"
    concurrency: str = "16"
    duration: str = "1s"
    warmup: str = "0.5s"
    trials: int = 2
    engine: str = ""

    def argv(self, root: Path) -> list[str]:
        """The command line, checked first with the CLI's own rules (one clear error)."""
        if self.kind not in KINDS:
            raise FramematrixError(f"unknown kind of run {self.kind!r}; known: {', '.join(KINDS)}")
        args = ["--out", str(root.resolve()), "--json"]
        if self.engine:
            args += ["--engine", self.engine]
        if self.kind == "matrix":
            build_plan(QUICK)
            return [sys.executable, "-m", "framematrix", "matrix", *args]
        bench: dict[str, object] = {
            "contestants": self.contestants,
            "scenario": self.scenario,
            "concurrency": self.concurrency,
            "duration": self.duration,
            "warmup": self.warmup,
            "trials": self.trials,
        }
        build_plan(replaced(BenchOptions(engine=self.engine or None), bench))
        flags = [part for name, value in bench.items() for part in (f"--{name}", str(value))]
        return [sys.executable, "-m", "framematrix", "bench", *flags, *args]


class Job:
    """One run started from the page."""

    def __init__(self, options: JobOptions, root: Path) -> None:
        self.options = options
        self.argv = options.argv(root)
        self.root = root
        self.folder = tempfile.TemporaryDirectory(prefix="framematrix-ui-")
        self.log = Path(self.folder.name) / "stderr.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.cancelled = False
        self._started = threading.Event()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="framematrix-job", daemon=True)

    def start(self) -> Job:
        self._thread.start()
        self._started.wait()
        if self._error is not None:
            raise FramematrixError(f"cannot start the run: {self._error.strerror}")
        return self

    def _run(self) -> None:
        env = {**os.environ, "COLUMNS": LOG_COLUMNS}
        try:
            with self.log.open("wb") as log:
                self.process = children.spawn(
                    self.argv, env=env, stdout=subprocess.DEVNULL, stderr=log
                )
        except OSError as exc:
            self._error = exc
        finally:
            self._started.set()
        if self.process is not None:
            self.process.wait()  # this thread lives as long as the child (see the docstring)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _stderr(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def run(self) -> Run | None:
        """The run folder the child made, once it has said so."""
        found = STARTED.search(self._stderr())
        if not found:
            return None
        path = Path(found["path"])
        return Run(path if path.is_absolute() else Path.cwd() / path)

    def state(self) -> str:
        """`starting`, `running`, `finished`, `interrupted` (cancelled; trials kept), `failed`."""
        if self.process is None or self.process.poll() is None:
            return "running" if self.run() else "starting"
        if self.process.returncode == 0:
            return "finished"
        return "interrupted" if self.cancelled or self.process.returncode == 130 else "failed"

    def progress(self) -> dict[str, Any]:
        """What `GET /api/job` answers and the job page shows."""
        run, text = self.run(), self._stderr()
        found = STARTED.search(text)
        done = sorted(run.trials_dir.glob("*.json"), key=lambda p: p.stat().st_mtime) if run else []
        last = _describe(done[-1]) if done else None
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        message = next(
            (line for line in reversed(lines) if line.startswith(("error:", "interrupted"))), None
        )
        return {
            "kind": self.options.kind,
            "state": self.state(),
            "run": run.id if run else None,
            "done": len(done),
            "total": int(found["todo"]) if found else None,
            "last": last,
            "message": message,
            "exit_code": self.process.poll() if self.process else None,
            "command": " ".join(self.argv[2:]),
        }

    def cancel(self) -> None:
        """Ctrl-C for the child: it stops its servers and keeps the finished trials."""
        if self.running and self.process is not None:
            self.cancelled = True
            os.kill(self.process.pid, signal.SIGINT)

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """Cancel and wait; kill the child's process group if it will not stop."""
        self.cancel()
        if self.process is not None:
            try:
                self.process.wait(grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self._thread.join(5)
        self.folder.cleanup()


def _describe(path: Path) -> str:
    try:
        result = TrialResult.from_dict(json.loads(path.read_text()))
    except (OSError, ValueError, TypeError, KeyError):
        return path.stem
    point = result.point
    figure = f"{result.rps:,.0f} req/s" if result.ok else "failed"
    return f"{point.who} {point.at.scenario} {point.at.label} #{result.spec.trial + 1}: {figure}"


class Jobs:
    """The page's one run at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current: Job | None = None
        self._lock = threading.Lock()

    def start(self, options: JobOptions) -> Job:
        with self._lock:
            if self.current is not None and self.current.running:
                raise FramematrixError("a run is already in progress: wait for it or cancel it")
            if self.current is not None:
                self.current.folder.cleanup()
            self.current = Job(options, self.root).start()
            return self.current

    def cancel(self) -> None:
        with self._lock:
            if self.current is not None:
                self.current.cancel()

    def stop(self) -> None:
        """When the page's server stops: no child is left behind."""
        with self._lock:
            if self.current is not None:
                self.current.stop()
