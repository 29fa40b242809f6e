"""A concurrency sweep, and where each contestant's curve bends: its knee.

A sweep is a run like any other whose load points are a geometric series of concurrencies
(1, 2, 4, ... 1024). The knee of a contestant is the highest concurrency at which its
throughput still grew by more than `GROWTH` over the step before and its p99 stayed under the
target: past it, more connections only queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from framematrix.errors import FramematrixError
from framematrix.results.summary import PointSummary
from framematrix.trials import TrialPoint

GROWTH = 0.10
"""Throughput must grow by more than this share per step to count as still growing."""
P99_TARGET_MS = 1000.0


def concurrencies(low: int, high: int, factor: int = 2) -> tuple[int, ...]:
    """`low`, `low * factor`, ... up to `high` (included, even off the series)."""
    if low < 1 or high < low or factor < 2:
        raise FramematrixError(
            f"a sweep needs 1 <= --from <= --to and a factor of 2 or more, not {low}..{high}"
        )
    found = [low]
    while found[-1] * factor <= high:
        found.append(found[-1] * factor)
    if found[-1] != high:
        found.append(high)
    return tuple(found)


@dataclass(frozen=True)
class Knee:
    contestant: str
    scenario: str
    concurrency: int | None
    """The knee; None when even the lowest concurrency broke the p99 target."""
    peak_rps: float
    peak_at: int
    p99_ms: float | None
    """At the knee."""
    why: str

    def record(self) -> dict[str, object]:
        return dict(vars(self))


def curve_of(point: TrialPoint) -> TrialPoint:
    """The curve a point lies on: its identity but its concurrency."""
    return replace(point, at=replace(point.at, concurrency=None))


def curves(summaries: Iterable[PointSummary]) -> dict[TrialPoint, list[PointSummary]]:
    """Each curve (`curve_of`) -> its closed-loop points by concurrency, where it had a good
    trial."""
    found: dict[TrialPoint, list[PointSummary]] = defaultdict(list)
    for s in summaries:
        if s.point.at.concurrency is not None and s.rps is not None:
            found[curve_of(s.point)].append(s)
    return {
        key: sorted(points, key=lambda s: s.point.at.concurrency or 0)
        for key, points in found.items()
        if len(points) > 1
    }


def knee(
    points: list[PointSummary], target_ms: float = P99_TARGET_MS, growth: float = GROWTH
) -> Knee:
    """The knee of one curve (points sorted by concurrency)."""
    first = points[0]
    assert first.rps is not None
    peak = max(points, key=lambda s: s.rps.median if s.rps else 0.0)
    assert peak.rps is not None
    at: PointSummary | None = None
    why = ""
    for before, s in zip([None, *points], points, strict=False):
        p99 = s.p99_ms.median if s.p99_ms else None
        if p99 is None or p99 > target_ms:
            why = f"p99 {p99 or 0:,.0f} ms over {target_ms:,.0f} ms at c={s.point.at.concurrency}"
            break
        if before is not None and before.rps and s.rps:
            gained = s.rps.median / before.rps.median - 1
            if gained <= growth:
                why = (
                    f"throughput grew {gained:+.0%} from c={before.point.at.concurrency} to "
                    f"c={s.point.at.concurrency}"
                )
                break
        at = s
    else:
        why = "still growing at the highest concurrency swept"
    return Knee(
        contestant=first.point.who,
        scenario=first.point.at.scenario,
        concurrency=at.point.at.concurrency if at else None,
        peak_rps=round(peak.rps.median, 1),
        peak_at=peak.point.at.concurrency or 0,
        p99_ms=round(at.p99_ms.median, 1) if at and at.p99_ms else None,
        why=why,
    )


def knees(
    summaries: Iterable[PointSummary], target_ms: float = P99_TARGET_MS, growth: float = GROWTH
) -> list[Knee]:
    return [knee(points, target_ms, growth) for points in curves(summaries).values()]
