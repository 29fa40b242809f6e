"""The verdict a run gives each claim of the article it measures (`catalog.RunCheck`).

The catalogue of every claim is `catalog.py`; the judge of each kind of claim `kinds.py`, reading
the run through `evidence.py`; the rules `judge.py`; the security lines `security.py`, the offline
checks `offline.py`, and every claim's status in one ledger `ledger.py`.

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
- A run that measured several tunings judges every claim under each rule (`results.reference
  .RULES`: under equal settings, each at its best), side by side (`ClaimResult.by_rule`, with
  the configuration each contestant reached); the claim's own verdict is the first rule's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from framematrix.claims.catalog import RunCheck, checked_by
from framematrix.claims.evidence import Evidence
from framematrix.claims.judge import Verdict, apart, compare
from framematrix.claims.kinds import JUDGES
from framematrix.measure.side import Side
from framematrix.results.control import Noise, Rules
from framematrix.results.reference import ByLoad
from framematrix.results.statistics import MAX_ERROR_SHARE, METHOD
from framematrix.trials import TrialPoint

RUN_CLAIMS = checked_by(RunCheck)
"""Each claim a run measures, with its check, in the catalogue's order."""

__all__ = [
    "MAX_ERROR_SHARE",
    "METHOD",
    "RUN_CLAIMS",
    "ClaimResult",
    "Rules",
    "Verdict",
    "apart",
    "compare",
    "evaluate",
    "undecided",
]


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
    """Workload group -> {"verdict", "measured", "evidence"}, for the groups the run measured
    what the claim is about in (a claim about 1,000 connections has none without such a
    point)."""
    more: tuple[TrialPoint, ...] = ()
    """Points whose further trials could decide it (a cannot-tell verdict only)."""
    rule: str | None = None
    """The tuning it was judged under, where a run measured more than one."""
    by_rule: dict[str, dict[str, object]] = field(default_factory=dict)
    """Tuning -> {"verdict", "measured", "evidence", "reached"} for each rule a run judged it
    under, when it measured more than one (`reached`: each contestant's configuration where it
    was judged)."""

    def record(self) -> dict[str, object]:
        """Every field but `more`, which plans further rounds and is no part of the verdict."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "more"}
        return {**data, "interval": list(self.interval) if self.interval else None}


def evaluate(
    loads: ByLoad,
    code: Mapping[str, int] | None = None,
    noise: Noise | None = None,
    rules: Mapping[str, ByLoad] | None = None,
    side: Side | None = None,
) -> list[ClaimResult]:
    """Every verdict a run gives, from its points (`reference.by_load`), its A/A control's
    noise (`noise`: the tie zones and level; none: the least tie zone at 95%) and, for the code
    claim, source line counts, and for the side claims what it measured beside its trials
    (`side`); performance claims also per workload group the run measured.
    With `rules` (`reference.by_rule`: each tuning's points), every claim under each rule, the
    first rule's verdict its own."""
    if not rules:
        return _judged(Evidence(loads, code, noise or Noise({}), side))
    judged = {
        rule: (_judged(run := Evidence(points, code, noise or Noise({}), side)), run.reached())
        for rule, points in rules.items()
    }
    first, _ = judged[next(iter(judged))]
    return [
        replace(
            result,
            rule=next(iter(judged)),
            by_rule={
                rule: {
                    "verdict": found[i].verdict,
                    "measured": found[i].measured,
                    "evidence": found[i].evidence,
                    "reached": reached,
                }
                for rule, (found, reached) in judged.items()
            },
        )
        for i, result in enumerate(first)
    ]


def _judged(run: Evidence) -> list[ClaimResult]:
    http = run.over_http()
    results = []
    for claim, check in RUN_CLAIMS:
        judge = JUDGES[check.kind]
        measured, judged = judge(check, run.group(check.only) if check.only else http)
        groups: dict[str, dict[str, str]] = {}
        for group in check.workloads:
            if part := run.group(group):
                where, verdict = judge(check, part)
                if verdict.unmeasured:
                    continue
                groups[group] = {
                    "verdict": verdict.verdict,
                    "measured": where,
                    "evidence": verdict.evidence,
                }
        interval = (judged.interval.low, judged.interval.high) if judged.interval else None
        results.append(
            ClaimResult(
                claim.id,
                claim.text,
                claim.section,
                measured,
                judged.verdict,
                judged.evidence,
                interval,
                dict(judged.rests_on),
                groups,
                judged.more,
            )
        )
    return results


def undecided(results: list[ClaimResult]) -> list[TrialPoint]:
    """The points whose further trials could decide a verdict that cannot be told yet, each once,
    in the order the claims name them."""
    return list(dict.fromkeys(point for result in results for point in result.more))
