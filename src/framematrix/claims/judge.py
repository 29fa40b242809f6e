"""How one claim is judged at one set of points: the rules behind "holds", "does not hold" and
"cannot tell", each with its evidence, its confidence and what more trials could decide.

- Two figures are compared by the confidence interval of their ratio (`results.confidence`:
  a bootstrap over trials). They are *apart* when the interval lies beyond the tie zone
  (`TIE`, 5% either way), *equal* when it lies inside it, and *undecided* when it straddles
  its edge: only then can more trials change the verdict.
- A ratio holds when its interval lies inside the article's ratio ±`RATIO_TOLERANCE` (25%),
  does not hold when it lies wholly outside, and cannot be told when it straddles an edge.
- Cannot tell, always: a framework missing, fewer than `MIN_TRIALS` good trials, or more than
  `MAX_ERROR_SHARE` of its responses errors.

Each rule takes the claim's `RunCheck` and what of the run it is judged on; which points those
are, for each kind of claim, is `claims.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from framematrix.claims.article import ARTICLE, Better
from framematrix.claims.catalog import RunCheck
from framematrix.results import confidence
from framematrix.results.confidence import Interval
from framematrix.results.formatting import spread as fmt_spread
from framematrix.results.reference import MIN_TRIALS
from framematrix.results.summary import PointSummary, Spread
from framematrix.trials import TrialPoint

Verdict = Literal["holds", "does not hold", "cannot tell"]
Outcome = Literal["a", "b", "equal", "undecided"]

TIE = 0.05
RATIO_TOLERANCE = 0.25
MAX_ERROR_SHARE = 0.01
UNITS = {"rps": "req/s", "p95_ms": "ms p95", "workers_pss_mb": "MB workers' PSS"}
LOC = ARTICLE.figure("lines_of_code")
Best = tuple[PointSummary, str]
"""A contestant's summary at its best point, and where that is (`LoadPoint.describe`)."""


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    evidence: str
    interval: Interval | None = None
    """The confidence interval of the ratio the verdict turned on, where one did."""
    rests_on: Mapping[str, int] = field(default_factory=dict)
    """Good trials of each contestant the verdict rests on."""
    more: tuple[TrialPoint, ...] = ()
    """Points whose further trials could decide a verdict that cannot be told yet."""


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
        if spread is None:
            return {}, f"{name} has no successful trial here"
        if spread.n < MIN_TRIALS:
            return {}, f"{name} has {spread.n} good trial(s); at least {MIN_TRIALS} are needed"
        if point.error_share > MAX_ERROR_SHARE:
            return {}, f"{name} answered {point.error_share:.1%} of requests with errors"
        spreads[name] = spread
    return spreads, None


def compare(a: Spread, b: Spread, better: Better) -> tuple[Outcome, Interval]:
    """Which of two figures is better, from the interval of a / b."""
    interval = confidence.ratio(a.values or (a.median,), b.values or (b.median,))
    high, low = 1 + TIE, 1 / (1 + TIE)
    if interval.inside(low, high):
        return "equal", interval
    if interval.low > high:
        return ("a" if better == "higher" else "b"), interval
    if interval.high < low:
        return ("b" if better == "higher" else "a"), interval
    return "undecided", interval


def apart(a: Spread, b: Spread, better: Better) -> Literal["a", "b", "tie"]:
    """`compare`, with equal and undecided both a tie."""
    outcome, _ = compare(a, b, better)
    return outcome if outcome in ("a", "b") else "tie"


def _listing(spreads: Mapping[str, Spread], order: Iterable[str], unit: str) -> str:
    return ", ".join(f"{name} {fmt_spread(spreads[name])}" for name in order) + f" {unit}"


def _ci(interval: Interval) -> str:
    return f"{interval.level:.0%} CI {interval.low:.2f}…{interval.high:.2f}x"


def _rests(found: Mapping[str, PointSummary], names: Iterable[str], metric: str) -> dict[str, int]:
    return {n: s.n for n in names if n in found and (s := found[n].value(metric)) is not None}


def _points(found: Mapping[str, PointSummary], names: Iterable[str]) -> tuple[TrialPoint, ...]:
    return tuple(found[name].point for name in names if name in found)


def judge_order(check: RunCheck, found: Mapping[str, PointSummary], where: str) -> Judgement:
    assert check.metric is not None
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why:
        return Judgement("cannot tell", why, rests_on=rests)
    reversed_pairs, equal, undecided = [], [], []
    unsure: set[str] = set()
    for i, a in enumerate(check.order):
        for b in check.order[i + 1 :]:
            outcome, interval = compare(spreads[a], spreads[b], check.better)
            if outcome == "b":
                reversed_pairs.append(f"{b} beats {a} ({_ci(interval)})")
            elif outcome == "equal":
                equal.append(f"{a} and {b} within {TIE:.0%} ({_ci(interval)})")
            elif outcome == "undecided":
                undecided.append(f"{a} and {b} not apart yet ({_ci(interval)})")
                unsure |= {a, b}
    listing = f"{_listing(spreads, check.order, UNITS[check.metric])} at {where}"
    if reversed_pairs or equal:
        return Judgement(
            "does not hold", f"{listing}: {'; '.join(reversed_pairs + equal)}", rests_on=rests
        )
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


