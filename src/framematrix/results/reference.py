"""Which figures stand for each contestant at a load, and which load a run is judged at.

One rule for the claims, the report's ratios and the decision engine, so that `matrix` and
`decide --run` always judge the same points of a run:

- at each load point, a contestant is represented by its trials under its default server (the
  catalog's first for its interface) with the `equal` tuning, else by the first such point
  measured (a default server under another tuning wins over another server);
- the tuning is a dimension of judging: under one rule (`RULES`: equal settings, each at its
  best, the servers' documented counts) a contestant is represented only by its points of that
  tuning (its default server first), so a run that measured several judges under each
  (`by_rule`);
- the run is judged at the preferred load point among those where the most of the article's
  frameworks have at least `MIN_ROUNDS` good trials (`results.statistics`): the article's own
  scenario first (`crud`, then `list-posts`, ...), closed loop before open loop, the highest
  concurrency or rate;
- the A/A control's copy of a contestant never stands for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from framematrix.contestants.registry import ARTICLE_FRAMEWORKS
from framematrix.results.statistics import MIN_ROUNDS
from framematrix.results.summary import PointSummary
from framematrix.servers import default_server
from framematrix.trials import LoadPoint

SCENARIO_PREFERENCE = ("crud", "list-posts", "read-one", "write", "upstream", "image", "health")
"""`crud` first: it is the article's own benchmark; within a workload, the scenario that is most
of it (`image` before `health` for computing)."""

ByLoad = dict[LoadPoint, dict[str, PointSummary]]
RULES = {
    "equal": "under equal settings",
    "best": "each at its best",
    "docs": "as each server's docs count",
}
"""How a verdict names the tuning it was judged under (`servers.TUNINGS`)."""


def by_load(summaries: Iterable[PointSummary], tuning: str | None = None) -> ByLoad:
    """Per load point (in the order first measured), each contestant's representative summary;
    the A/A control's copy never represents its contestant. With `tuning`, only its points."""
    measured = [s for s in summaries if not s.point.control and tuning in (None, s.point.tuning)]
    chosen: ByLoad = defaultdict(dict)
    for s in sorted(measured, key=_rank):
        chosen[s.point.at].setdefault(s.point.contestant, s)
    return {at: chosen[at] for at in dict.fromkeys(s.point.at for s in measured)}


def _rank(s: PointSummary) -> tuple[bool, bool]:
    """Sort key: the default server first, then the equal tuning (a stable sort keeps the
    measured order among equals)."""
    point = s.point
    default = point.server is not None and point.server == default_server(point.contestant)
    return (not default, point.tuning != "equal")


def by_rule(summaries: Iterable[PointSummary]) -> dict[str, ByLoad]:
    """Each tuning's points by load, for a run that measured more than one (else empty): the
    rules its verdicts are judged under, in `RULES`' order (equal settings first)."""
    found = list(summaries)
    order = list(RULES)
    measured = {s.point.tuning for s in found if s.point.server}
    tunings = sorted(measured, key=lambda t: order.index(t) if t in order else len(order))
    if len(tunings) < 2:
        return {}
    return {tuning: by_load(found, tuning) for tuning in tunings}


def rules_of(loads: ByLoad, rules: Mapping[str, ByLoad]) -> tuple[str, ...]:
    """The rules a run's verdicts were judged under: each of `rules` (`by_rule`), else the
    tuning its representatives ran under (none: a `--url` run)."""
    if rules:
        return tuple(rules)
    tunings = {s.point.tuning for found in loads.values() for s in found.values() if s.point.server}
    return tuple(sorted(tunings))


def preference(at: LoadPoint) -> tuple[object, ...]:
    rank = SCENARIO_PREFERENCE.index(at.scenario) if at.scenario in SCENARIO_PREFERENCE else 99
    return (
        rank,
        at.rate is not None,
        -(at.concurrency or 0),
        -(at.rate or 0),
        at.engine,
        at.db or "",
    )


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
        usable = sum(s is not None and s.n >= MIN_ROUNDS for s in spreads)
        return usable, sum(s is not None for s in spreads)

    most = max(measured(found) for found in loads.values())
    return min((at for at, found in loads.items() if measured(found) == most), key=preference)
