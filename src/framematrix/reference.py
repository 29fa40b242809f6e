"""Which figures stand for each contestant at a load, and which load a run is judged at.

One rule for the claims, the report's ratios and the decision engine, so that `matrix` and
`decide --run` always judge the same points of a run:

- at each load point, a contestant is represented by its trials under its default server (the
  registry's first), else under the first server it was measured with;
- the run is judged at the preferred load point among those where the most of the article's
  frameworks have at least `MIN_TRIALS` good trials: the article's own scenario first (`crud`,
  then `list-posts`, ...), closed loop before open loop, the highest concurrency or rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from framematrix.contestants.registry import ARTICLE_FRAMEWORKS
from framematrix.servers import default_server
from framematrix.summary import PointSummary
from framematrix.trials import LoadPoint

MIN_TRIALS = 2
"""Fewer good trials give no spread to judge noise by."""
SCENARIO_PREFERENCE = ("crud", "list-posts", "read-one", "write", "health")
"""`crud` first: it is the article's own benchmark."""

ByLoad = dict[LoadPoint, dict[str, PointSummary]]


def by_load(summaries: Iterable[PointSummary]) -> ByLoad:
    """Per load point (in the order first measured), each contestant's representative summary."""
    chosen: ByLoad = defaultdict(dict)
    for s in summaries:
        found = chosen[s.point.at]
        default = s.point.server is not None and s.point.server == default_server(
            s.point.contestant
        )
        if s.point.contestant in found and not default:
            continue
        found[s.point.contestant] = s
    return dict(chosen)


def preference(at: LoadPoint) -> tuple[object, ...]:
    rank = SCENARIO_PREFERENCE.index(at.scenario) if at.scenario in SCENARIO_PREFERENCE else 99
    return (rank, at.rate is not None, -(at.concurrency or 0), -(at.rate or 0), at.engine,
            at.db or "")  # fmt: skip


def reference_load(
    loads: Mapping[LoadPoint, Mapping[str, PointSummary]],
    names: tuple[str, ...] = ARTICLE_FRAMEWORKS,
) -> LoadPoint | None:
    """The preferred load point among those where the most of `names` have enough good trials
    (then: any good trial)."""
    if not loads:
        return None

    def measured(found: Mapping[str, PointSummary]) -> tuple[int, int]:
        spreads = [found[n].rps if n in found else None for n in names]
        usable = sum(s is not None and s.n >= MIN_TRIALS for s in spreads)
        return usable, sum(s is not None for s in spreads)

    most = max(measured(found) for found in loads.values())
    return min((at for at, found in loads.items() if measured(found) == most), key=preference)
