"""Confidence intervals for what the verdicts compare: a bootstrap over trials.

A trial is the unit of repetition (the noise between trials on a shared machine dwarfs the
noise inside one), so an interval comes from resampling trials: draw each side's trials with
replacement, take the ratio of the medians, repeat, and read the central `LEVEL` of the
ratios. With two or three trials per side the interval is coarse but honest: it is wide when
the trials disagree, and adding trials narrows it. The generator is seeded from the figures, so
the same trials always give the same interval.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

LEVEL = 0.95
RESAMPLES = 2000
METHOD = f"{LEVEL:.0%} bootstrap over trials ({RESAMPLES:,} resamples, ratio of medians)"


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float = LEVEL

    def inside(self, low: float, high: float) -> bool:
        return low <= self.low and self.high <= high

    def outside(self, low: float, high: float) -> bool:
        return self.high < low or self.low > high


def _rng(*samples: Sequence[float]) -> random.Random:
    return random.Random(repr([tuple(round(v, 6) for v in s) for s in samples]))


def _bounds(values: list[float]) -> Interval:
    values.sort()
    cut = (1 - LEVEL) / 2
    return Interval(
        values[int(cut * (len(values) - 1))], values[int((1 - cut) * (len(values) - 1))]
    )


def ratio(a: Sequence[float], b: Sequence[float]) -> Interval:
    """The interval of median(a) / median(b)."""
    if not a or not b:
        raise ValueError("a ratio needs trials on both sides")
    rng = _rng(a, b)
    found = []
    for _ in range(RESAMPLES):
        top = statistics.median(rng.choices(a, k=len(a)))
        bottom = statistics.median(rng.choices(b, k=len(b)))
        found.append(top / bottom if bottom else float("inf"))
    return _bounds(found)


def median(a: Sequence[float]) -> Interval:
    """The interval of median(a)."""
    if not a:
        raise ValueError("a median needs trials")
    rng = _rng(a)
    return _bounds([statistics.median(rng.choices(a, k=len(a))) for _ in range(RESAMPLES)])
