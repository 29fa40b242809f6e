"""Memory and CPU of a server's whole process tree, sampled while a trial runs.

RSS counts pages shared between forked workers once per worker, so it overstates what a
server costs; PSS divides shared pages among their users and sums to the real footprint.
USS (pages only one process owns) is what one more worker would add.
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
    total = 0.0
    for process in tree(pid):
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


@dataclass(frozen=True)
class MemorySample:
    pss_mb: float
    uss_mb: tuple[float, ...]
    """USS of each process in the tree, root first."""


def memory(pid: int) -> MemorySample | None:
    pss = 0.0
    uss: list[float] = []
    for process in tree(pid):
        with contextlib.suppress(psutil.Error):
            info = process.memory_full_info()
            pss += getattr(info, "pss", info.rss) / MB
            uss.append(info.uss / MB)
    return MemorySample(pss, tuple(uss)) if uss else None


@dataclass(frozen=True)
class MemoryStats:
    steady_pss_mb: float
    """Median PSS over the trial: what the server holds under this load."""
    peak_pss_mb: float
    uss_per_worker_mb: float | None
    """Median USS of the worker processes (the root too when it serves alone)."""
    samples: int


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
        return MemoryStats(
            steady_pss_mb=statistics.median(s.pss_mb for s in self.samples),
            peak_pss_mb=max(s.pss_mb for s in self.samples),
            uss_per_worker_mb=statistics.median(per_worker) if per_worker else None,
            samples=len(self.samples),
        )
