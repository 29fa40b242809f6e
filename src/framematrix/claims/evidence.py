"""What a run shows the judges of its claims: one small interface onto its measured points.

Every run judge (`claims.kinds`) reads the run through `Evidence` and nothing else: the points
by load (each contestant's representative summary, `results.reference.by_load`), narrowed to a
workload group or to the app scenarios, the run's reference point, a contestant's best point,
the contestants' source line counts, and what it measured beside its trials. A change to which
points stand for a run is made here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from framematrix import scenarios
from framematrix.claims.catalog import GROUPS
from framematrix.claims.judge import Best
from framematrix.measure.side import Side
from framematrix.results.control import Noise, Rules
from framematrix.results.reference import ByLoad, preference, reference_load
from framematrix.results.statistics import MAX_ERROR_SHARE, MIN_ROUNDS
from framematrix.results.summary import PointSummary
from framematrix.trials import LoadPoint

Found = Mapping[str, PointSummary]
"""Each contestant's summary at one load point."""


@dataclass(frozen=True)
class Evidence:
    loads: ByLoad
    code: Mapping[str, int] | None = None
    """API source lines of each contestant package (`measure.codesize`), for the code claim."""
    noise: Noise = field(default_factory=lambda: Noise({}))
    """The run's A/A control: its tie zone at each load point, its level, whether it allows
    any verdict (`results.control`)."""
    side: Side | None = None
    """What the run measured beside its trials (`measure.side`): cold start, install footprint,
    test clients; None for a run that measured none."""

    def __bool__(self) -> bool:
        return bool(self.loads)

    def only(self, keep: Callable[[LoadPoint, Found], bool]) -> Evidence:
        kept = {at: found for at, found in self.loads.items() if keep(at, found)}
        return replace(self, loads=kept)

    def rules(self, at: LoadPoint | None = None, metric: str = "rps") -> Rules:
        """The run's rules for `metric` at `at`, or over several points (`Noise.rules`)."""
        return self.noise.rules(at, metric)

    def group(self, name: str) -> Evidence:
        """The points of one workload group (`GROUPS`)."""
        return self.only(lambda at, _: at.scenario in GROUPS[name])

    def over_http(self) -> Evidence:
        return self.only(lambda at, _: scenarios.get(at.scenario).over_http)

    def app(self) -> Evidence:
        """The points that exercise a framework's request path: every workload but `health`."""
        return self.only(
            lambda at, _: at.scenario != "health" and scenarios.get(at.scenario).over_http
        )

    def reference(self, metric: str = "rps") -> tuple[Found, str, Rules]:
        """The run's reference point (`results.reference`), where it is, and its rules for
        `metric`."""
        at = reference_load(self.loads)
        where = at.describe() if at else "no measured point"
        return (self.loads[at] if at else {}), where, self.rules(at, metric)

    def preferred(self, metric: str = "rps") -> tuple[Found, str, Rules]:
        """The most preferred point, whoever was measured there, where it is, its rules for
        `metric`."""
        at = min(self.loads, key=preference)
        return self.loads[at], at.describe(), self.rules(at, metric)

    def reached(self) -> dict[str, str]:
        """Each contestant's configuration at the run's reference point (where most verdicts
        are judged), as its trials ran it: `gunicorn-gevent w1 c1000`."""
        found, _, _ = self.reference()
        return {name: s.configuration for name, s in found.items() if s.configuration}

    def highest_concurrency(self) -> int:
        return max((at.concurrency or 0 for at in self.loads), default=0)

    def best(self, name: str, metric: str) -> Best | None:
        """`name`'s point with the highest median `metric`, among those with few errors and
        enough good trials to judge (`MIN_ROUNDS`)."""
        found = [
            (s, at.describe(), spread.median)
            for at, points in self.loads.items()
            if (s := points.get(name)) is not None
            and (spread := s.value(metric)) is not None
            and spread.n >= MIN_ROUNDS
            and s.error_share <= MAX_ERROR_SHARE
        ]
        top = max(found, key=lambda found: found[2], default=None)
        return (top[0], top[1]) if top else None
