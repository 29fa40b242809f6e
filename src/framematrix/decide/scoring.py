"""Weighted scoring: answers -> weights, weights x ratings -> scores, and each term kept as a "why".

score(f) = sum_c w_c * r_fc / sum_c w_c, a weighted mean on the 1..5 rating scale; the term
w_c * r_fc / sum_c w_c is criterion c's contribution, so a framework's contributions add up to
its score. Exact ties go to the framework listed first in the knowledge base.

The rules and rating columns are compiled once per knowledge base, so that scoring every
combination of answers (tests/decide/enumeration.py) and every single-answer change
(sensitivity) stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import mul
from typing import Any

from framematrix.decide.knowledge import OPERATORS, Kind, KnowledgeBase
from framematrix.decide.questions import Answers

Matrix = Mapping[str, Mapping[str, float]]
"""criterion -> framework -> score."""
Test = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Compiled:
    keys: tuple[str, ...]
    """Criteria, in the knowledge base's order."""
    base: tuple[float, ...]
    rules: tuple[tuple[Test, tuple[tuple[int, float], ...]], ...]
    reads: tuple[str, ...]
    """The answers any rating depends on."""


def _condition(key: str, expected: Any) -> Test:
    """One condition of a rule's `when`, as `knowledge.matches` reads it."""
    if not isinstance(expected, Mapping):
        return lambda values: values[key] == expected
    ops = tuple((OPERATORS[op], bound) for op, bound in expected.items())
    return lambda values: all(op(values[key], bound) for op, bound in ops)


def _test(when: Mapping[str, Any]) -> Test:
    tests = [_condition(key, expected) for key, expected in when.items()]
    first = tests[0]
    for more in tests[1:]:
        first = (lambda a, b: lambda values: a(values) and b(values))(first, more)
    return first


def compiled(kb: KnowledgeBase) -> Compiled:
    found = kb.cache.get(("compiled",))
    if found is None:
        keys = tuple(kb.criteria)
        index = {k: i for i, k in enumerate(keys)}
        rules = tuple(
            (_test(r.when), tuple((index[k], float(v)) for k, v in r.add.items())) for r in kb.rules
        )
        reads = tuple(dict.fromkeys(k for c in kb.criteria.values() for k in c.reads))
        found = Compiled(keys, tuple(c.base for c in kb.criteria.values()), rules, reads)
        kb.cache[("compiled",)] = found
    assert isinstance(found, Compiled)
    return found


def weight_vector(kb: KnowledgeBase, values: Mapping[str, Any]) -> list[float]:
    c = compiled(kb)
    w = list(c.base)
    for test, adds in c.rules:
        if test(values):
            for i, extra in adds:
                w[i] += extra
    return w


def columns(kb: KnowledgeBase, values: Mapping[str, Any]) -> tuple[tuple[float, ...], ...]:
    """Per framework (in order), its ratings' scores in criterion order."""
    c = compiled(kb)
    key = ("columns", *(values[k] for k in c.reads))
    found = kb.cache.get(key)
    if found is None:
        found = tuple(
            tuple(kb.criteria[k].rating(f, values).score for k in c.keys) for f in kb.order
        )
        kb.cache[key] = found
    assert isinstance(found, tuple)
    return found


def winner(kb: KnowledgeBase, answers: Answers) -> str:
    """The weighted matrix's winner alone, without the why (the same ranking as `score`)."""
    w = weight_vector(kb, answers.weighed)
    totals = [sum(map(mul, w, column)) for column in columns(kb, answers.weighed)]
    best = max(totals)
    return kb.order[totals.index(best)]


def weights(kb: KnowledgeBase, answers: Answers) -> dict[str, float]:
    """Each criterion's base weight plus what every matching rule adds."""
    return dict(zip(compiled(kb).keys, weight_vector(kb, answers.weighed), strict=True))


def matrix(kb: KnowledgeBase, answers: Answers) -> dict[str, dict[str, float]]:
    cols = columns(kb, answers.weighed)
    return {
        key: {f: cols[j][i] for j, f in enumerate(kb.order)}
        for i, key in enumerate(compiled(kb).keys)
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
    kinds: dict[str, dict[str, Kind]]
    """framework -> criterion -> the kind of the rating behind that contribution."""

    @property
    def winner(self) -> str:
        return self.ranking[0]

    def measured_share(self, framework: str) -> float:
        """The part of a framework's score that rests on measured ratings."""
        total = self.scores[framework]
        measured = sum(
            v
            for c, v in self.contributions[framework].items()
            if self.kinds[framework][c] == "measured"
        )
        return measured / total if total else 0.0


def score(kb: KnowledgeBase, answers: Answers) -> Scored:
    w = weights(kb, answers)
    ratings = matrix(kb, answers)
    result = scores(ratings, w, kb.order)
    total = sum(w.values())
    contributions = {f: {c: w[c] * ratings[c][f] / total for c in ratings} for f in kb.order}
    kinds = {
        f: {c: kb.criteria[c].rating(f, answers.weighed).kind for c in ratings} for f in kb.order
    }
    return Scored(w, ratings, result, ranking(result, kb.order), contributions, kinds)
