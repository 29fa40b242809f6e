"""How a run's setup differs from the article's: the warm-up as the plan gave it."""

from __future__ import annotations

from framematrix.report.fidelity import differences


def duration_line(plan: dict[str, object]) -> str:
    return next(line for line in differences(plan, {}, []) if line.startswith("duration:"))


def test_the_warm_up_of_later_rounds_is_named_where_the_plan_shortens_it() -> None:
    plan = {"duration_s": 1.0, "warmup_s": 0.5, "trials": 5}
    assert "after 0.5 s warm-up, 5 trials each" in duration_line(plan)
    later = duration_line({**plan, "rewarmup_s": 0.25})
    assert "after 0.5 s (0.25 s from round 2) warm-up, 5 trials each" in later
