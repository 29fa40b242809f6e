"""The knowledge base: criteria x frameworks, read from `knowledge.toml`, every rating sourced and
of a stated kind.

The data lives in TOML so that a reader can check each rating against its source without
reading code; this module gives it types and applies the rules the TOML's header states, which
turn the article's figures, stars and words into 1..5 scores.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any, Literal

from framematrix.claims.article import ARTICLE
from framematrix.errors import FramematrixError

Better = Literal["higher", "lower"]
Kind = Literal["measured", "article-figure", "article-opinion", "framematrix"]
KINDS: tuple[Kind, ...] = ("measured", "article-figure", "article-opinion", "framematrix")
MIN_SCORE = 1.0
MAX_SCORE = 5.0
NEUTRAL = 3.0


@dataclass(frozen=True)
class Rating:
    score: float
    source: str
    kind: Kind = "framematrix"
    value: float | None = None
    """The figure the score came from, when there is one (req/s, ms, MB, $, days)."""
    run: str | None = None
    """For a measured rating: the run it was measured in."""
    low: float | None = None
    high: float | None = None
    """For a measured rating: the scores the trials' min and max figures give."""


Ratings = Mapping[str, Rating]


def _none_safe(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: a is not None and op(a, b)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": _none_safe(lambda a, b: a > b),
    "ge": _none_safe(lambda a, b: a >= b),
    "lt": _none_safe(lambda a, b: a < b),
    "le": _none_safe(lambda a, b: a <= b),
    "ne": _none_safe(lambda a, b: a != b),
    "set": lambda a, b: bool(a) == b and a is not None,
}


