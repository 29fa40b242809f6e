"""Too close to call: when a small change of weight, or the noise in a measurement, would hand the
win to another framework, the decision names both and what would decide between them.

The rule (printed with every such decision):

- weights: the smallest change of one criterion's weight that flips the winner (from
  `sensitivity.weight_flips`) is under `CLOSE_SHARE` (5%) of the total weight; or
- measurements: with every measured rating moved to the end of its trials' range (min…max) that
  is worst for the winner and best for the rival, the rival scores at least as high.
"""

from __future__ import annotations

from dataclasses import dataclass

from framematrix.decide.knowledge import KnowledgeBase
from framematrix.decide.questions import Answers
from framematrix.decide.scoring import Scored
from framematrix.decide.sensitivity import AnswerFlip, WeightFlip

CLOSE_SHARE = 0.05
RULE = (
    f"too close to call when a change of one weight by less than {CLOSE_SHARE:.0%} of the total "
    "weight flips the winner, or when the measured ratings, moved within their trials' min…max "
    "range against the winner, let the rival catch up"
)
DECIDING = 3


@dataclass(frozen=True)
class TooClose:
    between: tuple[str, str]
    """The winner and the rival it cannot be told from."""
    rule: str
    """"weights" or "measurements": which part of `RULE` applies."""
    reason: str
    decide_by: tuple[str, ...]
    """What would decide between them, most telling first."""

    def record(self) -> dict[str, object]:
        return {
            "between": list(self.between),
            "rule": self.rule,
            "reason": self.reason,
            "decide_by": list(self.decide_by),
            "rule_text": RULE,
        }


def _worst_case_gap(kb: KnowledgeBase, answers: Answers, scored: Scored, rival: str) -> float:
    """sum_c w_c (r_Wc - r_gc), each measured rating moved to its range's end against W."""
    w, winner = scored.weights, scored.winner
    gap = 0.0
    for key, criterion in kb.criteria.items():
        mine = criterion.rating(winner, answers.weighed)
        theirs = criterion.rating(rival, answers.weighed)
        low = mine.low if mine.kind == "measured" and mine.low is not None else mine.score
        high = (
            theirs.high if theirs.kind == "measured" and theirs.high is not None else theirs.score
        )
        gap += w[key] * (low - high)
    return gap


def _differences(kb: KnowledgeBase, scored: Scored, a: str, b: str) -> list[str]:
    """The criteria that separate a and b most, by weighted rating difference."""
    w, r = scored.weights, scored.ratings
    label = {f: fw.label for f, fw in kb.frameworks.items()}
    ranked = sorted(kb.criteria, key=lambda c: -abs(w[c] * (r[c][a] - r[c][b])))
    lines = []
    for c in ranked[:DECIDING]:
        ahead = label[a] if r[c][a] > r[c][b] else label[b]
        if w[c] and r[c][a] != r[c][b]:
            lines.append(f"how much {kb.criteria[c].label.lower()} matters ({ahead} is ahead)")
    return lines


def judge(
    kb: KnowledgeBase,
    answers: Answers,
    scored: Scored,
    weight_flips: list[WeightFlip],
    answer_flips: list[AnswerFlip],
) -> TooClose | None:
    """The rule above, applied; None when the winner stands."""
    winner, total = scored.winner, sum(scored.weights.values())
    label = {f: fw.label for f, fw in kb.frameworks.items()}
    for rival in scored.ranking[1:]:
        if _worst_case_gap(kb, answers, scored, rival) <= 0:
            noisy = [
                kb.criteria[c].label.lower()
                for c in kb.criteria
                if scored.kinds[winner][c] == "measured" and scored.weights[c]
            ]
            reason = (
                f"within the measured ranges of {', '.join(noisy)}, {label[rival]} "
                f"could score as high as {label[winner]}"
            )
            decide = [f"more trials (or a longer run) of {', '.join(noisy)}"]
            decide += _differences(kb, scored, winner, rival)
            return TooClose((winner, rival), "measurements", reason, tuple(decide))
    if weight_flips and total and abs(weight_flips[0].change) / total < CLOSE_SHARE:
        flip = weight_flips[0]
        rival = flip.new_winner
        criterion = kb.criteria[flip.criterion].label.lower()
        reason = (
            f"a weight of {flip.new_weight:.2g} instead of {flip.weight:g} for {criterion} "
            f"({abs(flip.change) / total:.1%} of the total weight) makes {label[rival]} "
            "win"
        )
        decide = _differences(kb, scored, winner, rival)
        decide += [
            f"your answer to {a.question} ({a.new_answer} makes {label[a.new_winner]} win)"
            for a in answer_flips
            if a.new_winner in (winner, rival)
        ][:DECIDING]
        return TooClose((winner, rival), "weights", reason, tuple(decide))
    return None
