"""The crossover map on runs whose truth is known: lines that cross, lines that merge into the
noise, a difference the run's A/A control calls noise, too few rounds, and which points of a
run make a series."""

from __future__ import annotations

from dataclasses import replace

from framematrix.results import crossover
from framematrix.results.run_summary import RunSummary
from framematrix.trials import TrialResult
from support.runs import trial

JITTER = (1.0, 1.01, 0.99, 1.005, 0.995)
"""Five rounds, each figure within 1% of its level: quiet enough to decide a 10% difference."""


def line(name: str, levels: dict[str, float], jitter: tuple[float, ...] | None = None,
         replica: int = 0) -> list[TrialResult]:  # fmt: skip
    """One trial per round at each scenario, its req/s the level times that round's jitter
    (default: `JITTER`, reversed for Flask, so each round's ratio of the two differs)."""
    jitter = jitter or (JITTER[::-1] if name == "flask" else JITTER)
    found = [trial(name, level * j, scenario=scenario, index=i)
             for scenario, level in levels.items() for i, j in enumerate(jitter)]  # fmt: skip
    if replica:
        found = [replace(t, spec=replace(t.spec, point=replace(t.point, replica=replica)))
                 for t in found]  # fmt: skip
    return found


def at_load(result: TrialResult, concurrency: int) -> TrialResult:
    at = replace(result.point.at, concurrency=concurrency)
    return replace(result, spec=replace(result.spec, point=replace(result.point, at=at)))


def one_map(trials: list[TrialResult]) -> crossover.CrossoverMap:
    (found,) = crossover.maps(RunSummary.of(trials))
    return found


COMPUTE = ("work-0", "work-m10", "work-m20", "work-m30")


def test_lines_that_cross_are_told_where_they_cross() -> None:
    """FastAPI twice Flask at 0 ms, Flask 1.3x FastAPI from 20 ms: the order is decided at 10
    and at 20, the other way round, so the crossing lies between them."""
    fastapi = line("fastapi", dict(zip(COMPUTE, (1000, 600, 300, 200), strict=True)))
    flask = line("flask", dict(zip(COMPUTE, (500, 450, 400, 380), strict=True)))
    found = one_map(fastapi + flask)
    assert found.key == "compute_ms" and found.values == [0, 10, 20, 30]
    assert found.spec == "compute_ms=0..30/10"
    (crossing,) = found.crossings()
    assert (crossing.before, crossing.after, crossing.low, crossing.high) == ("fastapi", "flask",
                                                                             10, 20)  # fmt: skip
    assert found.headline() == "flask overtakes fastapi between compute_ms=10 and 20"
    assert found.says() == [
        "fastapi ahead of flask at compute_ms=0..10; "
        "flask overtakes fastapi between compute_ms=10 and 20"
    ]


def test_a_crossing_through_the_noise_spans_the_values_decided_either_side() -> None:
    fastapi = line("fastapi", dict(zip(COMPUTE, (1000, 500, 300, 200), strict=True)))
    flask = line("flask", dict(zip(COMPUTE, (500, 500, 400, 400), strict=True)))
    (pair,) = one_map(fastapi + flask).pairs
    assert [step.order for step in pair.steps] == ["a", "equal", "b", "b"]
    assert pair.says("compute_ms") == (
        "fastapi ahead of flask at compute_ms=0; within the noise at compute_ms=10; "
        "flask overtakes fastapi between compute_ms=0 and 20"
    )


def test_lines_that_merge_into_the_noise_do_not_cross() -> None:
    """Async ahead while it waits on calls, then as computing grows everyone converges: the
    order is never reversed where it is decided, so no crossing is claimed."""
    fastapi = line("fastapi", dict(zip(COMPUTE, (1000, 460, 300, 200), strict=True)))
    flask = line("flask", dict(zip(COMPUTE, (500, 400, 300, 201), strict=True)))
    found = one_map(fastapi + flask)
    assert found.crossings() == []
    assert found.headline() == "no crossing told apart from the noise between compute_ms=0 and 30"
    assert found.says() == [
        "fastapi ahead of flask at compute_ms=0..10; within the noise from compute_ms=20 on"
    ]


