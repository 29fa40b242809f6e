"""What would change the answer: the smallest change of one weight, and each single answer change,
that makes another framework win.

Weights: the winner W beats rival g while D_g = sum_c w_c (r_Wc - r_gc) > 0 (the common
denominator sum_c w_c does not change the sign). Moving one weight w_c by delta moves D_g by
delta * (r_Wc - r_gc), so g catches up exactly at delta = -D_g / (r_Wc - r_gc); weights stay >= 0.
The flip is reported at that tie point: any further change in the same direction hands the win over.

Answers: the weights and ratings are step functions of the numeric answers, changing only at the
thresholds named in the knowledge base, so trying each other choice, each flipped yes/no, and the
values next to every threshold covers every outcome a single answer change can have.

Influence: how much a question moves the answer in general, not for one user's answers: the
share of a fixed sample of answer sets in which changing that answer alone changes the winner
(the answer flips above, counted). The questionnaire asks the most influential questions first.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from framematrix.decide.knowledge import KnowledgeBase
from framematrix.decide.question import Question
from framematrix.decide.questions import (
    EXTREME_RPS,
    FRAMEWORKS,
    QUESTIONS,
    Answers,
    resolve,
)
from framematrix.decide.scoring import Matrix, ranking, scores, winner

KnowledgeFor = Callable[[Answers], KnowledgeBase]
"""The knowledge base for some answers (a run's evidence depends on the `workload` answer)."""

NUDGE = 1e-6
SAMPLES = 200
"""Answer sets the influence is counted over (about two seconds on 2 busy cores). The two most
influential questions (team_knows, learning_project) come out the same under seeds 1, 2, 3 and
27, and app_kind third under the first three (fourth, a point behind needs_admin, under 27); the
next ones lie within a few points of each other, so their order among themselves is the seed's."""
SEED = 27


@dataclass(frozen=True)
class WeightFlip:
    criterion: str
    weight: float
    new_weight: float
    new_winner: str

    @property
    def change(self) -> float:
        return self.new_weight - self.weight


@dataclass(frozen=True)
class AnswerFlip:
    question: str
    answer: Any
    new_answer: Any
    new_winner: str


def _winner(ratings: Matrix, w: Mapping[str, float], order: tuple[str, ...]) -> str:
    return ranking(scores(ratings, w, order), order)[0]


def weight_flips(
    ratings: Matrix, w: Mapping[str, float], order: tuple[str, ...]
) -> list[WeightFlip]:
    """Per criterion, the smallest change of its weight alone that flips the winner, smallest
    first."""
    winner = _winner(ratings, w, order)
    rivals = [f for f in order if f != winner]
    gaps = {g: sum(w[c] * (ratings[c][winner] - ratings[c][g]) for c in ratings) for g in rivals}
    flips = []
    for c in ratings:
        best: WeightFlip | None = None
        for g in rivals:
            slope = ratings[c][winner] - ratings[c][g]
            if slope == 0:
                continue
            delta = -gaps[g] / slope
            if w[c] + delta < 0:
                continue
            beyond = dict(w)
            beyond[c] = w[c] + delta + math.copysign(NUDGE * max(1.0, abs(delta)), delta or -slope)
            if beyond[c] < 0:
                continue
            new_winner = _winner(ratings, beyond, order)
            if new_winner == winner:
                continue
            if best is None or abs(delta) < abs(best.change):
                best = WeightFlip(c, w[c], w[c] + delta, new_winner)
        if best is not None:
            flips.append(best)
    return sorted(flips, key=lambda f: (abs(f.change), f.criterion))


def thresholds(kb: KnowledgeBase, key: str, given: Mapping[str, Any]) -> set[float]:
    """The values of a numeric answer at which the weights or ratings step."""
    found: set[float] = set()
    for rule in kb.rules:
        bound = rule.when.get(key)
        if isinstance(bound, Mapping):
            found.update(float(v) for v in bound.values())
    for criterion in kb.criteria.values():
        found.update(criterion.thresholds(key))
    if key == "peak_rps" and "extreme_performance" not in given:
        found.add(float(EXTREME_RPS))
    return found


def candidates(kb: KnowledgeBase, question: Question, answers: Answers) -> list[Any]:
    """Every other answer worth trying for one question."""
    current = answers[question.key]
    if question.kind == "bool":
        return [True, False] if current is None else [not current]
    if question.kind == "choice":
        return [c for c in question.choices if c != current]
    if question.kind == "frameworks":
        return [sorted(set(current) ^ {f}, key=FRAMEWORKS.index) for f in FRAMEWORKS]
    values: set[float] = set()
    for t in thresholds(kb, question.key, answers.given):
        values.update((t - 1, t, t + 1))
    if question.minimum is not None:
        values.add(question.minimum)
    low = question.minimum if question.minimum is not None else -math.inf
    high = question.maximum if question.maximum is not None else math.inf
    kept = [
        v
        for v in values
        if low <= v <= high and not (question.positive and v <= 0) and v != current
    ]
    if question.kind == "int":
        kept = [int(v) for v in kept if v == int(v)]
    return sorted(kept, key=lambda v: abs(v - (current or 0)))


def direction(question: Question, current: Any, value: Any) -> int:
    """-1 or 1 for a number moved down or up (an unanswered number only up); 0 otherwise."""
    if question.kind not in ("int", "number"):
        return 0
    return 1 if current is None or value > current else -1


def answer_flips(kb: KnowledgeBase | KnowledgeFor, answers: Answers) -> list[AnswerFlip]:
    """Each single answer change that flips the winner; for numbers, the nearest value in each
    direction for each new winner."""
    knowledge_for: KnowledgeFor = kb if callable(kb) else (lambda _: kb)
    base = knowledge_for(answers)
    current_winner = winner(base, answers)
    flips = []
    for question in QUESTIONS:
        seen: set[tuple[int, str]] = set()
        for value in candidates(base, question, answers):
            changed = resolve({**answers.given, question.key: value})
            new_winner = winner(knowledge_for(changed), changed)
            if new_winner == current_winner:
                continue
            current = answers[question.key]
            way = direction(question, current, value)
            if (way, new_winner) in seen and way != 0:
                continue
            seen.add((way, new_winner))
            flips.append(AnswerFlip(question.key, current, value, new_winner))
    return flips


def _answers_to(kb: KnowledgeBase, question: Question) -> list[Any]:
    """The answers a sampled answer set draws from for one question: every choice, every set of
    frameworks, a number on either side of each threshold."""
    if question.kind == "bool":
        return [True, False]
    if question.kind == "choice":
        return list(question.choices)
    if question.kind == "frameworks":
        sizes = range(len(FRAMEWORKS) + 1)
        return [list(c) for n in sizes for c in itertools.combinations(FRAMEWORKS, n)]
    return candidates(kb, question, resolve({}))


def influence(kb: KnowledgeBase, samples: int = SAMPLES, seed: int = SEED) -> dict[str, float]:
    """Per question, the share of `samples` answer sets in which changing that answer alone
    changes the winner. Each set answers each question with even odds, uniformly among its
    answers; the seed makes the order the same on every start."""
    rng = random.Random(seed)
    options = {q.key: _answers_to(kb, q) for q in QUESTIONS}
    counts = dict.fromkeys(options, 0)
    for _ in range(samples):
        given = {k: rng.choice(v) for k, v in options.items() if v and rng.random() < 0.5}
        for key in {flip.question for flip in answer_flips(kb, resolve(given))}:
            counts[key] += 1
    return {key: n / samples for key, n in counts.items()}
