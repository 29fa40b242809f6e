"""The article's measurable claims and the verdict a run gives each one.

Every verdict is one of "holds", "does not hold" or "cannot tell", with its evidence, the
confidence interval it turned on and the good trials it rests on (the rules: `judge.py`).

- Each claim is judged at the run's *reference point*, chosen by `results.reference` (the
  rule the report and the decision engine use too): the scenario, load and engine that Django,
  FastAPI and Flask were all measured at, preferring the article's own (`crud`, then
  `list-posts`, ...; closed loop; the highest concurrency).
- A performance claim is also judged on each workload group the run measured (`GROUPS`:
  db-read, crud, upstream, image, realtime), each at that group's own reference point, so a
  reader sees where a claim holds and where it does not.
- A verdict that cannot be told only because intervals straddle an edge names the points whose
  further trials could decide it (`ClaimResult.more`): `matrix` spends its time budget there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from framematrix import scenarios
from framematrix.claims.catalog import CLAIMS, GROUPS, Claim
from framematrix.claims.judge import (
    MAX_ERROR_SHARE,
    RATIO_TOLERANCE,
    TIE,
    UNITS,
    Judgement,
    Verdict,
    apart,
    compare,
    judge_at_least,
    judge_code,
    judge_leads,
    judge_native,
    judge_order,
    judge_ratio,
)
from framematrix.contestants.registry import ARTICLE_FRAMEWORKS, CONTESTANTS
from framematrix.results.confidence import METHOD
from framematrix.results.reference import ByLoad, preference, reference_load
from framematrix.results.summary import PointSummary
from framematrix.trials import TrialPoint

FRAMEWORKS = ARTICLE_FRAMEWORKS
SYNC_FRAMEWORKS = tuple(f for f in FRAMEWORKS if CONTESTANTS[f].interface == "wsgi")
HIGH_CONCURRENCY = 1000
HIGH_RATE = 1000.0

__all__ = ["CLAIMS", "MAX_ERROR_SHARE", "METHOD", "RATIO_TOLERANCE", "TIE", "ClaimResult",
           "Verdict", "apart", "evaluate"]  # fmt: skip


@dataclass(frozen=True)
class ClaimResult:
    id: str
    claim: str
    section: str
    measured: str
    """What was measured to judge it, and where."""
    verdict: Verdict
    evidence: str
    interval: tuple[float, float] | None = None
    """The confidence interval (`METHOD`) of the ratio the verdict turned on."""
    trials: dict[str, int] = field(default_factory=dict)
    """Good trials of each contestant the verdict rests on."""
    by_workload: dict[str, dict[str, str]] = field(default_factory=dict)
    """Workload group -> {"verdict", "measured", "evidence"}, for the groups the run measured."""
    more: tuple[TrialPoint, ...] = ()
    """Points whose further trials could decide it (a cannot-tell verdict only)."""

    def record(self) -> dict[str, object]:
        return {
            "id": self.id, "claim": self.claim, "section": self.section,
            "measured": self.measured, "verdict": self.verdict, "evidence": self.evidence,
            "interval": list(self.interval) if self.interval else None,
            "trials": self.trials, "by_workload": self.by_workload,
        }  # fmt: skip


def in_group(loads: ByLoad, group: str) -> ByLoad:
    return {at: found for at, found in loads.items() if at.scenario in GROUPS[group]}


def _judge_at(claim: Claim, loads: ByLoad, code: Mapping[str, int] | None) -> tuple[str, Judgement]:
    """(what was measured and where, judgement) of one claim over some load points."""
    unit = UNITS.get(claim.metric or "", "")
    if claim.kind == "code-order":
        return "API source lines of each contestant package (codesize)", judge_code(claim, code)
    if claim.kind == "async-needed":
        return "best median req/s of each framework in the app scenarios", _judge_async(loads)
    if claim.kind == "shines":
        high = {at: found for at, found in loads.items()
                if (at.concurrency or 0) >= HIGH_CONCURRENCY
                and all(f in found for f in FRAMEWORKS)}  # fmt: skip
        if not high:
            top = max((at.concurrency or 0 for at in loads), default=0)
            return (f"{unit} at 1000+ concurrent connections", Judgement("cannot tell",
                    f"concurrency never reached {HIGH_CONCURRENCY} with all three frameworks "
                    f"(highest: {top}); run `framematrix matrix --article`"))  # fmt: skip
        top_at = min(high, key=preference)
        return f"{unit} at {top_at.describe()}", judge_leads(claim, high[top_at], top_at.describe())
    if claim.kind == "at-least":
        return f"best median {unit} of {claim.order[0]} anywhere", judge_at_least(
            claim, _best(loads, claim.order[0], claim.metric or "rps")
        )
    at = reference_load(loads)
    found = loads[at] if at else {}
    where = at.describe() if at else "no measured point"
    if claim.kind == "native":
        extensions = {name: CONTESTANTS[name].realtime.extension  # type: ignore[union-attr]
                      for name in FRAMEWORKS if CONTESTANTS[name].realtime}  # fmt: skip
        return f"the WebSocket sides at {where}", judge_native(found, extensions, where)
    judges = {"order": judge_order, "ratio": judge_ratio, "leads": judge_leads}
    suffix = " ratio" if claim.kind == "ratio" else ""
    return f"{unit}{suffix} at {where}", judges[claim.kind](claim, found, where)


def _best(loads: ByLoad, name: str, metric: str) -> tuple[PointSummary, str] | None:
    found = [(s, at.describe()) for at, points in loads.items()
             if (s := points.get(name)) is not None and s.value(metric) is not None
             and s.error_share <= MAX_ERROR_SHARE]  # fmt: skip
    return max(found, key=lambda pair: pair[0].value(metric).median, default=None)  # type: ignore[union-attr]


def _judge_async(loads: ByLoad) -> Judgement:
    """Does not hold when a sync framework serves 1000+ req/s cleanly in an app scenario; holds
    when FastAPI does and every sync framework stays clearly below; else cannot tell."""
    best = {name: _best(app_loads(loads), name, "rps") for name in FRAMEWORKS}
    passed = {n: b for n, b in best.items() if b and b[0].rps and b[0].rps.median >= HIGH_RATE}
    sync = {n: b for n, b in passed.items() if n in SYNC_FRAMEWORKS}
    if sync:
        text = "; ".join(f"{n} {b[0].rps.median:,.0f} req/s at {b[1]}"  # type: ignore[union-attr]
                         for n, b in sync.items())  # fmt: skip
        return Judgement("does not hold", f"{text}: a synchronous framework past "
                         f"{HIGH_RATE:,.0f} req/s")  # fmt: skip
    below = all(b is not None and b[0].rps and b[0].rps.high < HIGH_RATE
                for n, b in best.items() if n in SYNC_FRAMEWORKS)  # fmt: skip
    if "fastapi" in passed and below:
        point, where = passed["fastapi"]
        return Judgement("holds", f"fastapi {point.rps.median:,.0f} req/s at {where}; Django and "  # type: ignore[union-attr]
                         f"Flask stay below {HIGH_RATE:,.0f} req/s everywhere")  # fmt: skip
    top = max((b[0].rps.median for b in best.values() if b and b[0].rps), default=0.0)
    return Judgement("cannot tell", f"no clear line at {HIGH_RATE:,.0f} req/s here (best median "
                     f"of the three frameworks: {top:,.0f} req/s)")  # fmt: skip


def app_loads(loads: ByLoad) -> ByLoad:
    """The load points that exercise a framework's request path: every workload but `health`."""
    return {at: found for at, found in loads.items()
            if at.scenario != "health" and scenarios.get(at.scenario).over_http}  # fmt: skip


