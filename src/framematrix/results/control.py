"""The A/A control: a run's own noise, measured, and the least difference it may call real.

Every measuring run measures one contestant twice, from two servers started on their own (the
plan's `control`; the copy is the point with `replica` 1). Both are the same software on the
same machine, so the truth of each of their ratios is 1: whatever interval the run's method
gives that ratio is what the run's noise alone can do. Three consequences, at each load point:

- every figure a verdict compares (`COMPARED`: req/s, p95, memory, ...) has a **tie zone** of
  its own, as wide as the control's interval of *that* figure reaches from 1, never below
  `MIN_TIE` (5%): a difference the noise alone could make is not called real. Req/s noise says
  nothing of p95's, which spreads twice as wide on a shared machine and far wider for the
  realtime point (whose offered rate does not move at all), nor of memory's, which barely moves;
- that interval's spread is **pooled** over the run's control points of one engine whose
  spreads agree (`POOL_GUARD`, a two-sided F test): five rounds give a standard deviation on 4
  degrees of freedom, which alone swings a tie zone threefold between runs; four HTTP points
  pooled give it 16. A point whose spread differs from the others' keeps its own, and each
  point keeps its own mean, so a systematic difference between the two servers still widens
  its zone (`tests/results/test_control.py` proves both on rounds of known truth);
- the control is **apart** when its req/s interval lies beyond the least tie zone, 5% either way
  (the rule that calls two contestants apart): then the machine was too noisy to tell anything,
  and no performance verdict of the run is better than "cannot tell". "Any of the run's k
  control points apart" is one claim about the run, so each point is judged apart on its
  interval at the level that keeps the k together at the run's (Bonferroni: 99% each for five
  points at 95%): judged one by one at 95%, five points of two equal servers called a run
  too noisy in 10% of runs at this 2-core machine's noise, together in 2%
  (`tests/results/test_control.py`).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from framematrix.results.statistics import (
    LEVEL,
    METHOD,
    MIN_ROUNDS,
    MIN_TIE,
    Interval,
    bounds,
    f_cdf,
    log_interval,
    rounded,
    side,
    t_quantile,
)
from framematrix.results.summary import PointSummary
from framematrix.trials import LoadPoint

HEADLINE = "rps"
"""The figure the control is named by, and judged apart on."""
COMPARED = (HEADLINE, "p95_ms", "workers_pss_mb", "pss_mb", "cpu_s_per_1k")
"""The figures verdicts and decisions compare, each with a tie zone of its own."""
POOL_GUARD = 0.05
"""Two points' spreads agree unless an F test tells them apart at this level (two-sided). A
test whether to pool is run at a liberal level: at 1%, 4 degrees of freedom against 12 pooled a
point with a quarter of the others' spread in about half of the runs (the upstream point beside
the database points), so its zone swung between its own and theirs from one run to the next."""
APART_METHOD = (
    "apart when the req/s interval at any control point lies beyond 5% either way, each point's "
    "interval at the level that keeps the run's control points together at its level "
    "(Bonferroni)"
)
TIE_METHOD = (
    "the A/A control's interval of the same figure, its spread pooled over the run's points "
    "whose spreads agree (an F test at 5%), never below 5%"
)


@dataclass(frozen=True)
class Rules:
    """How far apart figures must be, in one run (or at one of its load points), to be told
    apart: its tie zone, its level, and whether its A/A control allows any verdict
    (`Noise.rules` makes them; claims and decisions judge by them)."""

    tie: float = MIN_TIE
    level: float = LEVEL
    too_noisy: bool = False
    """The run's A/A control came out apart: no performance verdict is better than cannot tell."""
    ties: Mapping[LoadPoint, float] = field(default_factory=dict)
    """Each point's own tie zone, where a verdict over several points judges each at its own."""

    def at(self, point: LoadPoint) -> Rules:
        return replace(self, tie=self.ties.get(point, self.tie))

    def zone(self, target: float) -> tuple[float, float]:
        return target / (1 + self.tie), target * (1 + self.tie)


