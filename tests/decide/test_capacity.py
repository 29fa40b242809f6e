"""Capacity and cost against cases worked out by hand."""

from __future__ import annotations

import pytest

from framematrix.decide import capacity
from framematrix.decide.knowledge import load

KB = load()


def basis(**fields: object) -> capacity.Basis:
    values: dict[str, object] = dict(
        source="hand",
        rps=1200.0,
        p95_ms=80.0,
        concurrency=32,
        rps_per_core=800.0,
        rps_per_worker=600.0,
        base_mb=70.0,
        per_worker_mb=40.0,
    )
    values.update(fields)
    return capacity.Basis(**values)  # type: ignore[arg-type]


def test_measured_case_by_hand() -> None:
    # cores   = ceil(1000 / (800 * 0.7)) = ceil(1.786) = 2
    # workers = ceil(1000 / (600 * 0.7)) = ceil(2.381) = 3
    # memory  = 70 + 40 * 3 = 190 MB; cost = 2 * 20 + 190 / 1024 * 4 = 40.7421875
    plan = capacity.plan("django", basis(), 1000, 100, 20, 4)
    assert (plan.cores, plan.workers) == (2, 3)
    assert plan.memory_mb == pytest.approx(190.0)
    assert plan.monthly_usd == pytest.approx(40.7421875)
    assert plan.meets_p95 is True
    assert (plan.article_usd_per_month, plan.article_workers) == (80, 4)


def test_exact_fit_does_not_round_up() -> None:
    # 560 / (800 * 0.7) is exactly 1 core; 560 / (600 * 0.7) = 1.33 -> 2 workers
    plan = capacity.plan("flask", basis(), 560, 100, 10, 0)
    assert plan.cores == 1
    assert plan.workers == 2
    assert plan.monthly_usd == pytest.approx(10.0)


def test_zero_traffic_still_needs_one_of_each() -> None:
    plan = capacity.plan("fastapi", basis(), 0, 100, 20, 4)
    assert (plan.cores, plan.workers) == (1, 1)
    assert plan.memory_mb == pytest.approx(110.0)


def test_p95_over_target_is_flagged() -> None:
    assert capacity.plan("django", basis(p95_ms=120.0), 10, 100, 1, 1).meets_p95 is False
    assert capacity.plan("django", basis(p95_ms=None), 10, 100, 1, 1).meets_p95 is None


def test_article_figures_by_hand() -> None:
    # FastAPI in the article: 2847 req/s on 4 cores -> 711.75 per core (one worker per core);
    # 5000 req/s: ceil(5000 / 498.225) = ceil(10.036) = 11 cores and workers;
    # memory 127 / 4 = 31.75 MB per worker -> 349.25 MB; cost 11 * 10 + 349.25 / 1024 * 2
    plans = {p.framework: p for p in capacity.plans(KB, None, 5000, 40, 10, 2)}
    fastapi = plans["fastapi"]
    assert fastapi.basis.rps_per_core == pytest.approx(711.75)
    assert (fastapi.cores, fastapi.workers) == (11, 11)
    assert fastapi.memory_mb == pytest.approx(349.25)
    assert fastapi.monthly_usd == pytest.approx(110.68212890625)
    assert fastapi.meets_p95 is False  # the article's 45 ms > 40 ms
    assert fastapi.basis.source.startswith("article")
    # Django: 743 / 4 = 185.75 per core; ceil(5000 / 130.025) = ceil(38.45) = 39
    assert plans["django"].cores == 39
    assert {f: (p.article_usd_per_month, p.article_workers) for f, p in plans.items()} == {
        "django": (80, 4),
        "fastapi": (40, 2),
        "flask": (70, 3),
    }


def test_the_model_is_stated() -> None:
    assert "ceil(peak_rps / (rps_per_core * 0.7))" in capacity.MODEL
    assert "memory = base + per_worker * workers" in capacity.MODEL