def test_a_reversal_smaller_than_the_noise_is_no_crossing() -> None:
    """Flask 3% ahead at the end: inside the least tie zone (5%), so not a crossing."""
    fastapi = line("fastapi", {"work-0": 1000, "work-c1": 1000, "work-c2": 970})
    flask = line("flask", {"work-0": 800, "work-c1": 980, "work-c2": 1000})
    found = one_map(fastapi + flask)
    assert found.key == "calls" and found.crossings() == []
    assert found.says() == ["fastapi ahead of flask at calls=0; within the noise from calls=1 on"]


def test_the_a_a_control_widens_the_tie_zone_that_judges_a_crossing() -> None:
    """The same 10% reversal: a crossing on a quiet run; on a run whose control's copy wanders
    by 15% round to round (its truth is 1), within the noise."""
    levels = {"work-0": 1000.0, "work-i100": 800.0}
    fastapi = line("fastapi", levels)
    flask = line("flask", {"work-0": 900.0, "work-i100": 880.0})
    quiet = line("fastapi", levels, replica=1)
    assert one_map(fastapi + flask + quiet).headline() == (
        "flask overtakes fastapi between items=0 and 100"
    )
    noisy = line("fastapi", levels, jitter=(1.0, 1.15, 0.87, 1.1, 0.9), replica=1)
    found = one_map(fastapi + flask + noisy)
    assert found.crossings() == [] and "A/A" not in "".join(found.lines)  # the copy is no line
    (pair,) = found.pairs
    assert all(step.tie > 0.05 for step in pair.steps)


def test_too_few_rounds_decide_nothing() -> None:
    fastapi = line("fastapi", {"work-0": 1000, "work-c4": 100}, jitter=(1.0, 1.01))
    flask = line("flask", {"work-0": 100, "work-c4": 1000}, jitter=(1.0, 1.01))
    found = one_map(fastapi + flask)
    assert [step.order for step in found.pairs[0].steps] == ["unknown", "unknown"]
    assert found.says() == ["fastapi and flask not told apart at calls=0..4"]
    assert all(mark.interval is None and mark.rps for mark in found.lines["fastapi"])
    assert found.notes == ("fewer than 3 good trials at calls=0,4: no order is judged there "
                           "(give more --trials)",)  # fmt: skip


def test_a_side_answering_with_errors_is_left_out_and_said() -> None:
    fastapi = line("fastapi", {"work-0": 1000, "work-c1": 1000})
    erring = [replace(t, errors=500) if t.point.at.scenario == "work-c1" else t
              for t in line("flask", {"work-0": 500, "work-c1": 5000})]  # fmt: skip
    found = one_map(fastapi + erring)
    assert [step.order for step in found.pairs[0].steps] == ["a", "unknown"]
    assert found.notes and "flask answered" in found.notes[0] and "calls=1" in found.notes[0]


def test_a_series_is_the_workloads_that_differ_in_one_key_at_one_load() -> None:
    """queries=3,calls=0..2 at c=64 makes one map; another workload, a fixed scenario and
    the same series at another load are not in it."""
    series = {"work-q3": 500.0, "work-q3-c1": 400.0, "work-q3-c2": 300.0}
    elsewhere = [at_load(t, 8) for t in line("django", {"work-q3": 90.0})]
    found = one_map(line("django", series) + line("django", {"work-m5": 100, "crud": 700})
                    + elsewhere)  # fmt: skip
    assert found.spec == "queries=3,calls=0..2" and found.load.concurrency == 64
    assert [mark.scenario for mark in found.lines["django"]] == list(series)
    assert found.pairs == ()  # one contestant: a line, nothing to cross


def test_the_record_keeps_its_keys() -> None:
    fastapi = line("fastapi", dict(zip(COMPUTE, (1000, 600, 300, 200), strict=True)))
    flask = line("flask", dict(zip(COMPUTE, (500, 450, 400, 380), strict=True)))
    record = one_map(fastapi + flask).record()
    assert list(record) == ["parameter", "workload", "values", "load", "db", "engine",
                            "concurrency", "rate", "tuning", "level", "says", "lines", "pairs",
                            "notes"]  # fmt: skip
    assert record["tuning"] == "equal" and record["level"] == 0.95
    (pair,) = record["pairs"]
    assert pair["crossings"] == [{"from": "fastapi", "to": "flask", "between": [10, 20]}]
    assert [o["order"] for o in pair["orders"]] == ["a", "a", "b", "b"]
    point = record["lines"][0]["points"][0]
    assert set(point) == {"value", "scenario", "rps", "interval"}
    assert point["interval"][0] < point["rps"]["median"] < point["interval"][1]
