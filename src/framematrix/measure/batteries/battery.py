"""One framework's battery as measured (`__main__`), and the run of the probing interpreters."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any, Literal

from framematrix.measure.records import from_record

Level = Literal["default", "built in", "absent"]
FAMILIES = ("django", "other")
"""`apps_django` and `apps_other`, each probed in an interpreter of its own."""
TIMEOUT_S = 120


@dataclass(frozen=True)
class Battery:
    framework: str
    battery: str
    level: Level
    lines: int = 0
    """Lines that switch it on (built in): 0 when served by default or absent."""
    how: str = ""
    """Those lines, or what a project uses instead (absent), or why the probe failed."""
    needs: tuple[str, ...] = ()
    """Distributions its switch imports that the framework does not install."""

    def record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Battery:
        return from_record(cls, data)


def measure(family: str) -> list[Battery]:
    """One family's frameworks probed in a fresh interpreter; a failure is one absent row
    saying why, so a broken probe never reads as a measurement."""
    argv = [sys.executable, "-m", "framematrix.measure.batteries", family]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return [Battery(family, "all", "absent", how=f"no answer in {TIMEOUT_S} s")]
    if done.returncode:
        tail = (done.stderr.strip().splitlines()[-1:] or ["no output"])[0][:300]
        return [Battery(family, "all", "absent", how=f"probing failed: {tail}")]
    return [Battery.from_record(b) for b in json.loads(done.stdout.strip().splitlines()[-1])]
