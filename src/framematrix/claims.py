"""The article's measurable claims as data, and the verdict a run gives each one.

Every verdict is one of "holds", "does not hold" or "cannot tell", with the evidence. The rules:

- Figures are compared at one *reference point*, chosen by `framematrix.reference` (the rule the
  report and the decision engine use too): the scenario, load and engine that Django, FastAPI
  and Flask were all measured at, preferring the article's own (`crud`, then `list-posts`, ...;
  closed loop; the highest concurrency).
- Two figures are *apart* when the ranges of their trials (min…max) do not overlap and their
  medians differ by more than `TIE` (5%). A pair in the wrong order and apart is a counter-
  example; a pair not apart cannot be told.
- A ratio holds when the measured median ratio lies within `RATIO_TOLERANCE` (±25%) of the
  article's; it does not hold when the whole range of ratios the trials allow lies outside.
- Cannot tell, always: a framework missing, fewer than `MIN_TRIALS` good trials (no spread to
  judge noise by), or more than `MAX_ERROR_SHARE` of its responses errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from framematrix.article import ARTICLE
from framematrix.contestants.registry import ARTICLE_FRAMEWORKS, CONTESTANTS
from framematrix.formatting import spread as fmt_spread
from framematrix.formatting import times as fmt_ratio
from framematrix.reference import MIN_TRIALS, ByLoad, preference, reference_load
from framematrix.summary import PointSummary, Spread, ratio

Verdict = Literal["holds", "does not hold", "cannot tell"]
Better = Literal["higher", "lower"]

FRAMEWORKS = ARTICLE_FRAMEWORKS
SYNC_FRAMEWORKS = tuple(f for f in FRAMEWORKS if CONTESTANTS[f].interface == "wsgi")
ASYNC_FRAMEWORKS = tuple(f for f in FRAMEWORKS if CONTESTANTS[f].interface == "asgi")

TIE = 0.05
RATIO_TOLERANCE = 0.25
MAX_ERROR_SHARE = 0.01
HIGH_CONCURRENCY = 1000
HIGH_RATE = 1000.0
APP_SCENARIOS = ("crud", "list-posts", "read-one", "write")
"""Scenarios that exercise the framework's database path (`health` does not)."""

Kind = Literal["order", "ratio", "shines", "async-needed", "code-order"]


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    section: str
    kind: Kind
    metric: str | None = None
    """A PointSummary field: `rps`, `p95_ms`, `workers_pss_mb`."""
    order: tuple[str, ...] = ()
    """Best first."""
    better: Better = "higher"
    ratio: float | None = None
    """For ratio claims: order[0] over order[1], as the article's figures give it."""


RPS, P95, MEMORY, LOC = (ARTICLE.figure(key) for key in
                         ("rps", "p95_ms", "memory_mb", "lines_of_code"))  # fmt: skip
BY_SPEED = ("fastapi", "flask", "django")
BY_LOC = ("django", "flask", "fastapi")
LOC_LISTING = " / ".join(f"~{LOC.values[name]:.0f}" for name in BY_LOC)

CLAIMS: tuple[Claim, ...] = (
    Claim("rps-order", "FastAPI serves the most requests per second, then Flask, then Django "
          f"({RPS.listing(BY_SPEED)})", RPS.section, "order", "rps", BY_SPEED),
    Claim("rps-fastapi-django",
          f"FastAPI serves {RPS.ratio('fastapi', 'django'):.2f}x Django's requests per second",
          RPS.section, "ratio", "rps", ("fastapi", "django"),
          ratio=RPS.ratio("fastapi", "django")),
    Claim("rps-flask-django",
          f"Flask serves {RPS.ratio('flask', 'django'):.2f}x Django's requests per second",
          RPS.section, "ratio", "rps", ("flask", "django"), ratio=RPS.ratio("flask", "django")),
    Claim("p95-order", "95th-percentile latency is lowest with FastAPI, then Flask, then Django "
          f"({P95.listing(BY_SPEED)} ms)", P95.section, "order", "p95_ms", BY_SPEED, "lower"),
    Claim("memory-order", "FastAPI uses the least memory, then Flask, then Django "
          f"({MEMORY.listing(BY_SPEED)} MB)", MEMORY.section, "order", "workers_pss_mb", BY_SPEED,
          "lower"),
    Claim("fastapi-shines-1000", "FastAPI shines at 1000+ concurrent requests",
          "Performance Benchmarks: Reality Check", "shines", "rps", BY_SPEED),
    Claim("async-for-1000-rps", "Needing 1000+ requests/second calls for FastAPI (async)",
          "Quick Decision Tree; Final Verdict", "async-needed", "rps"),
    Claim("code-order", "Django needs the least code, then Flask, then FastAPI "
          f"({LOC_LISTING} lines)", LOC.section, "code-order", None, BY_LOC, "lower"),
)  # fmt: skip


