"""The knowledge base: criteria x frameworks, read from `knowledge.toml`, every rating sourced.

The data lives in TOML so that a reader can check each rating against its source without
reading code; this module only gives it types and turns figures into 1..5 scores.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Literal

from framematrix.article import ARTICLE

Better = Literal["higher", "lower"]
MIN_SCORE = 1.0
MAX_SCORE = 5.0


@dataclass(frozen=True)
class Rating:
    score: float
    source: str
    value: float | None = None
    """The figure the score came from, when there is one (req/s, ms, MB, $, hours)."""


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    base: float
    ratings: Mapping[str, Rating]
    """framework -> rating; for a criterion with `depends_on`, the first bucket's ratings."""
    measured: str | None = None
    """Which evidence field replaces the article's ratings when a run is given."""
    better: Better = "higher"
    unit: str | None = None
    audited: bool = False
    depends_on: str | None = None
    buckets: tuple[tuple[int, int, Mapping[str, Rating]], ...] = ()
    """(from, to, ratings) by the `depends_on` answer, inclusive ranges."""

    def rating(self, framework: str, answers: Mapping[str, Any]) -> Rating:
        if self.depends_on:
            number = answers[self.depends_on]
            for low, high, ratings in self.buckets:
                if low <= number <= high:
                    return ratings[framework]
        return self.ratings[framework]

    def thresholds(self) -> tuple[float, ...]:
        """Answer values where this criterion's ratings change (bucket lower bounds)."""
        return tuple(float(low) for low, _, _ in self.buckets[1:])


@dataclass(frozen=True)
class Rule:
    when: Mapping[str, Any]
    add: Mapping[str, float]
    why: str


@dataclass(frozen=True)
class Framework:
    key: str
    label: str
    contestant: str


@dataclass(frozen=True)
class KnowledgeBase:
    frameworks: Mapping[str, Framework]
    criteria: Mapping[str, Criterion]
    rules: tuple[Rule, ...]

    @property
    def order(self) -> tuple[str, ...]:
        """Framework order; it also breaks exact ties in the ranking."""
        return tuple(self.frameworks)

    def with_ratings(self, criterion: str, ratings: Mapping[str, Rating]) -> KnowledgeBase:
        """A copy with one criterion's ratings replaced (by a measured run or the audit)."""
        criteria = dict(self.criteria)
        criteria[criterion] = replace(
            criteria[criterion], ratings=dict(ratings), buckets=(), depends_on=None
        )
        return replace(self, criteria=criteria)


def ratio_scores(values: Mapping[str, float], better: Better) -> dict[str, float]:
    """5 for the best figure, the others by ratio to it, never below 1."""
    positive = {k: v for k, v in values.items() if v > 0}
    if not positive:
        return dict.fromkeys(values, MIN_SCORE)
    best = max(positive.values()) if better == "higher" else min(positive.values())
    scores = {}
    for key, value in values.items():
        if value <= 0:
            scores[key] = MIN_SCORE if better == "higher" else MAX_SCORE
            continue
        ratio = value / best if better == "higher" else best / value
        scores[key] = max(MIN_SCORE, MAX_SCORE * ratio)
    return scores


def _from_article(raw: Mapping[str, Any], frameworks: tuple[str, ...]) -> dict[str, Rating]:
    """Ratings from one of the article's figures: its stars, or the figures by ratio."""
    figure = ARTICLE.figure(raw["article"])
    stars = raw.get("use") == "stars"
    scores = figure.stars if stars else ratio_scores(figure.values, figure.better)
    ratings = {}
    for name in frameworks:
        value = figure.values[name]
        source = f"article § {figure.section}: {value:,.0f} {figure.unit}"
        ratings[name] = Rating(
            float(scores[name]),
            source + (f", {figure.stars[name]} stars" if stars else ""),
            float(value),
        )
    return ratings


def _ratings(
    raw: Mapping[str, Any], frameworks: tuple[str, ...], better: Better
) -> dict[str, Rating]:
    if "article" in raw:
        return _from_article(raw, frameworks)
    values = {f: raw[f]["value"] for f in frameworks if "value" in raw[f]}
    derived = ratio_scores(values, better) if values else {}
    ratings = {}
    for name in frameworks:
        entry = raw[name]
        score = entry["score"] if "score" in entry else derived[name]
        ratings[name] = Rating(float(score), entry["source"], entry.get("value"))
    return ratings


def parse(data: Mapping[str, Any]) -> KnowledgeBase:
    frameworks = {
        key: Framework(key, raw["label"], raw["contestant"])
        for key, raw in data["frameworks"].items()
    }
    names = tuple(frameworks)
    criteria = {}
    for key, raw in data["criteria"].items():
        better: Better = raw.get("better", "higher")
        buckets = tuple(
            (int(b["range"][0]), int(b["range"][1]), _ratings(b, names, better))
            for b in raw.get("buckets", {}).values()
        )
        criteria[key] = Criterion(
            key=key,
            label=raw["label"],
            base=float(raw["base"]),
            ratings=buckets[0][2] if buckets else _ratings(raw, names, better),
            measured=raw.get("measured"),
            better=better,
            unit=raw.get("unit"),
            audited=bool(raw.get("audited", False)),
            depends_on=raw.get("depends_on"),
            buckets=buckets,
        )
    rules = tuple(Rule(r["when"], r["add"], r["why"]) for r in data.get("rule", []))
    return KnowledgeBase(frameworks, criteria, rules)


def load() -> KnowledgeBase:
    """The knowledge base shipped in the package."""
    text = resources.files(__package__).joinpath("knowledge.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))
