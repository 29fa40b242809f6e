"""The knowledge base: complete, sourced, on the 1..5 scale; scores explained by contributions."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import pytest

from framematrix.decide import adr
from framematrix.decide.engine import decide
from framematrix.decide.evidence import FrameworkEvidence
from framematrix.decide.knowledge import KINDS, load, ratio_scores
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
SOURCE = re.compile(r"^(article § |run |audit |framematrix: )")


def test_every_required_criterion_is_there() -> None:
    assert set(KB.criteria) >= REQUIRED
    assert set(KB.frameworks) == {"django", "fastapi", "flask"}


@pytest.mark.parametrize(
    "given",
    [{"team_size": 1}, {"team_size": 3, "existing_app": "flask"},
     {"team_size": 10, "architecture": "monolith", "team_knows": ["django"]},
     {"team_size": 40, "architecture": "microservices", "existing_app": "fastapi"}, {}],
)  # fmt: skip
def test_every_rating_is_sourced_on_scale_and_of_a_kind(given: dict[str, object]) -> None:
    answers = resolve(given)
    for criterion in KB.criteria.values():
        for f in KB.order:
            rating = criterion.rating(f, answers.weighed)
            assert 1.0 <= rating.score <= 5.0, (criterion.key, f)
            assert SOURCE.match(rating.source), (criterion.key, f, rating.source)
            assert rating.kind in KINDS, (criterion.key, f)
            assert rating.source.startswith("framematrix: ") == (rating.kind == "framematrix")


def test_article_figures_become_ratings_by_the_stated_rule() -> None:
    """Where the article gives a figure, the rating is computed from it, never set by hand."""
    from framematrix.claims.article import ARTICLE, days

    for key in ("time_to_productivity_days", "time_to_mastery_days"):
        figure = ARTICLE.figure(key)
        assert {f: days(t) for f, t in figure.extra["stated"].items()} == dict(figure.values)
    productivity = KB.criteria["time_to_productivity"].ratings
    assert productivity["flask"].score == 5.0
    assert productivity["django"].score == pytest.approx(5 * 4 / 17.5)
    assert productivity["django"].kind == "article-figure"
    ecosystem = KB.criteria["ecosystem_size"].ratings
    assert ecosystem["fastapi"].score == pytest.approx(1.0) and ecosystem["django"].score == 5.0
    growth = KB.criteria["momentum"].ratings
    assert growth["django"].score == pytest.approx(5 * 1.10 / 2.20)
    deployment = KB.criteria["deployment"].ratings  # complexity stars count down
    assert (deployment["django"].score, deployment["flask"].score) == (3.0, 4.0)
    assert deployment["django"].kind == "article-opinion"
    performance = KB.criteria["runtime_performance"].ratings
    assert performance["django"].score == pytest.approx(5 * 743 / 2847)
    for criterion in KB.criteria.values():  # a figure-backed rating always carries its figure
        for rating in criterion.ratings.values():
            if rating.kind == "article-figure":
                assert rating.value is not None


def test_migrations_and_team_knowledge_follow_the_answers() -> None:
    migration = KB.criteria["migration"]
    answers = resolve({"existing_app": "flask"}).weighed
    assert migration.rating("flask", answers).score == 5.0
    assert migration.rating("fastapi", answers).score == 4.0  # easy, 1 week
    assert migration.rating("django", answers).score == 2.0  # medium, 2-4 weeks
    from_fastapi = resolve({"existing_app": "fastapi"}).weighed
    assert migration.rating("django", from_fastapi).kind == "framematrix"
    knows = KB.criteria["team_knows"]
    answers = resolve({"team_knows": ["flask", "django"]}).weighed
    assert [knows.rating(f, answers).score for f in KB.order] == [5.0, 1.0, 5.0]


def test_measured_criteria_name_evidence_fields() -> None:
    names = {f.name for f in fields(FrameworkEvidence)} | {"realtime_rps"}
    assert {c.measured for c in KB.criteria.values() if c.measured} <= names


def test_rules_name_real_answers_and_criteria() -> None:
    for rule in KB.rules:
        assert set(rule.when) <= set(BY_KEY) and set(rule.add) <= set(KB.criteria)
        assert rule.why.startswith("article §")
        assert all(v > 0 for v in rule.add.values())


def test_article_figures_become_ratio_scores() -> None:
    hosting = KB.criteria["hosting_cost"].ratings
    assert hosting["fastapi"].score == 5.0
    assert hosting["django"].score == pytest.approx(5 * 40 / 80)
    assert ratio_scores({"a": 10, "b": 1000}, "higher") == {"a": 1.0, "b": 5.0}


def test_team_size_buckets_follow_the_article() -> None:
    fit = KB.criteria["team_size_fit"]

    def rating(framework: str, **given: object) -> float:
        return fit.rating(framework, resolve(given).weighed).score

    assert rating("fastapi", team_size=1) == 5
    assert rating("django", team_size=4) == 5 and rating("fastapi", team_size=4) == 4
    assert rating("flask", team_size=8) == 1
    assert rating("flask", team_size=16) == 4
    assert rating("django", team_size=16, architecture="monolith") == 5
    assert rating("flask", team_size=16, architecture="microservices") == 5


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