@dataclass(frozen=True)
class ClaimResult:
    id: str
    claim: str
    section: str
    measured: str
    """What was measured to judge it, and where."""
    verdict: Verdict
    evidence: str

    def record(self) -> dict[str, str]:
        return asdict(self)


def _usable(
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


def apart(a: Spread, b: Spread, better: Better) -> Literal["a", "b", "tie"]:
    """Which of two figures is better, or "tie" when their trials overlap or medians are close."""
    if a.median == b.median or (a.high >= b.low and b.high >= a.low):
        return "tie"
    high = max(a.median, b.median)
    if high and abs(a.median - b.median) / high <= TIE:
        return "tie"
    a_wins = a.median > b.median if better == "higher" else a.median < b.median
    return "a" if a_wins else "b"


def _order_verdict(
    spreads: Mapping[str, Spread], order: tuple[str, ...], better: Better
) -> tuple[Verdict, str]:
    reversed_pairs, ties = [], []
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            outcome = apart(spreads[a], spreads[b], better)
            if outcome == "b":
                reversed_pairs.append(f"{b} beats {a}")
            elif outcome == "tie":
                ties.append(f"{a} and {b} overlap")
    if reversed_pairs:
        return "does not hold", "; ".join(reversed_pairs)
    if ties:
        return "cannot tell", "; ".join(ties)
    return "holds", "every pair apart, in the article's order"


def _listing(spreads: Mapping[str, Spread], order: Iterable[str], unit: str) -> str:
    return ", ".join(f"{name} {fmt_spread(spreads[name])}" for name in order) + f" {unit}"


UNITS = {"rps": "req/s", "p95_ms": "ms p95", "workers_pss_mb": "MB workers' PSS"}


def judge_order(claim: Claim, found: Mapping[str, PointSummary], where: str) -> tuple[Verdict, str]:
    assert claim.metric is not None
    spreads, why = _usable(found, claim.order, claim.metric)
    if why:
        return "cannot tell", why
    verdict, because = _order_verdict(spreads, claim.order, claim.better)
    return verdict, f"{_listing(spreads, claim.order, UNITS[claim.metric])} at {where}: {because}"


def judge_ratio(claim: Claim, found: Mapping[str, PointSummary], where: str) -> tuple[Verdict, str]:
    assert claim.metric is not None and claim.ratio is not None
    spreads, why = _usable(found, claim.order, claim.metric)
    if why:
        return "cannot tell", why
    measured = ratio(spreads[claim.order[0]], spreads[claim.order[1]])
    band = (claim.ratio / (1 + RATIO_TOLERANCE), claim.ratio * (1 + RATIO_TOLERANCE))
    text = (f"{fmt_ratio(measured)} at {where} against the article's {claim.ratio:.2f}x "
            f"(±{RATIO_TOLERANCE:.0%}: {band[0]:.2f}…{band[1]:.2f}x)")  # fmt: skip
    if band[0] <= measured.median <= band[1]:
        return "holds", text
    if measured.high < band[0] or measured.low > band[1]:
        return "does not hold", text
    return "cannot tell", text + "; the trials' range straddles the band"


def judge_shines(claim: Claim, loads: ByLoad) -> tuple[str, Verdict, str]:
    """(what was measured, verdict, evidence) at the preferred load of 1000+ connections."""
    high = [at for at, found in loads.items()
            if (at.concurrency or 0) >= HIGH_CONCURRENCY
            and all(f in found for f in FRAMEWORKS)]  # fmt: skip
    if not high:
        top = max((at.concurrency or 0 for at in loads), default=0)
        return ("req/s at 1000+ concurrent connections", "cannot tell",
                f"concurrency never reached {HIGH_CONCURRENCY} with all three frameworks "
                f"(highest: {top}); run `framematrix matrix --article`")  # fmt: skip
    at = min(high, key=preference)
    where = at.describe()
    spreads, why = _usable(loads[at], FRAMEWORKS, "rps")
    if why:
        return f"req/s at {where}", "cannot tell", why
    outcomes = {other: apart(spreads["fastapi"], spreads[other], "higher")
                for other in ("flask", "django")}  # fmt: skip
    listing = _listing(spreads, claim.order, "req/s")
    if all(o == "a" for o in outcomes.values()):
        return f"req/s at {where}", "holds", f"{listing}: FastAPI ahead of both"
    if any(o == "b" for o in outcomes.values()):
        beaten = ", ".join(k for k, o in outcomes.items() if o == "b")
        return f"req/s at {where}", "does not hold", f"{listing}: {beaten} ahead of FastAPI"
    return f"req/s at {where}", "cannot tell", f"{listing}: FastAPI not apart from the others"


def judge_async(loads: ByLoad) -> tuple[Verdict, str]:
    """Does not hold when a sync framework serves 1000+ req/s cleanly in an app scenario; holds
    when FastAPI does and every sync framework stays clearly below; else cannot tell."""
    reached: dict[str, tuple[float, str]] = {}
    below = True
    measured_sync = set()
    for at, found in loads.items():
        if at.scenario not in APP_SCENARIOS:
            continue
        for name in (*SYNC_FRAMEWORKS, *ASYNC_FRAMEWORKS):
            point = found.get(name)
            rps = point.value("rps") if point else None
            if point is None or rps is None or point.error_share > MAX_ERROR_SHARE:
                continue
            if name in SYNC_FRAMEWORKS:
                measured_sync.add(name)
                below = below and rps.high < HIGH_RATE
            if rps.median >= HIGH_RATE and rps.median > reached.get(name, (0.0, ""))[0]:
                reached[name] = (rps.median, at.describe())
    sync = {n: v for n, v in reached.items() if n in SYNC_FRAMEWORKS}
    if sync:
        text = "; ".join(f"{n} {v:,.0f} req/s at {w}" for n, (v, w) in sync.items())
        return "does not hold", f"{text}: a synchronous framework past {HIGH_RATE:,.0f} req/s"
    if "fastapi" in reached and below and measured_sync == set(SYNC_FRAMEWORKS):
        value, where = reached["fastapi"]
        return "holds", (f"fastapi {value:,.0f} req/s at {where}; Django and Flask stay below "
                         f"{HIGH_RATE:,.0f} req/s everywhere")  # fmt: skip
    best = max(
        (rps.median for found in loads.values() for name, point in found.items()
         if name in FRAMEWORKS and (rps := point.value("rps")) is not None),
        default=0.0,
    )  # fmt: skip
    return "cannot tell", (f"no clear line at {HIGH_RATE:,.0f} req/s here (best median of the "
                           f"three frameworks: {best:,.0f} req/s)")  # fmt: skip


def judge_code(claim: Claim, code: Mapping[str, int] | None) -> tuple[Verdict, str]:
    if not code or any(name not in code for name in claim.order):
        missing = [n for n in claim.order if not code or n not in code]
        return "cannot tell", f"no code size for {', '.join(missing)}"
    listing = ", ".join(f"{n} {code[n]:,}" for n in claim.order)
    django = code["django"] or 1
    ratios = ", ".join(f"{n} {code[n] / django:.2f}x" for n in claim.order[1:])
    article = ", ".join(f"{n} {LOC.ratio(n, 'django'):.2f}x" for n in claim.order[1:])
    text = (
        f"API source lines {listing} (vs Django: {ratios}; the article's: {article}); "
        "ours implement the whole contract, the article's one endpoint"
    )
    ordered = all(code[a] < code[b] for a, b in zip(claim.order, claim.order[1:], strict=False))
    return ("holds" if ordered else "does not hold"), text


def evaluate(loads: ByLoad, code: Mapping[str, int] | None = None) -> list[ClaimResult]:
    """Every claim's verdict from a run's points (`reference.by_load`) and, for the code claim,
    source line counts."""
    at = reference_load(loads)
    found = loads[at] if at else {}
    where = at.describe() if at else "no measured point"
    judges: dict[Kind, Callable[[Claim], tuple[str, Verdict, str]]] = {
        "order": lambda c: (UNITS[c.metric or ""] + f" at {where}", *judge_order(c, found, where)),
        "ratio": lambda c: (UNITS[c.metric or ""] + f" ratio at {where}",
                            *judge_ratio(c, found, where)),
        "shines": lambda c: judge_shines(c, loads),
        "async-needed": lambda c: ("best median req/s of each framework in the app scenarios",
                                   *judge_async(loads)),
        "code-order": lambda c: ("API source lines of each contestant package (codesize)",
                                 *judge_code(c, code)),
    }  # fmt: skip
    verdicts = []
    for claim in CLAIMS:
        measured, verdict, evidence = judges[claim.kind](claim)
        verdicts.append(ClaimResult(claim.id, claim.text, claim.section, measured, verdict,
                                    evidence))  # fmt: skip
    return verdicts
