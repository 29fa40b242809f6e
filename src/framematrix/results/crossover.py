"""A crossover map: each contestant's req/s against one parameter of a described workload
(`calls=0..4`), and where the lines cross, judged the way verdicts are.

A run holds a series wherever it measured described workloads (`scenarios.workload`) that
differ in one parameter only, at one load (`bench --workload calls=0..4`, `sweep --workload`).
Each contestant's line is its representative's req/s at each value (`results.reference`): the
median of its trials, with the interval of its figure (`statistics.median`). Two contestants'
order at a value is the claims' rule: the interval of their req/s ratio from paired rounds
(`statistics.ratio`) against the run's tie zone at that load point (its A/A control's reach,
never under 5%: `results.control`). A crossing is claimed only between two values where the
order is decided both sides and the other way round; elsewhere the words say "within the noise"
where the two were told level, and "not told apart" where they were not told anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import combinations, pairwise
from typing import Any, Literal

from framematrix.results.control import Noise
from framematrix.results.reference import ByLoad
from framematrix.results.run_summary import RunSummary
from framematrix.results.statistics import (
    MAX_ERROR_SHARE,
    MIN_ROUNDS,
    Interval,
    bounds,
    lead,
    median,
    rounded,
)
from framematrix.results.summary import PointSummary, Spread
from framematrix.scenarios.workload import LETTERS, WorkSpec, from_name
from framematrix.trials import LoadPoint

Order = Literal["a", "b", "equal", "undecided", "unknown"]
"""Two contestants at one value: a ahead or b ahead (their ratio's interval beyond the tie
zone), inside the zone, not told apart yet (straddling an edge), or no interval at all (fewer
than `MIN_ROUNDS` good rounds on both sides, a side with errors, or a run too noisy to judge)."""


@dataclass(frozen=True)
class Mark:
    """One contestant at one value of the parameter."""

    value: int
    scenario: str
    rps: Spread | None
    """None where it had no good trial, or answered too many requests with errors."""
    interval: Interval | None
    """The interval of its req/s (`statistics.median`); None under `MIN_ROUNDS` trials."""


@dataclass(frozen=True)
class Step:
    """Two contestants at one value: a's req/s over b's and what it decides."""

    value: int
    order: Order
    interval: Interval | None
    tie: float

    def record(self) -> dict[str, Any]:
        found = self.interval
        return {
            "value": self.value,
            "order": self.order,
            "ratio": rounded(found.estimate) if found else None,
            "interval": bounds(found),
            "tie": rounded(self.tie),
        }


@dataclass(frozen=True)
class Crossing:
    """Where one contestant overtakes another: decided at `low` one way, at `high` the other."""

    before: str
    after: str
    low: int
    high: int

    def says(self, key: str) -> str:
        return f"{self.after} overtakes {self.before} between {key}={self.low} and {self.high}"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    steps: tuple[Step, ...]

    def runs(self) -> list[tuple[str | None, bool, list[int]]]:
        """The values in runs of one leader (None: no leader there), in order, each with
        whether the two were told level (inside the tie zone) rather than not told apart."""
        found: list[tuple[str | None, bool, list[int]]] = []
        for step in self.steps:
            leader = {"a": self.a, "b": self.b}.get(step.order)
            level = step.order == "equal"
            if found and found[-1][:2] == (leader, level):
                found[-1][2].append(step.value)
            else:
                found.append((leader, level, [step.value]))
        return found

    def crossings(self) -> list[Crossing]:
        found, led = [], None
        for leader, _, values in self.runs():
            if leader is None:
                continue
            if led is not None and leader != led[0]:
                found.append(Crossing(led[0], leader, led[1], values[0]))
            led = (leader, values[-1])
        return found

    def says(self, key: str) -> str:
        """`fastapi ahead of flask at calls=0..1; flask overtakes fastapi between calls=1 and
        3; within the noise from calls=4 on` ("not told apart" where an interval straddles the
        tie zone's edge or too few rounds were good: level is not known there)."""
        runs = self.runs()
        parts: list[str] = []
        led: tuple[str, int] | None = None
        for index, (leader, level, values) in enumerate(runs):
            at = _span(key, values)
            if leader is None:
                how = "within the noise" if level else "not told apart"
                if index == 0:
                    parts.append(f"{self.a} and {self.b} {how} at {at}")
                elif index == len(runs) - 1:
                    parts.append(f"{how} from {key}={values[0]} on")
                else:
                    parts.append(f"{how} at {at}")
                continue
            if led is None:
                other = self.b if leader == self.a else self.a
                parts.append(f"{leader} ahead of {other} at {at}")
            elif leader != led[0]:
                parts.append(Crossing(led[0], leader, led[1], values[0]).says(key))
            else:
                parts.append(f"{leader} ahead again at {at}")
            led = (leader, values[-1])
        return "; ".join(parts)

    def record(self, key: str) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "orders": [step.record() for step in self.steps],
            "crossings": [
                {"from": c.before, "to": c.after, "between": [c.low, c.high]}
                for c in self.crossings()
            ],
            "says": self.says(key),
        }


