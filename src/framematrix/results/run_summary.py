"""A run's trials summarised once, for everything that reads a run's figures: the report, the
claims, the decision engine, the time budget, `compare`, `sweep` and the page.

Each point's summary (`summary.summarise`), the representative of each contestant at each
load point (`reference.by_load`) and the load the run is judged at (`reference.reference_load`)
are computed here and nowhere else, so two readers of one run never disagree on its figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from framematrix.results.reference import ByLoad, by_load, reference_load
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

    @classmethod
    def of(cls, trials: Iterable[TrialResult]) -> RunSummary:
        found = tuple(trials)
        points = tuple(summarise(found))
        loads = by_load(points)
        return cls(found, by_point(found), points, loads, reference_load(loads))

    @classmethod
    def read(cls, run: Run) -> RunSummary:
        """The run's trials as stored now (a run still measuring gains trials: read it again)."""
        return cls.of(run.trials())

    def at(self, load: LoadPoint) -> list[PointSummary]:
        """Every point measured at one load, in the order first measured."""
        return [s for s in self.points if s.point.at == load]
