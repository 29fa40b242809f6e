"""Evidence from a run beyond one point: the workload's points, real time from iot points,
security from the run's audit.json, the latest run by default, and measured noise that makes a
decision too close to call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framematrix.audit import store as audit_store
from framematrix.audit.model import AuditResult, Score
from framematrix.claims import security as security_claims
from framematrix.decide import closeness, engine, evidence, knowledge, questions

from .conftest import WriteRun
from .helpers import cli, trial
from .runs import CONTRADICTING, contradicting_trials

KB = knowledge.load()
SLOW_WAITING = {"django": (100.0, 300.0, 150.0, 1.2), "fastapi": (2000.0, 60.0, 120.0, 0.4),
                "flask": (90.0, 320.0, 140.0, 1.3)}  # fmt: skip


def test_the_workload_picks_the_points(write_run: WriteRun) -> None:
    trials = contradicting_trials("crud") + contradicting_trials("upstream", SLOW_WAITING)
    run = evidence.load(write_run(trials), KB)
    waiting = run.for_workload("services")
    assert waiting.frameworks["fastapi"].point.at.scenario == "upstream"
    assert waiting.frameworks["fastapi"].rps == pytest.approx(2000.0)
    assert "services points (upstream" in waiting.note
    database = run.for_workload("database")
    assert database.frameworks["flask"].rps == pytest.approx(CONTRADICTING["flask"][0])
    compute = run.for_workload("compute")
    assert "no compute points" in compute.note
    services = engine.decide(questions.resolve({"workload": "services", "peak_rps": 800}), run)
    database_decision = engine.decide(questions.resolve({"peak_rps": 800}), run)
    assert services.rating("runtime_performance", "fastapi").score == 5.0
    assert database_decision.rating("runtime_performance", "flask").score == 5.0
    assert services.to_json()["run"]["performance"].startswith("performance from the run's")


def test_realtime_from_the_iot_points(write_run: WriteRun) -> None:
    iot = [trial(name, i, scenario="iot", rps=rps * s, concurrency=500)
           for name, rps in (("django", 4000.0), ("fastapi", 2000.0), ("flask", 1000.0))
           for i, s in enumerate((0.95, 1.0, 1.05))]  # fmt: skip
    run = evidence.load(write_run(contradicting_trials() + iot), KB)
    assert set(run.realtime) == {"django", "fastapi", "flask"}
    decision = engine.decide(questions.resolve({"realtime": True}), run)
    realtime = {f: decision.rating("realtime", f) for f in KB.order}
    assert realtime["django"].score == 5.0 and realtime["django"].kind == "measured"
    assert realtime["flask"].score == pytest.approx(5 * 1000 / 4000)
    assert "readings/s delivered" in realtime["fastapi"].source
    # the iot points never stand for request performance
    assert run.frameworks["django"].point.at.scenario == "crud"
    plain = evidence.load(write_run(contradicting_trials(), name="r2"), KB)
    without = engine.decide(questions.resolve({"realtime": True}), plain)
    assert without.rating("realtime", "fastapi").kind == "article-opinion"


def audit_result(contestant: str, score: int, grade: str) -> AuditResult:
    return AuditResult(
        contestant, "default", "http://127.0.0.1:1", Score(score, grade, score, {}), ()
    )


def test_security_from_the_runs_audit(write_run: WriteRun) -> None:
    folder = write_run(contradicting_trials())
    audited = [audit_result("django", 55, "C"), audit_result("flask", 95, "A"),
               audit_result("raw-wsgi", 10, "F")]  # fmt: skip
    audit_store.save(folder, audited, security_claims.records)
    decision = engine.decide(questions.resolve({}), evidence.load(folder, KB))
    security = {f: decision.rating("security_defaults", f) for f in KB.order}
    assert (security["django"].score, security["flask"].score) == (3.0, 5.0)
    assert security["django"].kind == "measured" and security["django"].run == folder.name
    assert "audit in run" in security["flask"].source
    assert security["fastapi"].kind == "article-opinion"  # not audited: the article's stars
    overruled = decision.overruled
    assert any(o.criterion == "security_defaults" and o.ahead == "flask" for o in overruled)


def test_the_latest_run_by_default_and_no_run(write_run: WriteRun, tmp_path: Path) -> None:
    write_run(contradicting_trials(), name="20250101-000000", root=tmp_path / "runs")
    write_run(contradicting_trials(), name="20250202-000000", root=tmp_path / "runs")
    out = json.loads(cli("decide", "--json", cwd=tmp_path).stdout)
    assert out["run"]["id"] == "20250202-000000"
    assert "the latest under runs/" in out["run"]["note"]
    bare = json.loads(cli("decide", "--json", "--no-run", cwd=tmp_path).stdout)
    assert bare["run"]["id"] is None and "--no-run" in bare["run"]["note"]
    empty = tmp_path / "empty"
    empty.mkdir()
    text = cli("decide", cwd=empty).stdout
    assert "Evidence: no usable run" in " ".join(text.split())


def test_overlapping_trials_are_too_close_to_call(write_run: WriteRun) -> None:
    """FastAPI and Flask measured within each other's min…max on every measured criterion."""
    trials = []
    for name, rps in (("django", 500.0), ("fastapi", 1000.0), ("flask", 990.0)):
        for i, scale in enumerate((0.6, 1.0, 1.4)):
            trials.append(trial(name, i, rps=rps * scale, concurrency=64,
                                server_cpu_s_per_1k=1.0 * scale))  # fmt: skip
    run = evidence.load(write_run(trials), KB)
    answers = questions.resolve(
        {"app_kind": "api", "peak_rps": 2000, "architecture": "microservices"}
    )
    decision = engine.decide(answers, run)
    assert decision.too_close is not None
    assert set(decision.too_close.between) == {"fastapi", "flask"}
    assert decision.too_close.rule == "measurements"
    assert decision.headline() == "Too close to call between FastAPI and Flask"
    assert any("more trials" in line for line in decision.too_close.decide_by)
    assert decision.to_json()["too_close"]["rule_text"] == closeness.RULE


def test_a_clear_decision_is_not_too_close() -> None:
    decision = engine.decide(questions.resolve({"app_kind": "web", "needs_admin": True,
                                                "content_heavy": True}))  # fmt: skip
    total = sum(decision.scored.weights.values())
    assert decision.too_close is None
    assert abs(decision.weight_flips[0].change) / total >= closeness.CLOSE_SHARE
    nothing = engine.decide(questions.resolve({}))  # nothing answered: nothing to call
    assert nothing.too_close is not None and nothing.too_close.rule == "weights"
    assert abs(nothing.weight_flips[0].change) / sum(nothing.scored.weights.values()) < 0.05
