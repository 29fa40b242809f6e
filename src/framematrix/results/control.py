"""The A/A control: a run's own noise, measured, and the least difference it may call real.

Every measuring run measures one contestant twice, from two servers started on their own (the
plan's `control`; the copy is the point with `replica` 1). Both are the same software on the
same machine, so the truth of their ratio is 1: whatever interval the run's method gives that
ratio is what the run's noise alone can do. Two consequences, at each load point:

- the **tie zone** of every comparison at that point is at least as wide as the control's
  interval reaches from 1 (and never below `MIN_TIE`, 5%): a difference the noise alone could
  make is not called real;
- the control is **apart** when its interval lies beyond the least tie zone, 5% either way
  (the same rule that calls two contestants apart): then the machine was too noisy to tell
  anything, and no performance verdict of the run is better than "cannot tell".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from framematrix.results.statistics import (
    LEVEL,
    METHOD,
    MIN_TIE,
    Interval,
    bounds,
    ratio,
    rounded,
    side,
)
from framematrix.results.summary import PointSummary
from framematrix.trials import LoadPoint


@dataclass(frozen=True)
class Control:
    """The control at one load point: its contestant against its own copy."""

    at: LoadPoint
    contestant: str
    ratio: float | None
    """The copy's req/s over the original's: the geometric mean of the rounds' ratios."""
    interval: Interval | None
    """None with fewer than the minimum of paired rounds."""

    @property
    def apart(self) -> bool:
        return self.interval is not None and side(self.interval, 1.0, MIN_TIE) in ("above", "below")

    @property
    def tie(self) -> float:
        """The least difference a verdict at this point may call real."""
        if self.interval is None:
            return MIN_TIE
        reach = max(self.interval.high - 1, 1 / self.interval.low - 1)
        return max(MIN_TIE, reach)

    def describe(self) -> str:
        """`1.02x (0.94…1.09)`: the control as the report, terminal and JSON give it."""
        if self.ratio is None or self.interval is None:
            return "not enough paired rounds"
        return f"{self.ratio:.2f}x ({self.interval.low:.2f}…{self.interval.high:.2f})"

    def record(self) -> dict[str, Any]:
        return {
            "at": self.at.describe(),
            "contestant": self.contestant,
            "ratio": rounded(self.ratio),
            "interval": bounds(self.interval),
            "apart": self.apart,
            "tie": round(self.tie, 4),
        }


@dataclass(frozen=True)
class Noise:
    """A run's controls, one per load point measured twice, and what they allow."""

    controls: Mapping[LoadPoint, Control]
    level: float = LEVEL

    @classmethod
    def of(cls, points: Iterable[PointSummary], level: float = LEVEL) -> Noise:
        """The controls among a run's points: each copy against its original."""
        found = list(points)
        originals = {s.point: s for s in found if not s.point.control}
        controls = {}
        for copy in (s for s in found if s.point.control):
            original = originals.get(replace(copy.point, replica=0))
            if original is not None:
                controls[copy.point.at] = _control(original, copy, level)
        return cls(controls, level)

    @property
    def measured(self) -> bool:
        return bool(self.controls)

    @property
    def too_noisy(self) -> bool:
        """A control came out apart: the machine's noise alone made a difference."""
        return any(c.apart for c in self.controls.values())

    def tie(self, at: LoadPoint | None = None) -> float:
        """The tie zone at a load point (its control's); elsewhere, or for a verdict over
        several points, the widest of the run's."""
        if at is not None and at in self.controls:
            return self.controls[at].tie
        return max((c.tie for c in self.controls.values()), default=MIN_TIE)

    def headline(self, at: LoadPoint | None) -> Control | None:
        """The control the run names first: at `at` (the run's reference point), else the
        widest."""
        if at is not None and at in self.controls:
            return self.controls[at]
        return max(self.controls.values(), key=lambda c: c.tie, default=None)

    def record(self, at: LoadPoint | None = None) -> dict[str, Any] | None:
        """The run's control for `--json`: its headline (ratio, interval, apart, tie), the
        method and level, and every load point's."""
        first = self.headline(at)
        if first is None:
            return None
        return {
            **first.record(),
            "method": METHOD,
            "level": self.level,
            "too_noisy": self.too_noisy,
            "by_load": [c.record() for c in self.controls.values()],
        }


def _control(original: PointSummary, copy: PointSummary, level: float) -> Control:
    a, b = copy.rps, original.rps
    interval = ratio(a.by_round, b.by_round, level) if a and b else None
    estimate = interval.estimate if interval else None
    return Control(original.point.at, original.point.contestant, estimate, interval)
