"""The judge of each kind of claim a run measures: which of the run's points it looks at, and
which rule (`claims.judge`) it applies there.

`JUDGES` maps a `RunCheck.kind` to its judge; every judge has one signature, `(check, evidence)
-> (what was measured and where, judgement)`, and reads the run only through `Evidence`.

- `order`, `ratio`, `leads`, `native`: at the run's reference point (`results.reference`).
- `shines`: at the preferred point with `concurrent_requests` (the article's figure) or more
  connections where all three frameworks were measured.
- `async-needed`: each framework's best point in the app scenarios, against the article's
  `requests_per_second`.
- `at-least`: the contestant's best point anywhere (or in its `only` group), against the
  article's figure.
- `sync-enough`: each synchronous framework's best point in each workload group, against what
  most apps need (the article's medium app at its peak).
- `code-order`: the contestants' API source lines.
- `cold-start`, `footprint`, `test-clients`, `batteries`: what the run measured beside its trials
  (`claims.side`).
"""

from __future__ import annotations

from collections.abc import Callable

from framematrix.claims import offline
from framematrix.claims import side as side_claims
from framematrix.claims.article import ARTICLE
from framematrix.claims.catalog import RunCheck, RunKind
from framematrix.claims.evidence import Evidence
from framematrix.claims.judge import (
    UNITS,
    Judgement,
    judge_code,
    judge_leads,
    judge_native,
    judge_order,
    judge_ratio,
)
from framematrix.claims.thresholds import judge_async_needed, judge_at_least, judge_sync_enough
from framematrix.contestants.registry import ARTICLE_FRAMEWORKS, CONTESTANTS
from framematrix.measure.side import Side

FRAMEWORKS = ARTICLE_FRAMEWORKS
SYNC_FRAMEWORKS = tuple(f for f in FRAMEWORKS if CONTESTANTS[f].interface == "wsgi")
HIGH_CONCURRENCY = int(ARTICLE.numbers["concurrent_requests"])
HIGH_RATE = float(ARTICLE.numbers["requests_per_second"])
MOST_APPS_RPS = (
    float(ARTICLE.figure("hosting_usd_per_month").extra["requests_per_month"])
    / offline.SECONDS_PER_MONTH
    * offline.PEAK_TO_AVERAGE
)
"""What most apps need: the article's own medium app (its hosting example's requests a
month) at a generous peak, as `offline.low_traffic` reads it."""

Judged = tuple[str, Judgement]
"""What was measured to judge it, and where; the judgement."""
Judge = Callable[[RunCheck, Evidence], Judged]


def _unit(check: RunCheck) -> str:
    return UNITS.get(check.metric or "", "")


def _metric(check: RunCheck) -> str:
    """The figure the claim compares (req/s unless it names another): its tie zone is that
    figure's own (`results.control`)."""
    return check.metric or "rps"


def order(check: RunCheck, evidence: Evidence) -> Judged:
    found, where, rules = evidence.reference(_metric(check))
    return f"{_unit(check)} at {where}", judge_order(check, found, where, rules)


def ratio(check: RunCheck, evidence: Evidence) -> Judged:
    found, where, rules = evidence.reference(_metric(check))
    return f"{_unit(check)} ratio at {where}", judge_ratio(check, found, where, rules)


def leads(check: RunCheck, evidence: Evidence) -> Judged:
    found, where, rules = evidence.reference(_metric(check))
    return f"{_unit(check)} at {where}", judge_leads(check, found, where, rules)


def shines(check: RunCheck, evidence: Evidence) -> Judged:
    high = evidence.only(
        lambda at, found: (
            (at.concurrency or 0) >= HIGH_CONCURRENCY and all(f in found for f in FRAMEWORKS)
        )
    )
    if not high:
        never = Judgement(
            "cannot tell",
            f"concurrency never reached {HIGH_CONCURRENCY} with all three frameworks (highest: "
            f"{evidence.highest_concurrency()}); run `framematrix matrix --article`",
            unmeasured=True,
        )
        return f"{_unit(check)} at {HIGH_CONCURRENCY}+ concurrent connections", never
    found, where, rules = high.preferred(_metric(check))
    return f"{_unit(check)} at {where}", judge_leads(check, found, where, rules)


def async_needed(check: RunCheck, evidence: Evidence) -> Judged:
    app = evidence.app()
    best = {name: app.best(name, "rps") for name in FRAMEWORKS}
    judged = judge_async_needed(best, SYNC_FRAMEWORKS, HIGH_RATE, app.rules())
    return "best median req/s of each framework in the app scenarios", judged


def code_order(check: RunCheck, evidence: Evidence) -> Judged:
    return "API source lines of each contestant package (codesize)", judge_code(
        check, evidence.code
    )


def native(check: RunCheck, evidence: Evidence) -> Judged:
    found, where, _ = evidence.reference()
    extensions = {
        name: realtime.extension for name in FRAMEWORKS if (realtime := CONTESTANTS[name].realtime)
    }
    return f"the WebSocket sides at {where}", judge_native(found, extensions, where)


def at_least(check: RunCheck, evidence: Evidence) -> Judged:
    name = check.order[0]
    metric = _metric(check)
    judged = judge_at_least(check, evidence.best(name, metric), evidence.rules(metric=metric))
    where = f"in the {check.only} workload" if check.only else "anywhere"
    return f"best median {_unit(check)} of {name} {where}", judged


def sync_enough(check: RunCheck, evidence: Evidence) -> Judged:
    """Each synchronous framework's best point in each workload group measured, against the
    peak of the article's own medium app (`MOST_APPS_RPS`)."""
    best = {
        (name, group): part.best(name, "rps")
        for group in check.workloads
        if (part := evidence.group(group))
        for name in SYNC_FRAMEWORKS
    }
    judged = judge_sync_enough(best, MOST_APPS_RPS, evidence.rules())
    return "best median req/s of each synchronous framework in each workload", judged


def beside_trials(measured: str, rule: Callable[[RunCheck, Side | None], Judgement]) -> Judge:
    """A kind judged by one of `claims.side`'s rules on what the run measured beside its trials."""

    def judge(check: RunCheck, evidence: Evidence) -> Judged:
        return measured, rule(check, evidence.side)

    return judge


JUDGES: dict[RunKind, Judge] = {
    "order": order,
    "ratio": ratio,
    "leads": leads,
    "shines": shines,
    "async-needed": async_needed,
    "code-order": code_order,
    "native": native,
    "at-least": at_least,
    "sync-enough": sync_enough,
    "cold-start": beside_trials(
        "each framework's cold start under its default server, one worker",
        side_claims.serverless,
    ),
    "footprint": beside_trials(
        "the distributions and MB each contestant's stack installs (package metadata)",
        side_claims.fewer_dependencies,
    ),
    "test-clients": beside_trials(
        "the contract's read checks through each framework's own test client",
        side_claims.judge_testing,
    ),
    "batteries": beside_trials(
        "what the framework serves on a minimal app, bare and with its documented switch",
        side_claims.batteries,
    ),
}
