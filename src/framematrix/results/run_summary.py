"""A run's trials summarised once, for everything that reads a run's figures: the report, the
claims, the decision engine, the time budget, `compare`, `sweep` and the page.

Each point's summary (`summary.summarise`), the representative of each contestant at each
load point (`reference.by_load`) and the load the run is judged at (`reference.reference_load`)
are computed here and nowhere else, so two readers of one run never disagree on its figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from framematrix.results.control import Noise
from framematrix.results.reference import ByLoad, by_load, by_rule, reference_load
from framematrix.results.statistics import LEVEL, level_for
from framematrix.results.store import Run
from framematrix.results.summary import PointSummary, by_point, summarise
from framematrix.trials import LoadPoint, TrialPoint, TrialResult


@dataclass(frozen=True)
class RunSummary:
    trials: tuple[TrialResult, ...]
    """Every trial, in the store's order."""
    groups: Mapping[TrialPoint, list[TrialResult]]
    """Each point's trials, points in the order first measured."""
    points: tuple[PointSummary, ...]
    """One summary per point, in the same order."""
    loads: ByLoad
    """Per load point, each contestant's representative summary (`reference.by_load`)."""
    reference: LoadPoint | None
    """The load the run is judged at (`reference.reference_load`); None for a run without a
    trial."""
    noise: Noise = field(default_factory=lambda: Noise({}))
    """The run's A/A control at each load point measured twice, at the run's level."""
    rules: Mapping[str, ByLoad] = field(default_factory=dict)
    """Each tuning's representatives by load, for a run that measured several
    (`reference.by_rule`): its verdicts are judged under each; empty otherwise."""

    @classmethod
    def of(cls, trials: Iterable[TrialResult], level: float = LEVEL) -> RunSummary:
        found = tuple(trials)
        points = tuple(summarise(found))
        loads = by_load(points)
        noise = Noise.of(points, level)
        reference = reference_load(loads)
        return cls(found, by_point(found), points, loads, reference, noise, by_rule(points))

    @classmethod
    def read(cls, run: Run) -> RunSummary:
        """The run's trials as stored now (a run still measuring gains trials: read it again),
        judged at the level its plan's looks allow each (`statistics.level_for`)."""
        looks = int((run.meta().get("plan") or {}).get("looks") or 1)
        return cls.of(run.trials(), level_for(looks))

    def at(self, load: LoadPoint) -> list[PointSummary]:
        """Every point measured at one load, in the order first measured."""
        return [s for s in self.points if s.point.at == load]
