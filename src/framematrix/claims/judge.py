"""How one claim is judged at one set of points: one rule for every kind of claim, and the
evidence, interval and trials each verdict rests on.

- Every comparison is an interval (`results.statistics`: paired rounds, Student-t on the log
  ratios, at the run's level for its number of looks) set against a **tie zone** around its
  target: 1 for two contestants, the article's ratio for a ratio claim, the article's figure
  for a threshold (10,000 req/s, 1,000 req/s). The tie zone is the run's own: what its A/A
  control says its noise alone can do, never below 5% (`results.control`). Inside the zone is
  "equal", beyond it "apart", and an interval that straddles an edge "not told apart yet": only
  that can change with more rounds, and only then does a verdict name the points to measure.
- Orders and leads hold when every pair is apart the article's way, do not hold when one is
  apart the other way or equal (in an order, only where the tie zone is narrower than the gap
  the article puts between the two: level within a zone that holds the article's own gap
  refutes nothing); ratios hold inside the tie zone of the article's ratio, if
  that zone leaves out 1 (a zone wide enough to hold "no difference" cannot confirm one), and
  do not hold outside it; thresholds hold at or above the zone and do not hold below it.
- Cannot tell, always: a framework missing, fewer than `MIN_ROUNDS` good trials, more than
  `MAX_ERROR_SHARE` of its responses errors, or a run whose A/A control came out apart (its
  machine too noisy for any performance verdict).

Each rule takes the claim's `RunCheck`, what of the run it is judged on and the run's `Rules`;
which points those are, for each kind of claim, is `claims.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from framematrix.claims.article import ARTICLE, Better
from framematrix.claims.catalog import RunCheck
from framematrix.results import statistics
from framematrix.results.control import Rules
from framematrix.results.formatting import spread as fmt_spread
from framematrix.results.statistics import (
    MAX_ERROR_SHARE,
    MIN_ROUNDS,
    MIN_TIE,
    Interval,
    side,
)
from framematrix.results.summary import PointSummary, Spread
from framematrix.trials import TrialPoint

Verdict = Literal["holds", "does not hold", "cannot tell"]
Outcome = statistics.Lead

UNITS = {"rps": "req/s", "p95_ms": "ms p95", "workers_pss_mb": "MB workers' PSS"}
FIGURES = {"rps": "rps", "p95_ms": "p95_ms", "workers_pss_mb": "memory_mb"}  # the article's
LOC = ARTICLE.figure("lines_of_code")
Best = tuple[PointSummary, str]
"""A contestant's summary at its best point, and where that is (`LoadPoint.describe`)."""


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    evidence: str
    interval: Interval | None = None
    """The confidence interval of the ratio (or figure) the verdict turned on, where one did."""
    rests_on: Mapping[str, int] = field(default_factory=dict)
    """Good trials of each contestant the verdict rests on."""
    more: tuple[TrialPoint, ...] = ()
    """Points whose further trials could decide a verdict that cannot be told yet."""
    unmeasured: bool = False
    """The run measured nothing this claim is about there (no point at 1,000 connections): no
    verdict for that workload at all, rather than a cannot tell."""


NOISY = (
    "the run's A/A control came out apart (its machine's noise alone made a difference): no "
    "performance verdict of this run is better than cannot tell; measure on a quieter machine"
)


def usable(
    found: Mapping[str, PointSummary], names: Iterable[str], metric: str
) -> tuple[dict[str, Spread], str | None]:
    """Each name's spread of `metric`, or the reason the claim cannot be told."""
    spreads = {}
    for name in names:
        point = found.get(name)
        spread = point.value(metric) if point else None
        if point is None:
            return {}, f"{name} was not measured here"
        if point.slow:
            return {}, f"{name} is {point.slow}"
        if spread is None:
            return {}, f"{name} has no successful trial here"
        if spread.n < MIN_ROUNDS:
            return {}, f"{name} has {spread.n} good trial(s); at least {MIN_ROUNDS} are needed"
        if point.error_share > MAX_ERROR_SHARE:
            return {}, f"{name} answered {point.error_share:.1%} of requests with errors"
        spreads[name] = spread
    return spreads, None


