"""The claims ledger: every claim of the article (`ledger.toml`, plus the security lines of
`audit.claims`), with its section and its status: measured (with the verdict), measurable but not
yet measured, or stated as the article's.

Verdicts are taken, never re-judged: a run's from `framematrix.claims.evaluate`, the audit's from
the run's audit.json, the offline ones from `claims.offline`. The report and the web page call
`entries(...)` (for a run: `Report.every_claim()`) and render with `table`, `markdown`, `html`.
"""

from __future__ import annotations

import html as html_escape
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from rich.table import Table

from framematrix.claims import offline

if TYPE_CHECKING:
    from framematrix.claims import ClaimResult

Status = Literal["measured", "measurable", "stated"]
STATUS_TEXT = {"measured": "measured", "measurable": "measurable, not yet measured",
               "stated": "stated (the article's)"}  # fmt: skip
SECURITY = "Security Comparison"


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    text: str
    check: str
    how: str = ""
    used_by: str = ""


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


@cache
def claims() -> tuple[Claim, ...]:
    text = resources.files(__package__).joinpath("ledger.toml").read_text(encoding="utf-8")
    return tuple(Claim(**raw) for raw in tomllib.loads(text)["claim"])


def _security(audit: Sequence[Mapping[str, Any]]) -> list[Entry]:
    from framematrix.audit.claims import CLAIMS

    verdicts = {(a.get("framework"), a.get("claim")): a for a in audit}
    entries = []
    for n, claim in enumerate(CLAIMS):
        found = verdicts.get((claim.framework, claim.text))
        cid = f"security-{claim.framework}-{n}"
        text = f"{claim.framework}: {claim.text}"
        if found:
            entries.append(Entry(cid, SECURITY, text, "measured", str(found["verdict"]),
                                 f"audit: {found.get('evidence', '')}"))  # fmt: skip
        else:
            how = ("no probe measures it" if claim.kind == "unmeasured"
                   else "run `framematrix audit --out RUN` to measure it")  # fmt: skip
            entries.append(Entry(cid, SECURITY, text, "measurable", None, how))
    return entries


def _use(claim: Claim) -> str:
    return (
        f"; the decision engine uses it ({claim.used_by.removeprefix('decide: ')})"
        if claim.used_by
        else ""
    )


def entries(
    results: Iterable[ClaimResult] = (),
    audit: Sequence[Mapping[str, Any]] = (),
    run: str | None = None,
) -> list[Entry]:
    """The ledger for a run's claim verdicts (`claims.evaluate`) and audit claims (audit.json's
    `claims`); with neither, every measured claim stays "measurable"."""
    measured = {r.id: r for r in results}
    found = []
    for claim in claims():
        kind, _, ref = claim.check.partition(":")
        if kind == "run" and ref in measured:
            r = measured[ref]
            where = f"run {run}: " if run else ""
            found.append(Entry(claim.id, claim.section, claim.text, "measured", r.verdict,
                               f"{where}{r.measured}: {r.evidence}"))  # fmt: skip
        elif kind == "run":
            found.append(Entry(claim.id, claim.section, claim.text, "measurable", None,
                               "a run: `framematrix matrix` measures it"))  # fmt: skip
        elif kind == "offline":
            verdict, evidence = offline.CHECKS[ref]()
            found.append(Entry(claim.id, claim.section, claim.text, "measured", verdict,
                               f"checked offline: {evidence}"))  # fmt: skip
        elif kind == "measurable":
            found.append(Entry(claim.id, claim.section, claim.text, "measurable", None,
                               claim.how + _use(claim)))  # fmt: skip
        else:
            found.append(Entry(claim.id, claim.section, claim.text, "stated", None,
                               "taken as stated" + _use(claim)))  # fmt: skip
    return found + _security(audit)


def counts(found: Iterable[Entry]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for e in found:
        totals[e.status] = totals.get(e.status, 0) + 1
    return totals


def _status(e: Entry) -> str:
    return f"{STATUS_TEXT[e.status]}: {e.verdict}" if e.verdict else STATUS_TEXT[e.status]


def table(found: Sequence[Entry]) -> Table:
    """The ledger for a terminal (Rich)."""
    t = Table(title=f"The article's claims ({len(found)}): what is measured, and how")
    for column in ("section", "claim", "status", "evidence"):
        t.add_column(column, overflow="fold")
    for e in found:
        t.add_row(e.section, e.claim, _status(e), e.evidence)
    return t


def markdown(found: Sequence[Entry]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| section | claim | status | evidence |", "|---|---|---|---|"]
    lines += [f"| {cell(e.section)} | {cell(e.claim)} | {cell(_status(e))} | {cell(e.evidence)} |"
              for e in found]  # fmt: skip
    return "\n".join(lines) + "\n"


def html(found: Sequence[Entry]) -> str:
    """A <table id="claims-ledger"> fragment, escaped, with a class per status."""
    esc = html_escape.escape
    rows = "".join(
        f'<tr class="{e.status}"><td>{esc(e.section)}</td><td>{esc(e.claim)}</td>'
        f'<td class="status">{esc(_status(e))}</td><td class="src">{esc(e.evidence)}</td></tr>'
        for e in found
    )
    summary = ", ".join(f"{n} {STATUS_TEXT[s]}" for s, n in counts(found).items())
    return (f'<p class="note" id="claims-summary">{len(found)} claims: {esc(summary)}.</p>'
            '<table id="claims-ledger"><tr><th>section</th><th>claim</th><th>status</th>'
            f"<th>evidence</th></tr>{rows}</table>")  # fmt: skip