@dataclass(frozen=True)
class Control:
    """The control at one load point: its contestant against its own copy."""

    at: LoadPoint
    contestant: str
    intervals: Mapping[str, Interval | None]
    """Each compared figure's interval, copy over original, on this point's rounds alone; None
    with fewer than the minimum of paired rounds."""
    ties: Mapping[str, float]
    """Each compared figure's tie zone (`Noise.of`)."""
    apart_interval: Interval | None
    """The req/s interval it is judged apart on: at the level that keeps the run's control
    points together at the run's level (`apart_level`); None: fewer paired rounds."""

    @property
    def interval(self) -> Interval | None:
        return self.intervals.get(HEADLINE)

    @property
    def ratio(self) -> float | None:
        """The copy's req/s over the original's: the geometric mean of the rounds' ratios."""
        return self.interval.estimate if self.interval else None

    @property
    def apart(self) -> bool:
        found = self.apart_interval
        return found is not None and side(found, 1.0, MIN_TIE) in ("above", "below")

    def tie(self, metric: str = HEADLINE) -> float:
        """The least difference of `metric` a verdict at this point may call real."""
        return self.ties[metric]

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
            "apart_interval": bounds(self.apart_interval),
            "tie": round(self.tie(), 4),
            "ties": {metric: round(tie, 4) for metric, tie in self.ties.items()},
        }


@dataclass(frozen=True)
class Noise:
    """A run's controls, one per load point measured twice, and what they allow."""

    controls: Mapping[LoadPoint, Control]
    level: float = LEVEL

    @classmethod
    def of(cls, points: Iterable[PointSummary], level: float = LEVEL) -> Noise:
        """The controls among a run's points: each copy against its original, each figure's tie
        zone pooled over the points of one engine (`tie_zones`)."""
        found = list(points)
        originals = {s.point: s for s in found if not s.point.control}
        pairs = {
            copy.point.at: (original, copy)
            for copy in found
            if copy.point.control
            and (original := originals.get(replace(copy.point, replica=0))) is not None
        }
        logs = {
            metric: {at: _logs(original, copy, metric) for at, (original, copy) in pairs.items()}
            for metric in COMPARED
        }
        ties = {metric: tie_zones(logs[metric], level) for metric in COMPARED}
        together = apart_level(level, len(pairs))
        controls = {
            at: Control(
                at,
                original.point.contestant,
                {m: log_interval(logs[m][at], level) for m in COMPARED},
                {m: ties[m].get(at, MIN_TIE) for m in COMPARED},
                log_interval(logs[HEADLINE][at], together),
            )
            for at, (original, _) in pairs.items()
        }
        return cls(controls, level)

    @property
    def measured(self) -> bool:
        return bool(self.controls)

    @property
    def too_noisy(self) -> bool:
        """A control came out apart: the machine's noise alone made a difference."""
        return any(c.apart for c in self.controls.values())

    def tie(self, at: LoadPoint | None = None, metric: str = HEADLINE) -> float:
        """The tie zone of `metric` at a load point (its control's); elsewhere, or for a verdict
        over several points, the widest of the run's."""
        if at is not None and at in self.controls:
            return self.controls[at].tie(metric)
        return max((c.tie(metric) for c in self.controls.values()), default=MIN_TIE)

    def ties(self, metric: str = HEADLINE) -> dict[LoadPoint, float]:
        """Every control point's tie zone of `metric`."""
        return {at: c.tie(metric) for at, c in self.controls.items()}

    def rules(self, at: LoadPoint | None = None, metric: str = HEADLINE) -> Rules:
        """How far apart figures of `metric` must be to be told apart at `at` (its control's tie
        zone of that figure), or, for a verdict over several points, at each its own (`Rules.at`;
        elsewhere the widest)."""
        ties = self.ties(metric) if at is None else {}
        return Rules(self.tie(at, metric), self.level, self.too_noisy, ties)

    def headline(self, at: LoadPoint | None) -> Control | None:
        """The control the run names first: at `at` (the run's reference point), else the
        widest."""
        if at is not None and at in self.controls:
            return self.controls[at]
        return max(self.controls.values(), key=lambda c: c.tie(), default=None)

    def record(self, at: LoadPoint | None = None) -> dict[str, Any] | None:
        """The run's control for `--json`: its headline (ratio, interval, apart, tie and each
        figure's tie), the method and level, and every load point's."""
        first = self.headline(at)
        if first is None:
            return None
        return {
            **first.record(),
            "method": METHOD,
            "tie_method": TIE_METHOD,
            "level": self.level,
            "apart_method": APART_METHOD,
            "apart_level": apart_level(self.level, len(self.controls)),
            "too_noisy": self.too_noisy,
            "apart_at": [c.at.describe() for c in self.controls.values() if c.apart],
            "by_load": [c.record() for c in self.controls.values()],
        }


