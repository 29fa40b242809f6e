"""Frameworks beyond the article: ranked only with `--include`, on measured ratings and
framematrix's own, never an article source."""

from __future__ import annotations

import json

import pytest

from framematrix.decide import engine, evidence, knowledge, questions
from framematrix.errors import FramematrixError

from .conftest import WriteRun
from .helpers import cli
from .runs import CONTRADICTING, contradicting_trials

BEYOND = ("litestar", "django-ninja")


def test_the_article_three_are_ranked_by_default() -> None:
    decision = engine.decide(questions.resolve({}))
    assert sorted(decision.scored.ranking) == ["django", "fastapi", "flask"]


def test_included_frameworks_rest_on_framematrix_ratings_without_a_run() -> None:
    kb = knowledge.load().including(BEYOND)
    decision = engine.decide(questions.resolve({"workload": "database"}), None, kb)
    assert set(decision.scored.ranking) == {"django", "fastapi", "flask", *BEYOND}
    for name in BEYOND:
        for key in kb.criteria:
            rating = decision.rating(key, name)
            assert rating.kind == "framematrix", (name, key, rating)
            assert rating.source.startswith("framematrix: "), (name, key)
            assert "article §" not in rating.source, (name, key)
    assert {p.framework for p in decision.plans} == {"django", "fastapi", "flask"}
    # The article's three keep exactly the ratings they have without the others.
    alone = engine.decide(questions.resolve({"workload": "database"}))
    for key in kb.criteria:
        for name in ("django", "fastapi", "flask"):
            assert decision.rating(key, name) == alone.rating(key, name), (key, name)


def test_a_run_that_measured_one_gives_it_measured_ratings(write_run: WriteRun) -> None:
    figures = {**CONTRADICTING, "litestar": (2500.0, 25.0, 90.0, 0.35)}
    kb = knowledge.load().including(BEYOND)
    run = evidence.load(write_run(contradicting_trials("crud", figures)), kb)
    decision = engine.decide(questions.resolve({"workload": "database"}), run, kb)
    measured = decision.rating("runtime_performance", "litestar")
    assert measured.kind == "measured" and measured.value == pytest.approx(2500.0)
    assert decision.rating("runtime_performance", "flask").score == 5.0  # still the fastest
    # django-ninja was not in the run: its neutral framematrix rating stays, saying so.
    unmeasured = decision.rating("runtime_performance", "django-ninja")
    assert unmeasured.kind == "framematrix" and "not measured" in unmeasured.source
    assert "litestar" in {p.framework for p in decision.plans}


def test_an_unknown_name_is_one_clear_line() -> None:
    with pytest.raises(FramematrixError, match="cannot include nope; beyond the article"):
        knowledge.load().including(("nope",))
    done = cli("decide", "--no-run", "--include", "litestar,nope")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot include nope" in done.stderr


def test_the_cli_includes_them_in_its_json() -> None:
    done = cli("decide", "--no-run", "--json", "--include", "litestar,django-ninja")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {row["framework"] for row in data["ranking"]} >= set(BEYOND)
    assert data["kind"]["litestar"]["admin_panel"] == "framematrix"
