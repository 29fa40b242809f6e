"""The security audit inside a run (`matrix`): after the last trial, when nothing is timed, the
contestants the article's Security Comparison is about are audited on the run's own database and
their audits written into the run's `audit.json`, so the report's claims ledger reads the run's
own evidence for every line (`claims.security`).

Only the audits the verdicts need are made (`claims.security.needed`): each framework's
`default` profile, and its `hardened` one where a line is about what a project switches on.
"""

from __future__ import annotations

import time

from rich.console import Console

from framematrix.audit import runner, store
from framematrix.audit.model import AuditResult
from framematrix.claims import security
from framematrix.db.url import DatabaseURL
from framematrix.results.store import Run
from framematrix.run.plan import BenchPlan


def record_audit(run: Run, plan: BenchPlan, db: DatabaseURL, out: Console) -> None:
    """Audit what the run's security claims need, each audit merged into `audit.json` as it
    finishes; how long it took and what failed kept in run.json (`audit`)."""
    pairs = security.needed(plan.contestants)
    if not pairs:
        return
    out.print(
        f"the security audit of {len(pairs)} contestant profiles (nothing is being timed)",
        style="dim",
    )

    def keep(audit: AuditResult) -> None:
        store.save(run.path, [audit], security.records)

    def say(message: str, error: str | None) -> None:
        if error is not None:
            out.print(f"[yellow]warning:[/] audit of {message}: {error}", highlight=False)

    started = time.monotonic()
    audits, failures = runner.audit_each(pairs, db, on_event=say, on_audit=keep)
    seconds = time.monotonic() - started
    run.update_meta(
        audit={
            "seconds": round(seconds, 1),
            "audited": [[a.contestant, a.profile] for a in audits],
            "failures": failures,
        }
    )
    out.print(f"security audit: {len(audits)} audits in {seconds:.0f} s", style="dim")