def apart_level(level: float, points: int) -> float:
    """The level each of `points` control points is judged apart at, so that "any of them
    apart" errs no more often than `level` allows (Bonferroni)."""
    return 1 - (1 - level) / max(1, points)


def tie_zones(
    logs: Mapping[LoadPoint, list[float]], level: float = LEVEL
) -> dict[LoadPoint, float]:
    """Each point's tie zone of one figure from its control's log ratios (copy over original,
    one a round): how far the interval of their mean reaches from 0, as a ratio, with the
    spread pooled over the points of one engine whose spreads agree (`_agrees`)."""
    usable = {at: values for at, values in logs.items() if len(values) >= MIN_ROUNDS}
    engines: dict[str, list[LoadPoint]] = defaultdict(list)
    for at in usable:
        engines[at.engine].append(at)
    ties = {}
    for group in engines.values():
        agreeing = [
            at for at in group if _agrees(usable[at], [usable[o] for o in group if o != at])
        ]
        agreeing = agreeing if len(agreeing) > 1 else []  # one point alone pools nothing
        df = sum(len(usable[at]) - 1 for at in agreeing)
        pooled = sum(_squares(usable[at]) for at in agreeing) / df if agreeing else 0.0
        for at in group:
            values = usable[at]
            spread, dof = (
                (math.sqrt(pooled), df)
                if at in agreeing
                else (statistics.stdev(values), len(values) - 1)
            )
            half = t_quantile(1 - (1 - level) / 2, dof) * spread / math.sqrt(len(values))
            ties[at] = max(MIN_TIE, math.exp(abs(statistics.fmean(values)) + half) - 1)
    return ties


def _agrees(values: list[float], others: list[list[float]]) -> bool:
    """Whether one point's spread agrees with the others' pooled (a two-sided F test)."""
    df = sum(len(o) - 1 for o in others)
    if df == 0:
        return False
    own, rest = _squares(values) / (len(values) - 1), sum(_squares(o) for o in others) / df
    if rest == 0:
        return own == 0
    p = f_cdf(own / rest, len(values) - 1, df)
    return POOL_GUARD / 2 <= p <= 1 - POOL_GUARD / 2


def _squares(values: list[float]) -> float:
    mean = statistics.fmean(values)
    return sum((v - mean) ** 2 for v in values)


def _logs(original: PointSummary, copy: PointSummary, metric: str) -> list[float]:
    """The copy's figure over the original's, one log ratio a round both were measured in."""
    a, b = copy.value(metric), original.value(metric)
    if a is None or b is None:
        return []
    rounds, ours, theirs = sorted(set(a.by_round) & set(b.by_round)), a.by_round, b.by_round
    return [math.log(ours[r] / theirs[r]) for r in rounds if ours[r] > 0 and theirs[r] > 0]