def judge_ratio(check: RunCheck, found: Mapping[str, PointSummary], where: str) -> Judgement:
    assert check.metric is not None and check.figure is not None
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why:
        return Judgement("cannot tell", why, rests_on=rests)
    a, b = (spreads[name] for name in check.order)
    interval = confidence.ratio(a.values, b.values)
    band = (check.figure / (1 + RATIO_TOLERANCE), check.figure * (1 + RATIO_TOLERANCE))
    text = (
        f"{a.median / b.median:.2f}x ({_ci(interval)}) at {where} against the article's "
        f"{check.figure:.2f}x (±{RATIO_TOLERANCE:.0%}: "
        f"{band[0]:.2f}…{band[1]:.2f}x)"
    )
    if interval.inside(*band):
        return Judgement("holds", text, interval, rests)
    if interval.outside(*band):
        return Judgement("does not hold", text, interval, rests)
    return Judgement(
        "cannot tell",
        text + "; the interval straddles the band",
        interval,
        rests,
        _points(found, check.order),
    )


def judge_leads(check: RunCheck, found: Mapping[str, PointSummary], where: str) -> Judgement:
    """The first of `check.order` better than each of the others."""
    assert check.metric is not None
    leader, others = check.order[0], check.order[1:]
    rests = _rests(found, check.order, check.metric)
    spreads, why = usable(found, check.order, check.metric)
    if why:
        return Judgement("cannot tell", why, rests_on=rests)
    outcomes = {o: compare(spreads[leader], spreads[o], check.better) for o in others}
    listing = f"{_listing(spreads, check.order, UNITS[check.metric])} at {where}"
    if all(outcome == "a" for outcome, _ in outcomes.values()):
        return Judgement("holds", f"{listing}: {leader} ahead of both", rests_on=rests)
    behind = [o for o, (outcome, _) in outcomes.items() if outcome in ("b", "equal")]
    if behind:
        return Judgement(
            "does not hold",
            f"{listing}: {', '.join(behind)} level with or ahead of {leader}",
            rests_on=rests,
        )
    unsure = [o for o, (outcome, _) in outcomes.items() if outcome == "undecided"]
    return Judgement(
        "cannot tell",
        f"{listing}: {leader} not apart from {', '.join(unsure)} yet",
        rests_on=rests,
        more=_points(found, [leader, *unsure]),
    )


def judge_at_least(check: RunCheck, best: Best | None) -> Judgement:
    """The best figure the contestant reached anywhere, against the article's."""
    assert check.figure is not None and check.metric is not None
    name = check.order[0]
    if best is None:
        return Judgement("cannot tell", f"{name} has no successful point in this run")
    point, where = best
    spread = point.value(check.metric)
    assert spread is not None
    interval = confidence.median(spread.values)
    text = (
        f"{name}'s best {fmt_spread(spread)} {UNITS[check.metric]} at {where} "
        f"({interval.level:.0%} CI {interval.low:,.0f}…{interval.high:,.0f}) against "
        f"{check.figure:,.0f}"
    )
    rests = {name: spread.n}
    if interval.low >= check.figure:
        return Judgement("holds", text, interval, rests)
    if interval.high < check.figure:
        return Judgement("does not hold", text + " on this machine", interval, rests)
    return Judgement("cannot tell", text, interval, rests, (point.point,))


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
        f"fastapi's own WebSocket routes served the realtime contract at "
        f"{where} with no extension; {needing or 'the others need none either'}",
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


def judge_async_needed(
    best: Mapping[str, Best | None], sync: Iterable[str], rate: float
) -> Judgement:
    """From each framework's best point in the app scenarios: does not hold when a sync framework
    serves `rate` req/s cleanly; holds when FastAPI does and every sync framework stays clearly
    below; else cannot tell."""
    passed = {
        n: (rps, b[1]) for n, b in best.items() if b and (rps := b[0].rps) and rps.median >= rate
    }
    sync_passed = {n: b for n, b in passed.items() if n in sync}
    if sync_passed:
        text = "; ".join(
            f"{n} {rps.median:,.0f} req/s at {where}" for n, (rps, where) in sync_passed.items()
        )
        return Judgement("does not hold", f"{text}: a synchronous framework past {rate:,.0f} req/s")
    below = all(
        b is not None and b[0].rps and b[0].rps.high < rate for n, b in best.items() if n in sync
    )
    if "fastapi" in passed and below:
        rps, where = passed["fastapi"]
        return Judgement(
            "holds",
            f"fastapi {rps.median:,.0f} req/s at {where}; Django and "
            f"Flask stay below {rate:,.0f} req/s everywhere",
        )
    top = max((b[0].rps.median for b in best.values() if b and b[0].rps), default=0.0)
    return Judgement(
        "cannot tell",
        f"no clear line at {rate:,.0f} req/s here (best median "
        f"of the three frameworks: {top:,.0f} req/s)",
    )
