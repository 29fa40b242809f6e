"""Statistics over trials: each point's median with its min and max, apart from presentation."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count

from framematrix.servers.candidates import configuration
from framematrix.trials import TrialPoint, TrialResult


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    n: int
    values: tuple[float, ...] = ()
    """The trials' figures themselves, for confidence intervals (`results.statistics`)."""
    rounds: tuple[int, ...] = ()
    """The round of each of `values` (its trial number): figures of one round are paired."""

    @classmethod
    def of(
        cls, values: Iterable[float | None], rounds: Iterable[int] | None = None
    ) -> Spread | None:
        pairs = [(v, r) for v, r in zip(values, rounds or count(), strict=False) if v is not None]
        if not pairs:
            return None
        found = [v for v, _ in pairs]
        return cls(
            statistics.median(found),
            min(found),
            max(found),
            len(found),
            tuple(found),
            tuple(r for _, r in pairs),
        )

    @property
    def by_round(self) -> dict[int, float]:
        """Each round's figure (a round measured twice keeps its last)."""
        return dict(zip(self.rounds or range(len(self.values)), self.values, strict=True))

    @property
    def relative_spread(self) -> float:
        """(max - min) / median: how far apart the trials landed."""
        return (self.high - self.low) / self.median if self.median else 0.0


def ratio(a: Spread, b: Spread) -> Spread:
    """a / b, with the range of ratios the two sets of trials allow (low/high and high/low)."""
    low = a.low / b.high if b.high else 0.0
    high = a.high / b.low if b.low else float("inf")
    return Spread(a.median / b.median if b.median else 0.0, low, high, min(a.n, b.n))


@dataclass(frozen=True)
class PointSummary:
    """All trials of one point."""

    point: TrialPoint
    trials: int
    failed: int
    errors: int
    rps: Spread | None
    p50_ms: Spread | None
    p95_ms: Spread | None
    p99_ms: Spread | None
    pss_mb: Spread | None
    uss_per_worker_mb: Spread | None
    cpu_s_per_1k: Spread | None
    warnings: tuple[str, ...]
    requests: int = 0
    """Responses over all its trials, failed ones included: the base of `error_share`."""
    pss_peak_mb: Spread | None = None
    workers_pss_mb: Spread | None = None
    supervisor_pss_mb: Spread | None = None
    workers: int | None = None
    """The server's worker count (the same in every trial of a point)."""
    not_applicable: str | None = None
    """Why nothing was measured, when the contestant lacks the scenario's part of the contract."""
    saturated: int = 0
    """Trials in which the load engine was near saturation: the engine may have been the limit."""
    slow: str | None = None
    """The point is slower than its window (`TrialResult.slow`): what its slowest trial says."""
    configuration: str | None = None
    """The server and its counts as its trials ran (`servers.candidates.configuration`:
    `gunicorn-gevent w1 c1000`); None for a server framematrix did not start."""

    @property
    def error_share(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    def value(self, metric: str) -> Spread | None:
        """One of the figures by its field name (`rps`, `p95_ms`, `pss_mb`, ...)."""
        spread: Spread | None = getattr(self, metric)
        return spread


def _spread(
    trials: list[TrialResult], value: Callable[[TrialResult], float | None]
) -> Spread | None:
    return Spread.of((value(t) for t in trials), (t.spec.trial for t in trials))


def by_point(results: Iterable[TrialResult]) -> dict[TrialPoint, list[TrialResult]]:
    """The trials of each point, points in the order they first appear."""
    groups: dict[TrialPoint, list[TrialResult]] = defaultdict(list)
    for result in results:
        groups[result.point].append(result)
    return dict(groups)


def summarise_point(point: TrialPoint, group: list[TrialResult]) -> PointSummary:
    """One point's summary; failed trials are counted, not averaged in."""
    good = [t for t in group if t.ok]
    lacking = [t for t in group if not t.applicable]
    return PointSummary(
        point=point,
        trials=len(group) - len(lacking),
        failed=len(group) - len(good) - len(lacking),
        errors=sum(t.errors for t in group),
        rps=_spread(good, lambda t: t.rps),
        p50_ms=_spread(good, lambda t: t.latency_ms.get("p50")),
        p95_ms=_spread(good, lambda t: t.latency_ms.get("p95")),
        p99_ms=_spread(good, lambda t: t.latency_ms.get("p99")),
        pss_mb=_spread(good, lambda t: t.server_pss_mb),
        uss_per_worker_mb=_spread(good, lambda t: t.uss_per_worker_mb),
        cpu_s_per_1k=_spread(good, lambda t: t.server_cpu_s_per_1k),
        warnings=tuple(dict.fromkeys(w for t in group for w in t.warnings)),
        requests=sum(t.requests for t in group),
        pss_peak_mb=_spread(good, lambda t: t.server_pss_peak_mb),
        workers_pss_mb=_spread(good, lambda t: t.workers_pss_mb),
        supervisor_pss_mb=_spread(good, lambda t: t.supervisor_pss_mb),
        workers=next((t.workers for t in group if t.workers is not None), None),
        not_applicable=lacking[0].reason if lacking and len(lacking) == len(group) else None,
        saturated=sum(t.engine_saturated for t in good),
        slow=next((w for t in good if t.slow for w in t.warnings if w.startswith("slower")), None),
        configuration=next(
            (configuration(t.server_config) for t in group if t.server_config), None
        ),
    )


def summarise(results: Iterable[TrialResult]) -> list[PointSummary]:
    """One summary per point, in the order points first appear."""
    return [summarise_point(point, group) for point, group in by_point(results).items()]
