"""Claims about a figure reaching a threshold, judged at each framework's best point: the
article's 10,000 req/s, its 1,000 req/s for async, its 500,000 images a day, its medium app's
peak. A figure reaches a threshold when the interval of its median lies within the threshold's
tie zone or above it; each best point is judged against its own point's tie zone (`Rules.at`),
so a noisy workload elsewhere in the run does not widen it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from framematrix.claims.catalog import RunCheck
from framematrix.claims.judge import NOISY, UNITS, Best, Judgement, Outcome
from framematrix.results import statistics
from framematrix.results.control import Rules
from framematrix.results.formatting import spread as fmt_spread
from framematrix.results.statistics import MIN_ROUNDS, Interval, side
from framematrix.results.summary import Spread


def reaches(spread: Spread, figure: float, rules: Rules) -> tuple[Outcome, Interval | None]:
    """Whether a figure reaches a threshold: "a" at or above its tie zone (within it counts as
    reaching), "b" below it, or undecided."""
    interval = statistics.median(spread.values, rules.level)
    if interval is None:
        return "undecided", None
    where = side(interval, figure, rules.tie)
    return ("b" if where == "below" else "undecided" if where == "undecided" else "a"), interval


def _figure(value: float) -> str:
    """A threshold as a reader wants it: 10,000 or 5.8."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def judge_sync_enough(
    best: Mapping[tuple[str, str], Best | None], rate: float, rules: Rules
) -> Judgement:
    """Each (synchronous framework, workload)'s best point against `rate`: holds when every one
    reaches it, does not hold when one is clearly below, else cannot tell."""
    if rules.too_noisy:
        return Judgement("cannot tell", NOISY)
    if not best:
        return Judgement("cannot tell", "no workload of the claim was measured", unmeasured=True)
    found: dict[tuple[str, str], Outcome] = {}
    lines: list[str] = []
    rests: dict[str, int] = {}
    for (name, _), got in best.items():
        if got and (spread := got[0].rps):
            found[(name, got[1])] = reaches(spread, rate, rules.at(got[0].point.at))[0]
            lines.append(f"{name} {spread.median:,.0f} at {got[1]}")
            rests[name] = min(rests.get(name, spread.n), spread.n)
    text = "; ".join(lines) or "no point with enough good trials"
    text += f" against {_figure(rate)} req/s (the article's medium app at its peak)"
    if "b" in found.values():
        return Judgement("does not hold", text, rests_on=rests)
    if len(found) == len(best) and set(found.values()) == {"a"}:
        return Judgement("holds", text, rests_on=rests)
    return Judgement("cannot tell", text, rests_on=rests)


def judge_at_least(check: RunCheck, best: Best | None, rules: Rules) -> Judgement:
    """The best figure the contestant reached anywhere, against the article's."""
    assert check.figure is not None and check.metric is not None
    name = check.order[0]
    if rules.too_noisy:
        return Judgement("cannot tell", NOISY)
    if best is None:
        return Judgement("cannot tell", f"{name} has no point with {MIN_ROUNDS} good trials here")
    point, where = best
    spread = point.value(check.metric)
    assert spread is not None
    rules = rules.at(point.point.at)
    outcome, interval = reaches(spread, check.figure, rules)
    bounds = f"fewer than {MIN_ROUNDS} paired rounds"
    if interval:
        bounds = f"{interval.low:,.0f}…{interval.high:,.0f}"
    text = (
        f"{name}'s best {fmt_spread(spread)} {UNITS[check.metric]} at {where} "
        f"({rules.level:.0%} CI {bounds}) against {_figure(check.figure)} "
        f"(its tie zone, ±{rules.tie:.0%})"
    )
    rests = {name: spread.n}
    if outcome == "a":
        return Judgement("holds", text, interval, rests)
    if outcome == "b":
        return Judgement("does not hold", text + " on this machine", interval, rests)
    return Judgement("cannot tell", text, interval, rests, (point.point,))


def judge_async_needed(
    best: Mapping[str, Best | None], sync: Iterable[str], rate: float, rules: Rules
) -> Judgement:
    """From each framework's best point in the app scenarios: does not hold when a synchronous
    framework reaches `rate` req/s (its interval at or above the tie zone); holds when FastAPI
    does and every synchronous framework is clearly below; else cannot tell."""
    if rules.too_noisy:
        return Judgement("cannot tell", NOISY)
    synchronous = set(sync)
    outcomes = {
        n: reaches(b[0].rps, rate, rules.at(b[0].point.at))[0]
        for n, b in best.items()
        if b and b[0].rps
    }
    sync_passed = [n for n, outcome in outcomes.items() if n in synchronous and outcome == "a"]

    def at(name: str, tie: bool = False) -> str:
        found = best[name]
        assert found is not None
        summary, where = found
        assert summary.rps is not None
        zone = f" (its tie zone, ±{rules.at(summary.point.at).tie:.0%})" if tie else ""
        return f"{name} {summary.rps.median:,.0f} req/s at {where}{zone}"

    if sync_passed:
        text = "; ".join(at(n, tie=True) for n in sync_passed)
        return Judgement(
            "does not hold", f"{text}: a synchronous framework reaches {rate:,.0f} req/s"
        )
    below = all(outcomes.get(n) == "b" for n in synchronous)
    if outcomes.get("fastapi") == "a" and below:
        return Judgement(
            "holds",
            f"{at('fastapi')}; Django and Flask stay clearly below {rate:,.0f} req/s everywhere",
        )
    top = max((b[0].rps.median for b in best.values() if b and b[0].rps), default=0.0)
    return Judgement(
        "cannot tell",
        f"no clear line at {rate:,.0f} req/s here (best median "
        f"of the three frameworks: {top:,.0f} req/s)",
    )
