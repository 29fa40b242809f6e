"""The questionnaire's layout: first the few questions that move the answer most, ranked by
`sensitivity.influence` on the article's knowledge base (counted once per process, so the form
keeps its order whichever run is chosen), then every other question in its group
(`decide.groups`), which the page folds until one of its questions is answered."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from framematrix.decide import knowledge, sensitivity
from framematrix.decide.groups import GROUPS
from framematrix.decide.question import Question
from framematrix.decide.questions import QUESTIONS

LEADING = 5
"""How many questions lead: few enough to answer at a glance."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    purpose: str
    questions: tuple[Question, ...]

    def answered(self, given: Mapping[str, Any]) -> int:
        return sum(q.key in given for q in self.questions)


@dataclass(frozen=True)
class Layout:
    leading: Section
    groups: tuple[Section, ...]
    influence: Mapping[str, float]
    """Per question, the share of sampled answer sets in which it alone changes the winner."""


@functools.cache
def influence() -> Mapping[str, float]:
    return sensitivity.influence(knowledge.load())


def ranked() -> list[Question]:
    """Every question, most influential first; equal ones keep the questions' own order."""
    shares = influence()
    return sorted(QUESTIONS, key=lambda q: -shares[q.key])


def layout() -> Layout:
    shares = influence()
    first = tuple(q for q in ranked()[:LEADING] if shares[q.key] > 0)
    leading = Section(
        "leading",
        "The questions that decide most",
        "Ranked by the sensitivity analysis: how often the answer alone changes the winner, over "
        f"{sensitivity.SAMPLES} sampled sets of answers.",
        first,
    )
    groups = (
        Section(g.key, g.title, g.purpose, rest)
        for g in GROUPS
        if (rest := tuple(q for q in QUESTIONS if q.group == g.key and q not in first))
    )
    return Layout(leading, tuple(groups), shares)
