"""The knowledge base: complete, sourced, on the 1..5 scale; scores explained by contributions."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import pytest

from framematrix.decide import adr
from framematrix.decide.engine import decide
from framematrix.decide.evidence import FrameworkEvidence
from framematrix.decide.knowledge import load, ratio_scores
from framematrix.decide.questions import BY_KEY, resolve
from framematrix.decide.scoring import score

KB = load()
REQUIRED = {
    "runtime_performance",
    "memory",
    "time_to_productivity",
    "admin_panel",
    "authentication",
    "orm_migrations",
    "async_support",
    "auto_api_docs",
    "security_defaults",
    "ecosystem_size",
    "team_size_fit",
    "learning_curve",
    "realtime",
    "hosting_cost",
    "maintenance_cost",
}
SOURCE = re.compile(r"^(article § |run |audit )")


def test_every_required_criterion_is_there() -> None:
    assert set(KB.criteria) >= REQUIRED
    assert set(KB.frameworks) == {"django", "fastapi", "flask"}


@pytest.mark.parametrize("team_size", [1, 3, 10, 40])
def test_every_rating_is_sourced_and_on_scale(team_size: int) -> None:
    answers = resolve({"team_size": team_size})
    for criterion in KB.criteria.values():
        for f in KB.order:
            rating = criterion.rating(f, answers.values)
            assert 1.0 <= rating.score <= 5.0, (criterion.key, f)
            assert SOURCE.match(rating.source), (criterion.key, f, rating.source)


def test_measured_criteria_name_evidence_fields() -> None:
    names = {f.name for f in fields(FrameworkEvidence)}
    assert {c.measured for c in KB.criteria.values() if c.measured} <= names


def test_rules_name_real_answers_and_criteria() -> None:
    for rule in KB.rules:
        assert set(rule.when) <= set(BY_KEY) and set(rule.add) <= set(KB.criteria)
        assert rule.why.startswith("article §")


def test_article_figures_become_ratio_scores() -> None:
    hosting = KB.criteria["hosting_cost"].ratings
    assert hosting["fastapi"].score == 5.0
    assert hosting["django"].score == pytest.approx(5 * 40 / 80)
    assert ratio_scores({"a": 10, "b": 1000}, "higher") == {"a": 1.0, "b": 5.0}


def test_team_size_buckets_follow_the_article() -> None:
    fit = KB.criteria["team_size_fit"]
    assert fit.rating("fastapi", {"team_size": 1}).score == 5
    assert fit.rating("flask", {"team_size": 8}).score == 1
    assert fit.rating("flask", {"team_size": 16}).score == 4


def test_contributions_add_up_to_the_score() -> None:
    scored = score(KB, resolve({"app_kind": "web", "needs_admin": True}))
    for f in KB.order:
        assert sum(scored.contributions[f].values()) == pytest.approx(scored.scores[f])
    assert scored.winner == "django"


def test_json_has_the_documented_keys() -> None:
    out = decide(resolve({})).to_json()
    for key in (
        "winner",
        "ranking",
        "tree_path",
        "tree_verdict",
        "matrix_agrees",
        "weights",
        "criteria",
        "contributions",
        "sensitivity",
        "capacity",
        "evidence",
    ):
        assert key in out
    assert out["ranking"][0] == {"framework": out["winner"], "score": out["ranking"][0]["score"]}
    assert out["capacity"]["source"] == "article figures"


def test_decision_record_is_madr() -> None:
    text = adr.render(decide(resolve({"app_kind": "web", "needs_admin": True})), date(2025, 1, 2))
    assert text.startswith('---\nstatus: "proposed"\ndate: 2025-01-02\n')
    for heading in (
        "# Use Django as the Python web framework",
        "## Context and Problem Statement",
        "## Decision Drivers",
        "## Considered Options",
        "## Decision Outcome",
        "### Consequences",
        "## Pros and Cons of the Options",
        "### FastAPI",
        "## More Information",
    ):
        assert f"\n{heading}\n" in text
    assert 'Chosen option: "Django"' in text
    assert "* Good, because admin panel" in text
    assert "article § Performance Benchmarks" in text