def evaluate(loads: ByLoad, code: Mapping[str, int] | None = None) -> list[ClaimResult]:
    """Every claim's verdict from a run's points (`reference.by_load`) and, for the code claim,
    source line counts; performance claims also per workload group the run measured."""
    http = {at: found for at, found in loads.items() if scenarios.get(at.scenario).over_http}
    results = []
    for claim in CLAIMS:
        over = in_group(loads, claim.only) if claim.only else http
        measured, judged = _judge_at(claim, over, code)
        groups: dict[str, dict[str, str]] = {}
        for group in claim.workloads:
            if part := in_group(loads, group):
                where, verdict = _judge_at(claim, part, code)
                groups[group] = {"verdict": verdict.verdict, "measured": where,
                                 "evidence": verdict.evidence}  # fmt: skip
        interval = (judged.interval.low, judged.interval.high) if judged.interval else None
        results.append(ClaimResult(claim.id, claim.text, claim.section, measured,
                                   judged.verdict, judged.evidence, interval,
                                   dict(judged.rests_on), groups, judged.more))  # fmt: skip
    return results


def undecided(results: list[ClaimResult]) -> list[TrialPoint]:
    """The points whose further trials could decide a verdict that cannot be told yet, each once,
    in the order the claims name them."""
    return list(dict.fromkeys(point for result in results for point in result.more))


__all__ += ["compare", "undecided"]
