"""Measured evidence from hand-made run folders: medians per framework, and ratings replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framematrix.decide import capacity, evidence
from framematrix.decide.engine import decide
from framematrix.decide.knowledge import Rating, load
from framematrix.decide.questions import resolve
from framematrix.errors import FramematrixError

from .conftest import WriteRun
from .helpers import cli, trial

KB = load()


def full_run() -> list[dict[str, object]]:
    trials = []
    figures = {
        "django": (400.0, 90.0, 200.0, 60.0, 2.5),
        "fastapi": (1600.0, 25.0, 120.0, 45.0, 0.6),
        "flask": (500.0, 70.0, 150.0, 50.0, 2.0),
    }
    for name, (rps, p95, pss, uss, cpu) in figures.items():
        for i, scale in enumerate((0.9, 1.0, 1.3)):  # medians are the middle trial
            latency = {
                "p50": p95 / 3,
                "p90": p95 * 0.8,
                "p95": p95 * scale,
                "p99": p95 * 2,
                "p999": p95 * 3,
                "max": p95 * 4,
            }
            trials.append(
                trial(
                    name,
                    i,
                    rps=rps * scale,
                    latency_ms=latency,
                    server_pss_mb=pss * scale,
                    uss_per_worker_mb=uss,
                    server_cpu_s_per_1k=cpu * scale,
                    concurrency=64,
                )
            )
            trials.append(trial(name, i, scenario="health", rps=rps * 5, concurrency=64))
            trials.append(trial(name, i, rps=rps / 2, concurrency=16))
        # noise that must be ignored: another server, a failed trial, a baseline
        trials.append(trial(name, 9, server="granian", rps=99999.0, concurrency=64))
        trials.append(trial(name, 8, ok=False, reason="crashed", rps=1.0, concurrency=64))
    trials.append(trial("raw-wsgi", 0, server="gunicorn-gthread", rps=99999.0, concurrency=64))
    trials.append(trial("fastapi-as-published", 0, rps=99999.0, concurrency=64))
    return trials


def test_summary_takes_medians_at_a_shared_point(write_run: WriteRun) -> None:
    run = evidence.load(write_run(full_run()), KB)
    assert run.run_id == "20250101-120000"
    django = run.frameworks["django"]
    at = django.point.at
    assert (at.scenario, at.db, at.concurrency, django.point.server) == (
        "crud",
        "sqlite",
        64,
        "gunicorn-gthread",
    )
    assert django.trials == 3
    assert django.rps == pytest.approx(400.0)
    assert django.p95_ms == pytest.approx(90.0)
    assert django.pss_mb == pytest.approx(200.0)
    assert django.uss_per_worker_mb == pytest.approx(60.0)
    assert django.cpu_s_per_1k == pytest.approx(2.5)
    assert django.workers == 2
    assert run.frameworks["fastapi"].point.server == "uvicorn"
    assert run.frameworks["fastapi"].rps == pytest.approx(1600.0)


def test_run_replaces_measured_ratings(write_run: WriteRun) -> None:
    run = evidence.load(write_run(full_run()), KB)
    kb = evidence.apply(KB, run)
    throughput = kb.criteria["runtime_performance"].ratings
    assert throughput["fastapi"].score == pytest.approx(5.0)
    assert throughput["django"].score == pytest.approx(5.0 * 400 / 1600)
    assert throughput["django"].source.startswith("run 20250101-120000: median of 3 trials")
    latency = kb.criteria["latency"].ratings
    assert latency["flask"].score == pytest.approx(5.0 * 25 / 70)
    cost = kb.criteria["hosting_cost"].ratings
    assert cost["fastapi"].value == pytest.approx(0.6)
    # criteria a run cannot measure keep the article's ratings
    assert kb.criteria["admin_panel"].ratings["django"].source.startswith("article")


def test_capacity_from_the_run(write_run: WriteRun) -> None:
    run = evidence.load(write_run(full_run()), KB)
    d = decide(resolve({"peak_rps": 700, "p95_target_ms": 50}), run)
    plans = {p.framework: p for p in d.plans}
    django = plans["django"]
    # per core 1000 / 2.5 = 400, per worker 400 / 2 = 200; base 200 - 60 * 2 = 80 MB
    assert django.cores == 3  # ceil(700 / 280) = ceil(2.5)
    assert django.workers == 5  # ceil(700 / 140)
    assert django.memory_mb == pytest.approx(80 + 60 * 5)
    assert django.meets_p95 is False and plans["fastapi"].meets_p95 is True
    assert django.basis.source.startswith("run 20250101-120000")


def test_a_framework_missing_from_the_run_keeps_the_article(write_run: WriteRun) -> None:
    trials = [t for t in full_run() if t["contestant"] != "flask"]
    run = evidence.load(write_run(trials), KB)
    assert set(run.frameworks) == {"django", "fastapi"}
    kb = evidence.apply(KB, run)
    assert kb.criteria["runtime_performance"].ratings["django"].source.startswith("article")
    plans = {p.framework: p for p in capacity.plans(kb, run, 100, 100, 20, 4)}
    assert plans["flask"].basis.source.startswith("article")
    assert plans["django"].basis.source.startswith("run")


def test_evidence_comes_from_the_point_the_claims_are_judged_at(write_run: WriteRun) -> None:
    """One rule with the matrix (framematrix.results.reference): a framework measured only elsewhere
    gives no evidence, rather than a figure from a different point."""
    trials = [trial("django", i, scenario="crud") for i in range(2)]
    trials += [trial("fastapi", i, scenario="health") for i in range(2)]
    trials += [trial("flask", i, scenario="crud") for i in range(2)]
    run = evidence.load(write_run(trials), KB)
    assert set(run.frameworks) == {"django", "flask"}
    assert (
        evidence.apply(KB, run)
        .criteria["runtime_performance"]
        .ratings["fastapi"]
        .source.startswith("article")
    )


def test_no_framework_at_all_is_one_clear_error(write_run: WriteRun) -> None:
    with pytest.raises(FramematrixError, match="no successful trial of django, fastapi or flask"):
        evidence.load(write_run([trial("raw-wsgi", 0)]), KB)


def test_run_by_id_under_runs_and_the_latest(
    write_run: WriteRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_run(full_run(), name="r1", root=tmp_path / "runs")
    write_run(full_run(), name="r2", root=tmp_path / "runs")
    monkeypatch.chdir(tmp_path)
    assert evidence.load("r1", KB).run_id == "r1"
    assert evidence.load(None, KB).run_id == "r2"  # the latest, as `results` and `ui` take it
    with pytest.raises(FramematrixError, match="no run 'nope'"):
        evidence.load("nope", KB)


def test_security_seam_falls_back_to_the_article() -> None:
    assert evidence.security_defaults(KB) is KB
    audited = Rating(4.0, "audit in run r: flask, default profile", "measured", 75.0, "r")
    kb = evidence.security_defaults(KB, {"flask": audited})
    ratings = kb.criteria["security_defaults"].ratings
    assert ratings["flask"].score == 4.0 and ratings["flask"].source.startswith("audit")
    assert ratings["flask"].kind == "measured"
    assert ratings["django"].source.startswith("article § Security Comparison")
    assert ratings["django"].kind == "article-opinion"


def test_cli_with_a_run(write_run: WriteRun, tmp_path: Path) -> None:
    run = write_run(full_run())
    answers = tmp_path / "a.yaml"
    answers.write_text("peak_rps: 700\n")
    done = cli("decide", "--answers", str(answers), "--run", str(run), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["evidence"]["run"] == "20250101-120000"
    assert out["evidence"]["frameworks"]["fastapi"]["concurrency"] == 64
    assert out["capacity"]["source"] == "measured run"
    done = cli("decide", "--answers", str(answers), "--run", str(tmp_path / "missing"))
    assert done.returncode == 2 and "no run" in done.stderr