def compare(a: Spread, b: Spread, better: Better, rules: Rules) -> tuple[Outcome, Interval | None]:
    """Which of two figures is better, from the interval of a / b against the tie zone; an
    interval needs `MIN_ROUNDS` rounds both were measured in."""
    higher, interval = statistics.lead(a.by_round, b.by_round, rules.tie, rules.level)
    if better == "lower" and higher in ("a", "b"):
        return ("b" if higher == "a" else "a"), interval
    return higher, interval


def not_ahead(interval: Interval | None, better: Better, tie: float) -> bool:
    """The interval of a / b rules a's lead beyond the tie zone out: a claim that a beats b is
    refuted, level or behind, even while the interval cannot tell those two apart."""
    if interval is None:
        return False
    return interval.high < 1 + tie if better == "higher" else interval.low > 1 / (1 + tie)


def apart(a: Spread, b: Spread, better: Better, rules: Rules) -> Literal["a", "b", "tie"]:
    """`compare`, with equal and undecided both a tie."""
    outcome, _ = compare(a, b, better, rules)
    return outcome if outcome in ("a", "b") else "tie"


def _listing(spreads: Mapping[str, Spread], order: Iterable[str], unit: str) -> str:
    return ", ".join(f"{name} {fmt_spread(spreads[name])}" for name in order) + f" {unit}"


def _ci(interval: Interval | None) -> str:
    if interval is None:
        return f"fewer than {MIN_ROUNDS} paired rounds"
    return f"{interval.level:.0%} CI {interval.low:.2f}…{interval.high:.2f}x"


def _rests(found: Mapping[str, PointSummary], names: Iterable[str], metric: str) -> dict[str, int]:
    return {n: s.n for n in names if n in found and (s := found[n].value(metric)) is not None}


def _points(found: Mapping[str, PointSummary], names: Iterable[str]) -> tuple[TrialPoint, ...]:
    return tuple(found[name].point for name in names if name in found)


def judge_order(
    check: RunCheck, found: Mapping[str, PointSummary], where: str, rules: Rules
) -> Judgement:
    assert check.metric is not None
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why or rules.too_noisy:
        return Judgement("cannot tell", why or NOISY, rests_on=rests)
    reversed_pairs, equal, undecided = [], [], []
    unsure: set[str] = set()
    claimed = ARTICLE.figure(FIGURES[check.metric])
    for i, a in enumerate(check.order):
        for b in check.order[i + 1 :]:
            outcome, interval = compare(spreads[a], spreads[b], check.better, rules)
            ci, gap = _ci(interval), claimed.gap(a, b) or float("inf")
            level = outcome == "equal" or not_ahead(interval, check.better, rules.tie)
            if outcome == "b":
                reversed_pairs.append(f"{b} beats {a} ({ci})")
            elif level and 1 + rules.tie < gap:
                said = f"and {b} within" if outcome == "equal" else f"not ahead of {b} by"
                equal.append(f"{a} {said} {rules.tie:.0%} ({ci})")
            elif level or outcome == "undecided":
                held = f": a tie zone of ±{rules.tie:.0%} holds the article's {gap:.2f}x too"
                undecided.append(f"{a} and {b} not apart yet ({ci}){held if level else ''}")
                unsure |= {a, b}
    listing = f"{_listing(spreads, check.order, UNITS[check.metric])} at {where}"
    if reversed_pairs or equal:
        because = "; ".join(reversed_pairs + equal)
        return Judgement("does not hold", f"{listing}: {because}", rests_on=rests)
    if undecided:
        return Judgement(
            "cannot tell",
            f"{listing}: {'; '.join(undecided)}",
            rests_on=rests,
            more=_points(found, sorted(unsure)),
        )
    return Judgement(
        "holds", f"{listing}: every pair apart, in the article's order", rests_on=rests
    )