def matches(when: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether every condition holds; an unanswered (None) answer matches none."""
    for key, expected in when.items():
        actual = answers[key]
        if isinstance(expected, Mapping):
            if not all(OPERATORS[op](actual, bound) for op, bound in expected.items()):
                return False
        elif actual is None or actual != expected:
            return False
    return True


@dataclass(frozen=True)
class Variant:
    """Ratings that stand when `when` matches the answers (the first matching variant wins)."""

    when: Mapping[str, Any]
    ratings: Ratings


@dataclass(frozen=True)
class Criterion:
    """One row of the matrix: every framework's rating, which the answers or a run may change."""

    key: str
    label: str
    base: float
    ratings: Ratings
    """framework -> rating when no variant matches."""
    variants: tuple[Variant, ...] = ()
    measured: str | None = None
    """Which evidence field replaces the article's ratings when a run is used."""
    better: Better = "higher"
    unit: str | None = None
    audited: bool = False
    """The security audit of a run replaces these ratings."""
    known_by: str | None = None
    """A list answer: frameworks in it get `known`, the others `unknown`."""
    known: Rating | None = None
    unknown: Rating | None = None
    fixed: Ratings = field(default_factory=dict)
    """Ratings of frameworks beyond the article (`KnowledgeBase.including`), whatever the
    answers: framematrix's judgement, until a run measures them."""

    def rating(self, framework: str, answers: Mapping[str, Any]) -> Rating:
        if framework in self.fixed:
            return self.fixed[framework]
        if self.known_by and self.known and self.unknown:
            return self.known if framework in (answers[self.known_by] or ()) else self.unknown
        for variant in self.variants:
            if matches(variant.when, answers):
                return variant.ratings[framework]
        return self.ratings[framework]

    @property
    def reads(self) -> tuple[str, ...]:
        """The answers its ratings depend on."""
        keys = [k for v in self.variants for k in v.when] + (
            [self.known_by] if self.known_by else []
        )
        return tuple(dict.fromkeys(keys))

    def thresholds(self, key: str) -> tuple[float, ...]:
        """Values of a numeric answer where this criterion's ratings change."""
        found = []
        for variant in self.variants:
            bound = variant.when.get(key)
            if isinstance(bound, Mapping):
                found += [float(b) for b in bound.values()]
        return tuple(found)


@dataclass(frozen=True)
class Rule:
    """Weight the answers add to criteria (`add`: criterion -> weight) when `when` matches
    them, with the article's reason."""

    when: Mapping[str, Any]
    add: Mapping[str, float]
    why: str


@dataclass(frozen=True)
class Framework:
    """One of the article's frameworks: its key in knowledge.toml, and the contestant whose
    runs measure it."""

    key: str
    label: str
    contestant: str


@dataclass(frozen=True)
class Beyond:
    """A framework the article does not compare, rankable on request: framematrix's ratings
    by criterion, and the reason for the neutral score of every criterion it does not rate."""

    framework: Framework
    ratings: Ratings
    neutral: str

    def rating(self, criterion: Criterion) -> Rating:
        if criterion.key in self.ratings:
            return self.ratings[criterion.key]
        why = self.neutral
        if criterion.measured or criterion.audited:
            why = f"not measured (no run measured {self.framework.contestant}); {why}"
        return Rating(NEUTRAL, f"framematrix: {why}", "framematrix")


@dataclass(frozen=True)
class KnowledgeBase:
    frameworks: Mapping[str, Framework]
    criteria: Mapping[str, Criterion]
    rules: tuple[Rule, ...]
    beyond: Mapping[str, Beyond] = field(default_factory=dict)
    """Frameworks beyond the article that `including` can add to the ranking."""
    included: tuple[str, ...] = ()
    """Those added: ranked after the article's three, on measured and framematrix ratings."""
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    """Rating columns by the answers they depend on (see scoring.columns)."""

    @property
    def order(self) -> tuple[str, ...]:
        """Framework order; it also breaks exact ties in the ranking."""
        return tuple(self.frameworks)

    @property
    def article_order(self) -> tuple[str, ...]:
        """The article's frameworks, without those `including` added."""
        return tuple(f for f in self.frameworks if f not in self.included)

    def including(self, names: tuple[str, ...]) -> KnowledgeBase:
        """A copy that also ranks these frameworks beyond the article (each a key of `beyond`,
        its contestant's name)."""
        unknown = [name for name in names if name not in self.beyond]
        if unknown:
            known = ", ".join(self.beyond)
            raise FramematrixError(
                f"cannot include {', '.join(unknown)}; beyond the article: {known}"
            )
        added = tuple(dict.fromkeys(n for n in names if n not in self.included))
        frameworks = {**self.frameworks, **{n: self.beyond[n].framework for n in added}}
        criteria = {
            key: replace(c, fixed={**c.fixed, **{n: self.beyond[n].rating(c) for n in added}})
            for key, c in self.criteria.items()
        }
        return replace(
            self,
            frameworks=frameworks,
            criteria=criteria,
            included=(*self.included, *added),
            cache={},
        )

    def with_ratings(self, criterion: str, ratings: Ratings) -> KnowledgeBase:
        """A copy with one criterion's ratings replaced (by a measured run or the audit); a
        framework beyond the article that they do not rate keeps its own."""
        criteria = dict(self.criteria)
        old = criteria[criterion]
        fixed = {f: r for f, r in old.fixed.items() if f not in ratings}
        criteria[criterion] = replace(
            old, ratings=dict(ratings), variants=(), known_by=None, fixed=fixed
        )
        return replace(self, criteria=criteria, cache={})


def ratio_scores(values: Mapping[str, float], better: Better) -> dict[str, float]:
    """5 for the best figure, the others by ratio to it, never below 1."""
    positive = {k: v for k, v in values.items() if v > 0}
    if not positive:
        return dict.fromkeys(values, MIN_SCORE)
    best = max(positive.values()) if better == "higher" else min(positive.values())
    return {key: ratio_score(value, best, better) for key, value in values.items()}


def ratio_score(value: float, best: float, better: Better) -> float:
    if value <= 0:
        return MIN_SCORE if better == "higher" else MAX_SCORE
    ratio = value / best if better == "higher" else best / value
    return min(MAX_SCORE, max(MIN_SCORE, MAX_SCORE * ratio))


def _from_figure(raw: Mapping[str, Any], frameworks: tuple[str, ...]) -> dict[str, Rating]:
    """Ratings from one of the article's figures: its stars, or the figures by the ratio rule."""
    figure = ARTICLE.figure(raw["article"])
    better: Better = raw.get("better", figure.better)
    if raw.get("use") == "stars":
        stars = figure.stars
        scores = {f: float(s if better == "higher" else 6 - s) for f, s in stars.items()}
        kind: Kind = "article-opinion"
    else:
        growth = bool(raw.get("growth"))
        values = {f: 1 + figure.values[f] / 100 if growth else figure.values[f] for f in frameworks}
        scores = ratio_scores(values, better)
        kind = "article-figure"
    ratings = {}
    for name in frameworks:
        value = figure.values[name]
        stated = figure.extra.get("stated", {}).get(name)
        shown = f"{value:+,g}" if raw.get("growth") else f"{value:,g}"
        text = f"{shown} {figure.unit}" + (f" ({stated})" if stated else "")
        if kind == "article-opinion":
            text = f"{figure.stars[name]} {figure.unit}" + (f" ({stated})" if stated else "")
        source = f"article § {figure.section}: {figure.label} {text}"
        ratings[name] = Rating(scores[name], source, kind, float(value))
    return ratings


def _neutral(frameworks: tuple[str, ...], why: str) -> dict[str, Rating]:
    return {f: Rating(NEUTRAL, f"framematrix: {why}", "framematrix") for f in frameworks}


def _team_sizes(frameworks: tuple[str, ...], words: Mapping[str, float]) -> tuple[Variant, ...]:
    """§ Team Size Recommendations as variants by team size (and, for large teams, by
    architecture): the article's word for each framework, 5 for a named winner."""
    variants = []
    for row in ARTICLE.team_sizes:
        size = {"team_size": {"ge": row.low, "le": row.high}}
        cases = [({"architecture": a}, w) for a, w in row.winners_by_architecture.items()]
        for extra, winners in [*cases, ({}, row.winners)]:
            ratings = {}
            for f in frameworks:
                word = row.verdicts[f]
                won = f in winners
                where = f", {extra['architecture']}" if extra else ""
                source = (
                    f"article § Team Size Recommendations, {row.key} ({row.low}-{row.high}"
                    f"{where}): {word}" + (", the winner" if won else "")
                )
                ratings[f] = Rating(
                    MAX_SCORE if won else float(words[word]), source, "article-opinion"
                )
            variants.append(Variant({**size, **extra}, ratings))
    return tuple(variants)


def _migrations(frameworks: tuple[str, ...]) -> tuple[Variant, ...]:
    """§ Migration Paths as variants by the existing app's framework."""
    variants = []
    for source in frameworks:
        ratings = {}
        for target in frameworks:
            move = ARTICLE.migration(source, target)
            if target == source:
                ratings[target] = Rating(
                    MAX_SCORE,
                    "article § Migration Real Talk: staying on "
                    f"{source} (if it ain't broke, don't fix it)",
                    "article-opinion",
                )
            elif move is not None:
                score = max(MIN_SCORE, MAX_SCORE - move.mean_weeks)
                ratings[target] = Rating(
                    score,
                    f"article § Migration Paths: {move.describe()}",
                    "article-figure",
                    move.mean_weeks,
                )
            else:
                ratings[target] = Rating(
                    MIN_SCORE,
                    f"framematrix: the article describes no move "
                    f"from {source} to {target}; treated as a rewrite",
                    "framematrix",
                )
        variants.append(Variant({"existing_app": source}, ratings))
    return tuple(variants)


def _explicit(raw: Mapping[str, Any]) -> Rating:
    return Rating(float(raw["score"]), raw["source"], raw["kind"], raw.get("value"))


def _criterion(
    key: str, raw: Mapping[str, Any], names: tuple[str, ...], words: Mapping[str, float]
) -> Criterion:
    variants: tuple[Variant, ...] = ()
    known = unknown = None
    if "article" in raw:
        ratings = _from_figure(raw, names)
    elif raw.get("use") == "team_sizes":
        ratings, variants = _neutral(names, "no team size given"), _team_sizes(names, words)
    elif raw.get("use") == "migrations":
        ratings, variants = _neutral(names, "no existing app"), _migrations(names)
    elif "known_by" in raw:
        known, unknown = _explicit(raw["known"]), _explicit(raw["unknown"])
        ratings = dict.fromkeys(names, unknown)
    else:
        ratings = {f: _explicit(raw[f]) for f in names}
        variants = tuple(
            Variant(v["when"], {f: _explicit(v[f]) for f in names}) for v in raw.get("variant", ())
        )
    better: Better = raw.get("better", "higher")
    if "article" in raw:
        better = raw.get("better", ARTICLE.figure(raw["article"]).better)
    return Criterion(
        key=key,
        label=raw["label"],
        base=float(raw["base"]),
        ratings=ratings,
        variants=variants,
        measured=raw.get("measured"),
        better=better,
        unit=raw.get("unit"),
        audited=bool(raw.get("audited", False)),
        known_by=raw.get("known_by"),
        known=known,
        unknown=unknown,
    )


def parse(data: Mapping[str, Any]) -> KnowledgeBase:
    frameworks = {
        key: Framework(key, raw["label"], raw["contestant"])
        for key, raw in data["frameworks"].items()
    }
    names = tuple(frameworks)
    words = data.get("verdicts", {})
    criteria = {key: _criterion(key, raw, names, words) for key, raw in data["criteria"].items()}
    rules = tuple(Rule(r["when"], r["add"], r["why"]) for r in data.get("rule", []))
    beyond = {key: _beyond(key, raw) for key, raw in data.get("beyond", {}).items()}
    for key, b in beyond.items():
        if stray := sorted(set(b.ratings) - set(criteria)):
            raise FramematrixError(f"knowledge: beyond.{key} rates unknown criteria {stray}")
    return KnowledgeBase(frameworks, criteria, rules, beyond)


def _beyond(key: str, raw: Mapping[str, Any]) -> Beyond:
    """framematrix's ratings of a framework the article does not rate: kind `framematrix`,
    always (no article source can stand behind them)."""
    ratings = {
        criterion: Rating(float(r["score"]), f"framematrix: {r['source']}", "framematrix")
        for criterion, r in raw.get("ratings", {}).items()
    }
    return Beyond(Framework(key, raw["label"], raw["contestant"]), ratings, raw["neutral"])


def load() -> KnowledgeBase:
    """The knowledge base shipped in the package."""
    text = resources.files(__package__).joinpath("knowledge.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))
