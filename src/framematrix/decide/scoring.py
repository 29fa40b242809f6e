"""Weighted scoring: answers -> weights, weights x ratings -> scores, and each term kept as a "why".

score(f) = sum_c w_c * r_fc / sum_c w_c, a weighted mean on the 1..5 rating scale; the term
w_c * r_fc / sum_c w_c is criterion c's contribution, so a framework's contributions add up to
its score. Exact ties go to the framework listed first in the knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from framematrix.decide.knowledge import KnowledgeBase
from framematrix.decide.questions import Answers

Matrix = Mapping[str, Mapping[str, float]]
"""criterion -> framework -> score."""

OPERATORS = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def matches(when: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    for key, expected in when.items():
        actual = answers[key]
        if isinstance(expected, Mapping):
            if not all(OPERATORS[op](actual, bound) for op, bound in expected.items()):
                return False
        elif actual != expected:
            return False
    return True


def weights(kb: KnowledgeBase, answers: Answers) -> dict[str, float]:
    """Each criterion's base weight plus what every matching rule adds."""
    result = {key: c.base for key, c in kb.criteria.items()}
    for rule in kb.rules:
        if matches(rule.when, answers.values):
            for key, extra in rule.add.items():
                result[key] += extra
    return result


def matrix(kb: KnowledgeBase, answers: Answers) -> dict[str, dict[str, float]]:
    return {
        key: {f: c.rating(f, answers.values).score for f in kb.order}
        for key, c in kb.criteria.items()
    }


def scores(ratings: Matrix, w: Mapping[str, float], order: tuple[str, ...]) -> dict[str, float]:
    total = sum(w.values())
    return {f: sum(w[c] * ratings[c][f] for c in ratings) / total for f in order}


def ranking(score: Mapping[str, float], order: tuple[str, ...]) -> list[str]:
    """Best first; an exact tie keeps the knowledge base's order."""
    return sorted(order, key=lambda f: (-score[f], order.index(f)))


@dataclass(frozen=True)
class Scored:
    weights: dict[str, float]
    ratings: dict[str, dict[str, float]]
    scores: dict[str, float]
    ranking: list[str]
    contributions: dict[str, dict[str, float]]
    """framework -> criterion -> contribution to its score."""

    @property
    def winner(self) -> str:
        return self.ranking[0]


def score(kb: KnowledgeBase, answers: Answers) -> Scored:
    w = weights(kb, answers)
    ratings = matrix(kb, answers)
    result = scores(ratings, w, kb.order)
    total = sum(w.values())
    contributions = {f: {c: w[c] * ratings[c][f] / total for c in ratings} for f in kb.order}
    return Scored(w, ratings, result, ranking(result, kb.order), contributions)
