"""Memory and CPU of a server's whole process tree, sampled while a trial runs.

RSS counts pages shared between forked workers once per worker, so it overstates what a
server costs; PSS divides shared pages among their users and sums to the real footprint.
USS (pages only one process owns) is what one more worker would add.

Servers lay their processes out differently (gunicorn and granian always run a supervisor
beside their workers; uvicorn with one worker is a single process), so the whole tree's PSS
partly compares layouts. The workers' PSS (every process but a supervisor) compares like with
like, and the supervisor's is kept apart.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
from dataclasses import dataclass

import psutil

MB = 1024 * 1024


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of every live process in the tree."""
    return cpu_of(tree(pid))


def cpu_of(processes: list[psutil.Process]) -> float:
    """User + system CPU seconds of those processes still alive: a tree taken once and read
    often costs one scan of the process table, not one a reading."""
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


@dataclass(frozen=True)
class MemorySample:
    pss_each_mb: tuple[float, ...]
    """PSS of each process in the tree, root first."""
    uss_mb: tuple[float, ...]
    """USS of each process in the tree, root first."""

    @property
    def pss_mb(self) -> float:
        return sum(self.pss_each_mb)

    @property
    def supervised(self) -> bool:
        """The root only supervises when it has children (the workers)."""
        return len(self.pss_each_mb) > 1

    @property
    def workers_pss_mb(self) -> float:
        return sum(self.pss_each_mb[1:]) if self.supervised else self.pss_mb


def memory(pid: int) -> MemorySample | None:
    pss: list[float] = []
    uss: list[float] = []
    for process in tree(pid):
        with contextlib.suppress(psutil.Error):
            info = process.memory_full_info()
            pss.append(getattr(info, "pss", info.rss) / MB)
            uss.append(info.uss / MB)
    return MemorySample(tuple(pss), tuple(uss)) if uss else None


@dataclass(frozen=True)
class MemoryStats:
    steady_pss_mb: float
    """Median PSS over the trial: what the server holds under this load."""
    peak_pss_mb: float
    uss_per_worker_mb: float | None
    """Median USS of the worker processes (the root too when it serves alone)."""
    samples: int
    workers_pss_mb: float
    """Median PSS of the processes that serve requests: the whole tree but its supervisor."""
    supervisor_pss_mb: float | None
    """Median PSS of the supervisor; None for a server that runs as one process."""


class MemorySampler:
    """Samples the tree's PSS in a background thread from `start()` to `stop()`."""

    def __init__(self, pid: int, interval_s: float = 0.25) -> None:
        self.pid = pid
        self.interval_s = interval_s
        self.samples: list[MemorySample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="pss-sampler")

    def _loop(self) -> None:
        while True:
            sample = memory(self.pid)
            if sample is not None:
                self.samples.append(sample)
            if self._stop.wait(self.interval_s):
                return

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> MemoryStats | None:
        """Stop sampling (a no-op if never started) and summarise what was seen."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if not self.samples:
            return None
        workers = [s.uss_mb[1:] or s.uss_mb[:1] for s in self.samples]
        per_worker = [statistics.median(w) for w in workers if w]
        supervised = [s.pss_each_mb[0] for s in self.samples if s.supervised]
        return MemoryStats(
            steady_pss_mb=statistics.median(s.pss_mb for s in self.samples),
            peak_pss_mb=max(s.pss_mb for s in self.samples),
            uss_per_worker_mb=statistics.median(per_worker) if per_worker else None,
            samples=len(self.samples),
            workers_pss_mb=statistics.median(s.workers_pss_mb for s in self.samples),
            supervisor_pss_mb=statistics.median(supervised) if supervised else None,
        )
