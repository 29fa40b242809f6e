"""The measurements `matrix` makes beside its load trials, once they are done (so they time
nothing that is being timed): cold start, install footprint and the frameworks' test clients of
the contestants it measured, and the batteries each framework serves unasked (probed on minimal
apps of their own, whatever the contestants).

One record (`Side`), kept in the run folder as `side.json` for the report and the claims; a part
that could not be measured is an empty list.
"""

from __future__ import annotations

import json
import os
import queue
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from framematrix.children import pinned
from framematrix.contestants.registry import CONTESTANTS
from framematrix.measure import coldstart, footprint
from framematrix.measure.batteries import battery as batteries
from framematrix.measure.batteries.battery import Battery
from framematrix.measure.coldstart import ColdStart
from framematrix.measure.footprint import Footprint
from framematrix.measure.testclient import runs as testclient
from framematrix.measure.testclient.runs import TestClientRun

FILE = "side.json"
LANES = 2
"""Jobs at once, each on a core of its own."""
T = TypeVar("T")
Probe = Callable[[str], list[Battery]]
"""One family's batteries, found (`batteries.measure`) or kept."""


@dataclass(frozen=True)
class Side:
    cold_starts: list[ColdStart] = field(default_factory=list)
    footprints: list[Footprint] = field(default_factory=list)
    test_clients: list[TestClientRun] = field(default_factory=list)
    batteries: list[Battery] = field(default_factory=list)
    seconds: float = 0.0
    """What measuring them all took."""

    def record(self) -> dict[str, Any]:
        return {
            "cold_starts": [c.record() for c in self.cold_starts],
            "footprints": [f.record() for f in self.footprints],
            "test_clients": [t.record() for t in self.test_clients],
            "batteries": [b.record() for b in self.batteries],
            "seconds": self.seconds,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Side:
        return cls(
            [ColdStart.from_record(c) for c in data.get("cold_starts") or []],
            [Footprint.from_record(f) for f in data.get("footprints") or []],
            [TestClientRun.from_record(t) for t in data.get("test_clients") or []],
            [Battery.from_record(b) for b in data.get("batteries") or []],
            float(data.get("seconds") or 0.0),
        )

    @classmethod
    def read(cls, folder: Path) -> Side | None:
        """The run's, or None for a run that measured none (or a file that cannot be read)."""
        try:
            return cls.from_record(json.loads((folder / FILE).read_text()))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _contestant(
    name: str, db_url: str, starts: int, core: tuple[int, ...]
) -> tuple[ColdStart, TestClientRun | None]:
    """One contestant's side work on its lane's core: its import time and test client in one
    fresh interpreter, then its cold starts."""
    with pinned(core):
        child = testclient.run(name, db_url)
    cold = coldstart.cold_start(name, db_url, starts=starts, cpus=core)
    return replace(cold, import_s=child.import_s), child.client


def _family(family: str, core: tuple[int, ...], probe: Probe) -> list[Battery]:
    with pinned(core):
        return probe(family)


def measure(
    contestants: Sequence[str],
    db_url: str,
    *,
    cores: tuple[int, ...] | None = None,
    starts: int = coldstart.STARTS,
    probe: Probe = batteries.measure,
    say: Callable[[str], None] = lambda _: None,
) -> Side:
    """Up to `LANES` jobs at once, each pinned to a core of its own among `cores` (None: this
    process's), so a cold start never shares its core with another job; `probe` finds one
    family's batteries (the run's takes them from the install's cache where it can)."""
    began = time.perf_counter()
    names = [name for name in contestants if name in CONTESTANTS]
    say("install footprints")
    footprints = footprint.measure_all(names)
    usable = sorted(cores or os.sched_getaffinity(0))
    lanes = max(1, min(LANES, len(usable)))
    free: queue.SimpleQueue[tuple[int, ...]] = queue.SimpleQueue()
    for core in usable[:lanes]:
        free.put((core,))

    def on_a_lane(job: Callable[[tuple[int, ...]], T]) -> T:
        core = free.get()
        try:
            return job(core)
        finally:
            free.put(core)

    say(
        f"cold starts ({starts} a contestant), import times, test clients and the frameworks' "
        f"batteries, {lanes} at a time"
    )
    with ThreadPoolExecutor(lanes) as pool:
        each = [
            pool.submit(on_a_lane, partial(_contestant, name, db_url, starts)) for name in names
        ]
        probed = [
            pool.submit(on_a_lane, partial(_family, family, probe=probe))
            for family in batteries.FAMILIES
        ]
        found = [job.result() for job in each]
        served = [battery for job in probed for battery in job.result()]
    return Side(
        [cold for cold, _ in found],
        footprints,
        [client for _, client in found if client is not None],
        served,
        round(time.perf_counter() - began, 1),
    )