def judge_ratio(
    check: RunCheck, found: Mapping[str, PointSummary], where: str, rules: Rules
) -> Judgement:
    assert check.metric is not None and check.figure is not None
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why or rules.too_noisy:
        return Judgement("cannot tell", why or NOISY, rests_on=rests)
    a, b = (spreads[name] for name in check.order)
    interval = statistics.ratio(a.by_round, b.by_round, rules.level)
    if interval is None:
        return Judgement(
            "cannot tell", f"{_ci(None)} at {where}", None, rests, _points(found, check.order)
        )
    low, high = rules.zone(check.figure)
    text = (
        f"{interval.estimate:.2f}x ({_ci(interval)}) at {where} against the article's "
        f"{check.figure:.2f}x (its tie zone, ±{rules.tie:.0%}: {low:.2f}…{high:.2f}x)"
    )
    judged = side(interval, check.figure, rules.tie)
    if judged in ("above", "below"):
        return Judgement("does not hold", text, interval, rests)
    if judged == "equal" and not low <= 1 <= high:
        return Judgement("holds", text, interval, rests)
    why = "the interval straddles the tie zone's edge"
    if judged == "equal":
        why = "the tie zone holds 1.00x too: this run's noise cannot tell that ratio from none"
    return Judgement("cannot tell", f"{text}; {why}", interval, rests, _points(found, check.order))


def judge_leads(
    check: RunCheck, found: Mapping[str, PointSummary], where: str, rules: Rules
) -> Judgement:
    """The first of `check.order` better than each of the others."""
    assert check.metric is not None
    leader, others = check.order[0], check.order[1:]
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why or rules.too_noisy:
        return Judgement("cannot tell", why or NOISY, rests_on=rests)
    outcomes = {o: compare(spreads[leader], spreads[o], check.better, rules) for o in others}
    listing = f"{_listing(spreads, check.order, UNITS[check.metric])} at {where}"
    if all(outcome == "a" for outcome, _ in outcomes.values()):
        return Judgement("holds", f"{listing}: {leader} ahead of both", rests_on=rests)
    # The claim names no margin, so level refutes it only at the least tie zone: a wider one
    # could hide a lead that a quieter run would find, and say the opposite.
    level = {
        o: outcome == "equal" or not_ahead(interval, check.better, rules.tie)
        for o, (outcome, interval) in outcomes.items()
    }
    behind = [
        o
        for o, (outcome, _) in outcomes.items()
        if outcome == "b" or (level[o] and rules.tie <= MIN_TIE)
    ]
    if behind:
        return Judgement(
            "does not hold",
            f"{listing}: {', '.join(behind)} level with or ahead of {leader}",
            rests_on=rests,
        )
    unsure = [o for o, (outcome, _) in outcomes.items() if outcome != "a"]
    hidden = (
        f" (level within a ±{rules.tie:.0%} tie zone, which could hide a lead)"
        if any(level[o] for o in unsure)
        else ""
    )
    return Judgement(
        "cannot tell",
        f"{listing}: {leader} not apart from {', '.join(unsure)} yet{hidden}",
        rests_on=rests,
        more=_points(found, [leader, *unsure]),
    )


def judge_native(
    found: Mapping[str, PointSummary], extensions: Mapping[str, str | None], where: str
) -> Judgement:
    """FastAPI's realtime side uses no extension, and it measurably works (its iot trials)."""
    needing = ", ".join(f"{name} needs {ext}" for name, ext in extensions.items() if ext)
    fastapi = found.get("fastapi")
    if fastapi is None or fastapi.rps is None:
        return Judgement("cannot tell", "fastapi's WebSocket side was not measured here")
    if extensions.get("fastapi"):
        return Judgement("does not hold", f"fastapi needs {extensions['fastapi']}")
    return Judgement(
        "holds",
        f"fastapi's own WebSocket routes served the realtime contract at {where} with no "
        f"extension; {needing or 'the others need none either'}",
        rests_on={"fastapi": fastapi.rps.n},
    )


def judge_code(check: RunCheck, code: Mapping[str, int] | None) -> Judgement:
    if not code or any(name not in code for name in check.order):
        missing = [n for n in check.order if not code or n not in code]
        return Judgement("cannot tell", f"no code size for {', '.join(missing)}")
    listing = ", ".join(f"{n} {code[n]:,}" for n in check.order)
    django = code["django"] or 1
    ratios = ", ".join(f"{n} {code[n] / django:.2f}x" for n in check.order[1:])
    article = ", ".join(f"{n} {LOC.ratio(n, 'django'):.2f}x" for n in check.order[1:])
    text = (
        f"API source lines {listing} (vs Django: {ratios}; the article's: {article}); "
        "ours implement the whole contract, the article's one endpoint"
    )
    ordered = all(code[a] < code[b] for a, b in zip(check.order, check.order[1:], strict=False))
    return Judgement("holds" if ordered else "does not hold", text)
