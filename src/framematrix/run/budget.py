"""Spending a time budget where a verdict is still "cannot tell", with the repeated looks paid
for.

After a run's planned rounds the claims are judged: the first look. Every verdict that cannot be
told only because an interval straddles an edge names the points whose further rounds could
decide it (`claims.undecided`). At each of their load points, `ROUNDS_PER_LOOK` more rounds are
run (every target of the point, the A/A control's copy included, each round in its own order),
and the claims are judged again: the next look. It stops when every verdict is decided, when the
plan's looks are spent, or when the next batch would not fit in the budget.

Each look is another chance of a false verdict, so every look of a run judges at the level that
keeps all of its planned looks together at 95% (Pocock's, `results.statistics.level_for`), read
from the plan: a run with a budget judges more strictly from its first look on, and looking
again does not make a false verdict likelier. Each added trial is stored like the planned ones;
the report says how many trials each verdict rests on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from framematrix import claims
from framematrix.results.run_summary import RunSummary
from framematrix.results.statistics import MAX_LOOKS
from framematrix.results.store import Run
from framematrix.run.plan import SERVER_OVERHEAD_S, BenchPlan
from framematrix.trials import LoadPoint, TrialSpec

ROUNDS_PER_LOOK = 2
"""Rounds added at an undecided point before judging again: one round moves an interval little,
and each look costs level."""
BUDGET_LOOKS = 2
"""The looks a budget may add to the first: with Pocock's level, each costs the first look
some width, so a few batches of rounds serve better than many single ones."""


@dataclass
class Spent:
    """What the budget bought: looks taken, rounds and trials added, claims still undecided."""

    budget_s: float
    looks: int = 1
    rounds: int = 0
    trials: int = 0
    seconds: float = 0.0
    undecided: list[str] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        return {**asdict(self), "seconds": round(self.seconds, 1)}


def looks_within(budget_s: float) -> int:
    """The looks a budget may add to the first one."""
    return min(BUDGET_LOOKS, MAX_LOOKS - 1) if budget_s > 0 else 0


def next_rounds(plan: BenchPlan, summary: RunSummary, loads: list[LoadPoint]) -> list[TrialSpec]:
    """`ROUNDS_PER_LOOK` more rounds at each load point, numbered after its last stored round,
    each in its own order."""
    specs = []
    for at in loads:
        done = [t.spec.trial for t in summary.trials if t.point.at == at]
        first = max(done, default=-1) + 1
        points = plan.points(at.scenario, at)
        for round_ in range(first, first + ROUNDS_PER_LOOK):
            specs += [TrialSpec(p, round_) for p in plan.round_order(points, at, round_)]
    return specs


def judged(summary: RunSummary) -> list[claims.ClaimResult]:
    return claims.evaluate(summary.loads, noise=summary.noise, rules=summary.rules)


def spend(
    run: Run,
    plan: BenchPlan,
    budget_s: float,
    execute: Callable[[list[TrialSpec]], object],
) -> Spent:
    """Add batches of rounds where verdicts cannot be told, within `budget_s` seconds and the
    plan's looks."""
    spent = Spent(budget_s)
    started = time.monotonic()
    per_trial = plan.duration_s + plan.warmup_s + SERVER_OVERHEAD_S
    summary = RunSummary.read(run)
    results = judged(summary)
    while spent.looks < plan.looks:
        loads = list(dict.fromkeys(point.at for point in claims.undecided(results)))
        specs = next_rounds(plan, summary, loads)
        left = budget_s - (time.monotonic() - started)
        if not specs or per_trial * len(specs) > left:
            break
        execute(specs)
        spent.looks += 1
        spent.rounds += ROUNDS_PER_LOOK * len(loads)
        spent.trials += len(specs)
        summary = RunSummary.read(run)  # the batch's trials are stored: read the run again
        results = judged(summary)
    spent.seconds = time.monotonic() - started
    spent.undecided = [r.id for r in results if r.more]
    return spent
