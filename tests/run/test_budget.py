"""The time budget goes where a verdict cannot be told yet, and stops once all are decided."""

from __future__ import annotations

from pathlib import Path

from framematrix.results.run_summary import RunSummary
from framematrix.run import budget
from framematrix.run.plan import BenchPlan
from framematrix.trials import TrialSpec
from support.runs import make_run, trial, trials

PLAN = BenchPlan(contestants=("django", "flask", "fastapi"), scenarios=("crud",),
                 engine="builtin", db_url="sqlite:///x.db", duration_s=1.0,
                 warmup_s=0.0)  # fmt: skip
SETTLED = {"django": 800.0, "flask": 1000.0, "fastapi": 2900.0}
"""Where each framework's further trials land: Flask and Django clearly apart."""


def test_more_trials_go_to_the_undecided_points_until_the_verdict_is_decided(
    tmp_path: Path,
) -> None:
    # Django and Flask overlap: rps-order cannot be told, and only they need more trials.
    run = make_run(tmp_path, [*trials("django", (700, 900)), *trials("flask", (800, 1000)),
                              *trials("fastapi", (2800, 2900))])  # fmt: skip
    asked: list[list[TrialSpec]] = []

    def execute(specs: list[TrialSpec]) -> None:
        asked.append(specs)
        for spec in specs:
            name = spec.point.contestant
            run.save(trial(name, SETTLED[name], index=spec.trial))

    spent = budget.spend(run, PLAN, budget_s=60.0, execute=execute)
    assert asked, "an undecided verdict got more trials"
    assert {spec.point.contestant for spec in asked[0]} == {"django", "flask"}
    assert [spec.trial for spec in asked[0]] == [2, 2]  # numbered after the stored ones
    assert spent.trials == sum(len(specs) for specs in asked) and spent.rounds == len(asked)
    order = next(r for r in budget.judged(RunSummary.read(run)) if r.id == "rps-order")
    assert order.verdict == "holds" and "rps-order" not in spent.undecided
    assert order.trials["django"] == 2 + spent.rounds


def test_no_budget_no_trials_and_a_decided_run_costs_nothing(tmp_path: Path) -> None:
    run = make_run(tmp_path, [*trials("django", (700, 900)), *trials("flask", (800, 1000)),
                              *trials("fastapi", (2800, 2900))])  # fmt: skip
    calls: list[object] = []
    assert budget.spend(run, PLAN, budget_s=0.5, execute=calls.append).trials == 0
    assert calls == []  # half a second buys no round of 1 s trials
    decided = make_run(tmp_path / "b", [*trials("django", (700, 710)),
                                        *trials("flask", (900, 910)),
                                        *trials("fastapi", (2800, 2900))])  # fmt: skip
    assert budget.spend(decided, PLAN, budget_s=60.0, execute=calls.append).rounds == 0
    assert calls == []
