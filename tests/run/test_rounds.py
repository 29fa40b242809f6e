"""Rounds: every target of a load point once per round, the A/A control's copy included, in an
order of the round's own that the run's recorded seed repeats; and a point slower than its
window reported as what it is."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from framematrix.errors import FramematrixError
from framematrix.run.options import BenchOptions
from framematrix.run.plan import BenchPlan
from framematrix.run.validation import build_plan
from support.cli import framematrix

TESTS = Path(__file__).resolve().parents[1]
FIVE = "django,fastapi,flask,raw-wsgi,raw-asgi"


def plan(**options: object) -> BenchPlan:
    given = {"contestants": FIVE, "scenario": "crud,image", "db": "sqlite", "trials": 6}
    return build_plan(BenchOptions(**{**given, **options}))  # type: ignore[arg-type]


def test_every_round_has_every_target_once_and_the_control_copy() -> None:
    built = plan()
    assert built.control == "django"  # the article's reference when measured
    specs = built.specs()
    for at in {spec.point.at for spec in specs}:
        for round_ in range(built.trials):
            points = [s.point for s in specs if s.point.at == at and s.trial == round_]
            assert len(points) == len(set(points)) == 6
            assert sorted(p.who for p in points) == sorted([*FIVE.split(","), "django (A/A)"])


def test_each_round_has_an_order_of_its_own_that_the_seed_repeats() -> None:
    built = plan()
    specs = built.specs()
    orders = {
        tuple(s.point.who for s in specs if s.point.at.scenario == "crud" and s.trial == r)
        for r in range(built.trials)
    }
    assert len(orders) >= 4, "six rounds of six targets: the orders differ"
    assert replace(built).specs() == specs  # the same seed, the same run
    assert replace(built, order_seed=built.order_seed + 1).specs() != specs
    stored = built.to_dict()
    assert stored["order_seed"] == built.order_seed and stored["control"] == "django"
    assert BenchPlan.from_dict(stored).specs() == specs


def test_who_the_control_copies() -> None:
    assert plan(contestants="fastapi,flask").control == "fastapi"  # no Django: the first one
    assert plan(reference="flask").control == "flask"
    assert plan(control=False).control is None
    assert all(not s.point.control for s in plan(control=False).specs())
    with pytest.raises(FramematrixError, match="--reference 'litestar' is not a contestant"):
        plan(reference="litestar")


def test_the_control_runs_on_a_second_server_of_its_own(tmp_path: Path) -> None:
    done = framematrix("bench", "--contestants", "raw-wsgi,raw-asgi", "--scenario", "health",
                       "--concurrency", "2", "--duration", "0.3s", "--warmup", "0s", "--trials",
                       "3", "--engine", "builtin", "--db", "sqlite", "--json", "--out", "runs",
                       cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    trials = json.loads(done.stdout)["trials"]
    copies = [t for t in trials if t["replica"] == 1]
    originals = [t for t in trials if t["contestant"] == "raw-wsgi" and t["replica"] == 0]
    assert len(copies) == len(originals) == 3 and {t["contestant"] for t in copies} == {"raw-wsgi"}
    ports = {t["replica"]: {t["server_config"]["port"]} for t in copies + originals}
    assert ports[0].isdisjoint(ports[1]), "two servers, started on their own"
    meta = json.loads((tmp_path / json.loads(done.stdout)["path"] / "run.json").read_text())
    assert meta["plan"]["control"] == "raw-wsgi" and isinstance(meta["plan"]["order_seed"], int)


def test_a_point_slower_than_its_window_is_no_failed_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every answer takes 2 s and the window is 0.5 s: nothing completes in it. The trial says
    so, with one request timed alone, and counts as no failure."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])
    )
    monkeypatch.setenv("FRAMEMATRIX_TEST_WAIT_S", "2")
    done = framematrix("bench", "--contestants", "waiting", "--scenario", "health",
                       "--concurrency", "2", "--duration", "0.5s", "--warmup", "0s", "--trials",
                       "1", "--engine", "builtin", "--db", "sqlite", "--no-control", "--json",
                       "--out", "runs", cwd=tmp_path, module="support.waiting")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)["trials"]
    assert result["ok"] is True and result["reason"] is None
    assert result["slow"]["window_s"] == 0.5
    assert 1500 <= result["slow"]["one_request_ms"] <= 20_000
    assert any(w.startswith("slower than one request per 0.5 s") for w in result["warnings"])


def test_without_a_search_a_workload_is_measured_under_one_rule() -> None:
    """The default `matrix`: each at its best where every target's best is cached, else equal."""
    from framematrix.run.plan import best_key

    built = replace(
        plan(contestants="django,flask", scenario="crud", tuning="equal,best"), search=False
    )
    at = built.loads("crud")[0]
    assert {p.tuning for p in built.points("crud", at)} == {"equal"}
    config = {"server": "gunicorn-gthread", "workers": 1, "threads": 4}
    cached = {best_key(name, "database"): config for name in ("django", "flask")}
    both = replace(built, best=cached)
    assert {p.tuning for p in both.points("crud", at)} == {"best"}
    half = replace(built, best={best_key("django", "database"): config})
    assert {p.tuning for p in half.points("crud", at)} == {"equal"}