@dataclass(frozen=True)
class CrossoverMap:
    """Every contestant's req/s against one parameter, at one load, under one tuning."""

    key: str
    """The parameter swept (`calls`, `compute_ms`, ...)."""
    base: WorkSpec
    """The workload's other parameters (the swept one at 0)."""
    load: LoadPoint
    """Where every value was measured (its scenario left empty)."""
    tuning: str
    level: float
    lines: Mapping[str, tuple[Mark, ...]]
    pairs: tuple[Pair, ...]
    notes: tuple[str, ...] = ()
    """Why some order could not be judged (a run too noisy, a side with errors)."""

    @property
    def values(self) -> list[int]:
        return sorted({mark.value for marks in self.lines.values() for mark in marks})

    @property
    def spec(self) -> str:
        """The series as `--workload` takes it: `queries=3,calls=0..4` (`/step` when even)."""
        values = self.values
        steps = {high - low for low, high in pairwise(values)}
        step = f"/{steps.pop()}" if len(steps) == 1 and min(steps) > 1 else ""
        fixed = [f"{k}={v}" for k, v in self.base.asked().items() if v and k != self.key]
        return ",".join([*fixed, f"{self.key}={values[0]}..{values[-1]}{step}"])

    def crossings(self) -> list[Crossing]:
        return [c for pair in self.pairs for c in pair.crossings()]

    def headline(self) -> str:
        """Where lines cross, in words; or that none was told apart from the noise."""
        found = self.crossings()
        if found:
            return "; ".join(c.says(self.key) for c in found)
        low, high = self.values[0], self.values[-1]
        return f"no crossing told apart from the noise between {self.key}={low} and {high}"

    def says(self) -> list[str]:
        """Each pair's order along the parameter."""
        return [pair.says(self.key) for pair in self.pairs]

    def record(self) -> dict[str, Any]:
        """The map for `--json` and the JSON report (README, "Output for programs")."""
        return {
            "parameter": self.key,
            "workload": self.spec,
            "values": self.values,
            "load": self.load.label,
            "db": self.load.db,
            "engine": self.load.engine,
            "concurrency": self.load.concurrency,
            "rate": self.load.rate,
            "tuning": self.tuning,
            "level": self.level,
            "says": self.headline(),
            "lines": [
                {"contestant": who, "points": [_mark(m) for m in marks]}
                for who, marks in self.lines.items()
            ],
            "pairs": [pair.record(self.key) for pair in self.pairs],
            "notes": list(self.notes),
        }


def maps(summary: RunSummary) -> list[CrossoverMap]:
    """Every series the run measured, under each rule it was judged by (`RunSummary.rules`),
    in the order first measured."""
    found = []
    for rule, loads in (summary.rules or {"": summary.loads}).items():
        for (key, base, load), values in _series(loads).items():
            found.append(_map(key, base, load, values, loads, summary.noise, rule))
    return found


