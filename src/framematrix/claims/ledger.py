"""The claims ledger: every claim of the catalogue with its status: measured (with the verdict),
measurable but not yet measured, or stated as the article's.

Verdicts are taken, never re-judged: a run's from `framematrix.claims.evaluate`, the audit's from
the run's audit.json (`claims.security`), the offline ones from `claims.offline`. The report and
the web page call `entries(...)` (for a run: `Report.every_claim()`) and render them with
`report/claims_ledger.py`: this module holds the data alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from framematrix.claims import offline
from framematrix.claims.catalog import (
    CATALOGUE,
    AuditCheck,
    Claim,
    Measurable,
    OfflineCheck,
    RunCheck,
    Stated,
    VerdictOf,
)

if TYPE_CHECKING:
    from framematrix.claims import ClaimResult

Status = Literal["measured", "measurable", "stated"]


@dataclass(frozen=True)
class Entry:
    id: str
    section: str
    claim: str
    status: Status
    verdict: str | None
    """holds / does not hold / cannot tell, for a measured claim."""
    evidence: str
    """The measurement behind the verdict, how it could be measured, or what framematrix does
    with a stated claim."""

    def record(self) -> dict[str, Any]:
        return asdict(self)


def _use(used_by: str) -> str:
    return f"; the decision engine uses it ({used_by.removeprefix('decide: ')})" if used_by else ""


def _status(
    claim: Claim,
    measured: Mapping[str, ClaimResult],
    audited: Mapping[tuple[object, object], Mapping[str, Any]],
    run: str | None,
) -> tuple[Status, str | None, str]:
    """(status, verdict, evidence) of one claim."""
    match claim.check:
        case RunCheck() | VerdictOf():
            ref = claim.check.claim if isinstance(claim.check, VerdictOf) else claim.id
            if result := measured.get(ref):
                where = f"run {run}: " if run else ""
                return "measured", result.verdict, f"{where}{result.measured}: {result.evidence}"
            return "measurable", None, "a run: `framematrix matrix` measures it"
        case AuditCheck(kind="unmeasured", why=why):
            return "stated", None, f"taken as stated ({why})"
        case AuditCheck(framework=framework):
            if found := audited.get((framework, claim.text)):
                return "measured", str(found["verdict"]), f"audit: {found.get('evidence', '')}"
            return "measurable", None, "run `framematrix audit --out RUN` to measure it"
        case OfflineCheck(name=name):
            verdict, evidence = offline.CHECKS[name]()
            return "measured", verdict, f"checked offline: {evidence}"
        case Measurable(how=how, used_by=used_by):
            return "measurable", None, how + _use(used_by)
        case Stated(used_by=used_by, why=why):
            return "stated", None, f"taken as stated ({why})" + _use(used_by)


def _text(claim: Claim) -> str:
    """A security line names its framework: the article lists them under each."""
    if isinstance(claim.check, AuditCheck):
        return f"{claim.check.framework}: {claim.text}"
    return claim.text


def entries(
    results: Iterable[ClaimResult] = (),
    audit: Sequence[Mapping[str, Any]] = (),
    run: str | None = None,
) -> list[Entry]:
    """The ledger for a run's claim verdicts (`claims.evaluate`) and audit claims (audit.json's
    `claims`); with neither, every measured claim stays "measurable"."""
    measured = {r.id: r for r in results}
    audited = {(a.get("framework"), a.get("claim")): a for a in audit}
    return [
        Entry(claim.id, claim.section, _text(claim), *_status(claim, measured, audited, run))
        for claim in CATALOGUE
    ]


def counts(found: Iterable[Entry]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for e in found:
        totals[e.status] = totals.get(e.status, 0) + 1
    return totals
