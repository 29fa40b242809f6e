"""Spending a time budget where a verdict is still "cannot tell".

After a run's planned trials, the claims are judged; every verdict that cannot be told only
because an interval straddles its edge names the points whose further trials could decide it
(`claims.undecided`). One more trial of each such point is run (interleaved, like any round),
the claims are judged again, and so on until every verdict is decided or the next round would
not fit in the budget. Each added trial is stored like the planned ones; the report says how
many trials each verdict rests on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from framematrix import claims
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import Run
from framematrix.run.plan import SERVER_OVERHEAD_S, BenchPlan
from framematrix.trials import TrialPoint, TrialSpec

MAX_ROUNDS = 20


@dataclass
class Spent:
    """What the budget bought: rounds run, trials added, and the claims still undecided."""

    budget_s: float
    rounds: int = 0
    trials: int = 0
    seconds: float = 0.0
    undecided: list[str] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        return {
            "budget_s": self.budget_s,
            "rounds": self.rounds,
            "trials": self.trials,
            "seconds": round(self.seconds, 1),
            "undecided": self.undecided,
        }


def next_trials(summary: RunSummary, points: list[TrialPoint]) -> list[TrialSpec]:
    """One more repetition of each point, numbered after the ones already stored."""
    last = {point: max(t.spec.trial for t in group) for point, group in summary.groups.items()}
    return [TrialSpec(point, last.get(point, -1) + 1) for point in points]


def judged(summary: RunSummary) -> list[claims.ClaimResult]:
    return claims.evaluate(summary.loads)


def spend(
    run: Run,
    plan: BenchPlan,
    budget_s: float,
    execute: Callable[[list[TrialSpec]], object],
) -> Spent:
    """Add rounds of trials where verdicts cannot be told, within `budget_s` seconds."""
    spent = Spent(budget_s)
    started = time.monotonic()
    per_trial = plan.duration_s + plan.warmup_s + SERVER_OVERHEAD_S
    summary = RunSummary.read(run)
    results = judged(summary)
    while spent.rounds < MAX_ROUNDS:
        points = claims.undecided(results)
        left = budget_s - (time.monotonic() - started)
        if not points or per_trial * len(points) > left:
            break
        specs = next_trials(summary, points)
        execute(specs)
        spent.rounds += 1
        spent.trials += len(specs)
        summary = RunSummary.read(run)  # the round's trials are stored: read the run again
        results = judged(summary)
    spent.seconds = time.monotonic() - started
    spent.undecided = [r.id for r in results if r.more]
    return spent