def _series(loads: ByLoad) -> dict[tuple[str, WorkSpec, LoadPoint], dict[int, LoadPoint]]:
    """(parameter, the other parameters, the load) -> its load point at each value, where a
    parameter took at least two values with everything else alike."""
    grouped: dict[tuple[str, WorkSpec, LoadPoint], dict[int, LoadPoint]] = defaultdict(dict)
    for at in loads:
        spec = from_name(at.scenario)
        if spec is None:
            continue
        for key in LETTERS:
            base = replace(spec, **{key: 0})
            grouped[(key, base, replace(at, scenario=""))][getattr(spec, key)] = at
    return {
        series: dict(sorted(values.items()))
        for series, values in grouped.items()
        if len(values) > 1
    }


def _map(
    key: str,
    base: WorkSpec,
    load: LoadPoint,
    values: Mapping[int, LoadPoint],
    loads: ByLoad,
    noise: Noise,
    rule: str,
) -> CrossoverMap:
    notes = []
    if noise.too_noisy:
        notes.append(
            "the run's A/A control came out apart (its noise alone made a difference): no "
            "order is judged"
        )
    figures: dict[str, dict[int, PointSummary | None]] = defaultdict(dict)
    for value, at in values.items():
        for s in loads[at].values():
            why = s.slow
            if why is None and s.error_share > MAX_ERROR_SHARE:
                why = f"answered {s.error_share:.1%} of its requests with errors"
            if why:
                notes.append(f"{s.point.who} {why} at {key}={value}: left out there")
            figures[s.point.who][value] = None if why else s
    lines = {
        who: tuple(
            _marked(value, at, found.get(value), noise.level) for value, at in values.items()
        )
        for who, found in figures.items()
        if any(s is not None and s.rps is not None for s in found.values())
    }
    thin = [m.value for marks in lines.values() for m in marks if m.rps and m.rps.n < MIN_ROUNDS]
    if thin:
        notes.append(
            f"fewer than {MIN_ROUNDS} good trials at {_span(key, sorted(set(thin)), listed=True)}:"
            " no order is judged there (give more --trials)"
        )
    ats = list(values.values())
    pairs = tuple(
        Pair(a, b, tuple(_step(lines[a][i], lines[b][i], at, noise) for i, at in enumerate(ats)))
        for a, b in combinations(lines, 2)
    )
    tunings = {s.point.tuning for at in ats for s in loads[at].values()}
    tuning = rule or ",".join(sorted(tunings))
    return CrossoverMap(key, base, load, tuning, noise.level, lines, pairs, tuple(notes))


def _marked(value: int, at: LoadPoint, s: PointSummary | None, level: float) -> Mark:
    rps = s.rps if s else None
    return Mark(value, at.scenario, rps, median(rps.values, level) if rps else None)


def _step(a: Mark, b: Mark, at: LoadPoint, noise: Noise) -> Step:
    tie = noise.tie(at)
    if a.rps is None or b.rps is None:
        return Step(a.value, "unknown", None, tie)
    order, interval = lead(a.rps.by_round, b.rps.by_round, tie, noise.level)
    if interval is None or noise.too_noisy:
        return Step(a.value, "unknown", interval, tie)
    return Step(a.value, order, interval, tie)


def _span(key: str, values: list[int], listed: bool = False) -> str:
    """`calls=1..3` for consecutive values of a series (`listed`: any values, `calls=1,3`)."""
    if listed:
        return f"{key}={','.join(str(v) for v in values)}"
    return f"{key}={values[0]}" + (f"..{values[-1]}" if len(values) > 1 else "")


def _mark(mark: Mark) -> dict[str, Any]:
    rps, interval = mark.rps, mark.interval
    figure = None
    if rps:
        figure = {
            "median": rounded(rps.median),
            "low": rounded(rps.low),
            "high": rounded(rps.high),
            "n": rps.n,
        }
    return {
        "value": mark.value,
        "scenario": mark.scenario,
        "rps": figure,
        "interval": bounds(interval),
    }
