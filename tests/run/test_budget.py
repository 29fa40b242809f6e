"""The time budget goes where a verdict cannot be told yet, in batches of rounds of every target
of the point, judging again each time at the level the plan's looks allow, and stops once all
are decided or its looks are spent."""

from __future__ import annotations

from pathlib import Path

from framematrix.results.run_summary import RunSummary
from framematrix.results.statistics import level_for
from framematrix.run import budget
from framematrix.run.plan import BenchPlan
from framematrix.trials import TrialSpec
from support.runs import make_run, trial, trials

PLAN = BenchPlan(contestants=("django", "flask", "fastapi"), scenarios=("crud",),
                 engine="builtin", db_url="sqlite:///x.db", duration_s=1.0, warmup_s=0.0,
                 looks=3)  # fmt: skip
SETTLED = {"django": 800.0, "flask": 1000.0, "fastapi": 2900.0}
"""Where each framework's further trials land: Flask and Django clearly apart."""
UNDECIDED = [*trials("django", (700, 900, 800)), *trials("flask", (800, 1000, 860)),
             *trials("fastapi", (2800, 2900, 2850))]  # fmt: skip
"""Flask over Django round by round: 1.14x, 1.11x, 1.08x: rps-order cannot be told yet."""


def test_more_rounds_go_to_the_undecided_points_until_the_verdict_is_decided(
    tmp_path: Path,
) -> None:
    run = make_run(tmp_path, UNDECIDED, looks=PLAN.looks)
    asked: list[list[TrialSpec]] = []

    def execute(specs: list[TrialSpec]) -> None:
        asked.append(specs)
        for spec in specs:
            name = spec.point.contestant
            run.save(trial(name, SETTLED[name] * (1 + spec.trial / 1000), index=spec.trial))

    spent = budget.spend(run, PLAN, budget_s=60.0, execute=execute)
    assert asked, "an undecided verdict got more rounds"
    first = asked[0]
    # A batch is whole rounds of the point: every target in each, numbered after the stored.
    assert sorted((s.trial, s.point.contestant) for s in first) == sorted(
        (r, name) for r in (3, 4) for name in ("django", "flask", "fastapi")
    )
    assert spent.trials == sum(len(specs) for specs in asked)
    assert spent.looks == 1 + len(asked) <= PLAN.looks
    summary = RunSummary.read(run)
    assert summary.noise.level == level_for(PLAN.looks)  # every look at Pocock's level
    order = next(r for r in budget.judged(summary) if r.id == "rps-order")
    assert order.verdict == "holds" and "rps-order" not in spent.undecided
    assert order.trials["django"] == 3 + budget.ROUNDS_PER_LOOK * len(asked)


def test_the_budget_stops_when_its_looks_are_spent(tmp_path: Path) -> None:
    """Rounds that keep Flask and Django overlapping never decide: the plan's looks bound it."""
    run = make_run(tmp_path, UNDECIDED, looks=PLAN.looks)
    asked: list[list[TrialSpec]] = []
    overlapping = {"django": (700.0, 900.0), "flask": (900.0, 700.0), "fastapi": (2900.0,) * 2}

    def execute(specs: list[TrialSpec]) -> None:
        asked.append(specs)
        for spec in specs:
            name = spec.point.contestant
            run.save(trial(name, overlapping[name][spec.trial % 2], index=spec.trial))

    spent = budget.spend(run, PLAN, budget_s=600.0, execute=execute)
    assert len(asked) == PLAN.looks - 1 and spent.looks == PLAN.looks
    assert "rps-order" in spent.undecided


def test_no_budget_no_trials_and_a_decided_run_costs_nothing(tmp_path: Path) -> None:
    run = make_run(tmp_path, UNDECIDED, looks=PLAN.looks)
    calls: list[object] = []
    assert budget.spend(run, PLAN, budget_s=0.5, execute=calls.append).trials == 0
    assert calls == []  # half a second buys no round of 1 s trials
    # The article's own ratios in every round (3.83x, 1.20x): every verdict is decided.
    django = (700.0, 710.0, 705.0)
    decided = make_run(
        tmp_path / "b",
        [
            *trials("django", django),
            *trials("flask", [d * 892 / 743 for d in django]),
            *trials("fastapi", [d * 2847 / 743 for d in django]),
        ],
    )
    assert budget.spend(decided, PLAN, budget_s=60.0, execute=calls.append).looks == 1
    assert calls == []
    assert budget.looks_within(0) == 0 and budget.looks_within(40) == budget.BUDGET_LOOKS
