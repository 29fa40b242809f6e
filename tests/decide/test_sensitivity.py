"""Sensitivity against brute force: sweep each weight and each answer, see where the winner
flips."""

from __future__ import annotations

from typing import Any

import pytest

from framematrix.decide.knowledge import load
from framematrix.decide.questions import FRAMEWORKS, QUESTIONS, resolve
from framematrix.decide.scoring import ranking, score, scores
from framematrix.decide.sensitivity import answer_flips, influence, weight_flips

KB = load()
CASES: list[dict[str, Any]] = [
    {},
    {"app_kind": "web", "needs_admin": True},
    {"app_kind": "web", "needs_admin": False, "fast_development": True},
    {"app_kind": "web", "fast_development": False, "team_size": 1, "maintenance_years": 1},
    {"extreme_performance": True},
    {"auto_api_docs": True, "team_size": 12},
    {"team_experience": "learning", "peak_rps": 800},
    {"fast_development": False, "team_size": 1, "maintenance_years": 1},
    {"app_kind": "web", "realtime": True, "team_size": 20, "peak_rps": 999},
]
WEIGHT_STEP = 0.02
WEIGHT_RANGE = 12.0
GRIDS = {
    "team_size": [float(v) for v in range(1, 41)],
    "peak_rps": [float(v) for v in range(0, 3001)],
    "p95_target_ms": [float(v) for v in range(1, 1001, 7)],
    "maintenance_years": [v / 4 for v in range(0, 121)],
    "price_vcpu_month": [float(v) for v in range(0, 101, 5)],
    "price_gb_month": [float(v) for v in range(0, 21)],
    **{key: [float(v) for v in range(0, 21)] for key in ("queries", "writes")},
    "calls": [float(v) for v in range(0, 11)],
    **{key: [float(v) for v in range(0, 1001, 50)] for key in ("compute_ms", "items")},
    "upstream_ms": [float(v) for v in range(0, 1001, 50)],
}
"""Each number's values tried, within its bounds (the request's: without a run it moves nothing)."""


def brute_weight_flip(ratings, w, order, criterion):  # type: ignore[no-untyped-def]
    """The grid point nearest to w (within range, weight >= 0) where another framework wins."""
    winner = ranking(scores(ratings, w, order), order)[0]
    best = None
    steps = int(WEIGHT_RANGE / WEIGHT_STEP)
    for i in range(-steps, steps + 1):
        delta = i * WEIGHT_STEP
        if w[criterion] + delta < 0:
            continue
        trial = {**w, criterion: w[criterion] + delta}
        new = ranking(scores(ratings, trial, order), order)[0]
        if new != winner and (best is None or abs(delta) < abs(best[0])):
            best = (delta, new)
    return best


@pytest.mark.parametrize("given", CASES)
def test_weight_flips_match_brute_force(given: dict[str, Any]) -> None:
    scored = score(KB, resolve(given))
    flips = {f.criterion: f for f in weight_flips(scored.ratings, scored.weights, KB.order)}
    for criterion in scored.weights:
        brute = brute_weight_flip(scored.ratings, scored.weights, KB.order, criterion)
        flip = flips.get(criterion)
        if brute is None:
            assert flip is None or abs(flip.change) > WEIGHT_RANGE - WEIGHT_STEP, criterion
            continue
        assert flip is not None, criterion
        assert abs(flip.change - brute[0]) <= WEIGHT_STEP + 1e-9, criterion
        assert flip.new_winner == brute[1], criterion
    found = weight_flips(scored.ratings, scored.weights, KB.order)
    if found:
        assert abs(found[0].change) == min(abs(f.change) for f in found)


def brute_answer_flips(given: dict[str, Any]) -> dict[tuple[str, int, str], Any]:
    """(question, direction, new winner) -> nearest flipping value on a grid (any, for choices)."""
    base = resolve(given)
    winner = score(KB, base).winner
    found: dict[tuple[str, int, str], Any] = {}
    for q in QUESTIONS:
        current = base[q.key]
        if q.kind == "frameworks":
            values: list[Any] = [sorted(set(current) ^ {f}, key=FRAMEWORKS.index)
                                 for f in FRAMEWORKS]  # fmt: skip
        elif q.kind == "bool":
            values = [True, False]
        elif q.kind == "choice":
            values = list(q.choices)
        else:
            values = sorted(GRIDS[q.key], key=lambda v: abs(v - (current or 0)))
        for value in values:
            if value == current:
                continue
            if q.kind == "int":
                value = int(value)
            new = score(KB, resolve({**given, q.key: value})).winner
            if new == winner:
                continue
            direction = 0
            if q.kind in ("int", "number"):
                direction = 1 if current is None or value > current else -1
            found.setdefault((q.key, direction, new), value)
    return found


def same_bucket(given: dict[str, Any], key: str, a: float, b: float) -> bool:
    """Every grid value between a and b gives the same winner as a."""
    low, high = sorted((a, b))
    expected = score(KB, resolve({**given, key: a})).winner
    values = [v for v in GRIDS[key] if low <= v <= high] + [low, high]
    cast = int if key == "team_size" else float
    return all(score(KB, resolve({**given, key: cast(v)})).winner == expected for v in values)


@pytest.mark.parametrize("given", CASES)
def test_answer_flips_match_brute_force(given: dict[str, Any]) -> None:
    answers = resolve(given)
    reported = {}
    for flip in answer_flips(KB, answers):
        q = next(q for q in QUESTIONS if q.key == flip.question)
        direction = 0
        if q.kind in ("int", "number"):
            direction = 1 if flip.answer is None or flip.new_answer > flip.answer else -1
        reported[(flip.question, direction, flip.new_winner)] = flip.new_answer
    brute = brute_answer_flips(given)
    assert set(reported) == set(brute)
    for key, value in reported.items():
        question = key[0]
        if key[1] == 0:
            continue
        assert same_bucket(given, question, value, brute[key]), (key, value, brute[key])
        if question == "team_size":
            assert value == brute[key]


def test_a_close_call_is_found() -> None:
    scored = score(KB, resolve({}))
    flips = weight_flips(scored.ratings, scored.weights, KB.order)
    assert flips, "the default answers should have at least one weight that flips the winner"
    first = flips[0]
    moved = {
        **scored.weights,
        first.criterion: first.new_weight + 0.01 * (1 if first.change > 0 else -1),
    }
    assert ranking(scores(scored.ratings, moved, KB.order), KB.order)[0] == first.new_winner


def test_influence_counts_the_answers_that_change_the_winner() -> None:
    """What the questionnaire is ordered by: a share per question, the same on every start, and
    nothing for a question only the capacity plan reads."""
    shares = influence(KB, samples=30)
    assert set(shares) == {q.key for q in QUESTIONS}
    assert all(0 <= share <= 1 for share in shares.values())
    assert shares == influence(KB, samples=30)
    assert shares["p95_target_ms"] == shares["price_gb_month"] == 0
    assert shares["app_kind"] > 0 and shares["team_knows"] > 0
