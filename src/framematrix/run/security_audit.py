"""The security audit inside a run (`matrix`): after the last trial, when nothing is timed, the
contestants the article's Security Comparison is about are audited on the run's own database and
their audits written into the run's `audit.json`, so the report's claims ledger reads the run's
own evidence for every line (`claims.security`).

Only the audits the verdicts need are made (`claims.security.needed`): each framework's
`default` profile, and its `hardened` one where a line is about what a project switches on. What
an audit finds is decided by code and versions, not by the machine's load, so an audit made with
the same code, versions and database server is taken from the install's cache
(`run.install_cache`, under `audits/`) and the run says which were.
"""

from __future__ import annotations

import time

from rich.console import Console

from framematrix.audit import runner, store
from framematrix.audit.model import AuditResult, Profile
from framematrix.claims import security
from framematrix.contestants.registry import get
from framematrix.db.url import DatabaseURL
from framematrix.measure.environment import installed
from framematrix.results.store import Run
from framematrix.run import install_cache
from framematrix.run.plan import BenchPlan
from framematrix.servers import SERVERS, resolve

KIND = "audits"
DECIDED_BY = ("contestants", "audit", "db", "servers")
"""The parts of framematrix whose code decides what an audit finds."""


def key(contestant: str, profile: Profile, db: DatabaseURL, server: str) -> str:
    """What a kept audit must have been made with: the code, the contestant's and its web
    server's versions, the profile and the database server (`PostgreSQL 18.6`)."""
    _, server_name = resolve(contestant, None)
    return install_cache.key(
        DECIDED_BY,
        versions={**get(contestant).versions(), **installed([SERVERS[server_name].package])},
        profile=profile,
        db=db.kind,
        server=server,
    )


def _kept(pair: tuple[str, Profile], key: str) -> AuditResult | None:
    """The audit kept for this key; None when none is, or it cannot be read back."""
    found = install_cache.read(KIND, pair[0], key)
    try:
        return None if found is None else AuditResult.from_record(found)
    except (KeyError, TypeError, ValueError):
        return None


def record_audit(run: Run, plan: BenchPlan, db: DatabaseURL, server: str, out: Console) -> None:
    """Audit what the run's security claims need (or take it from the install's cache), each
    audit merged into `audit.json` as it is had; how long it took, which were kept ones and what
    failed go into run.json (`audit`)."""
    pairs = security.needed(plan.contestants)
    if not pairs:
        return
    started = time.monotonic()
    keys = {pair: key(*pair, db, server) for pair in pairs}
    audits = [audit for pair in pairs if (audit := _kept(pair, keys[pair])) is not None]
    cached = [(a.contestant, a.profile) for a in audits]
    if audits:
        store.save(run.path, audits, security.records)
    fresh = [pair for pair in pairs if pair not in cached]
    failures = 0
    if fresh:
        out.print(
            f"the security audit of {len(fresh)} contestant profiles (nothing is being timed)",
            style="dim",
        )

        def keep(audit: AuditResult) -> None:
            pair = (audit.contestant, audit.profile)
            install_cache.keep(KIND, audit.contestant, keys[pair], audit.record())
            store.save(run.path, [audit], security.records)

        def say(message: str, error: str | None) -> None:
            if error is not None:
                out.print(f"[yellow]warning:[/] audit of {message}: {error}", highlight=False)

        made, failures = runner.audit_each(fresh, db, on_event=say, on_audit=keep)
        audits += made
    seconds = time.monotonic() - started
    run.update_meta(
        audit={
            "seconds": round(seconds, 1),
            "audited": [[a.contestant, a.profile] for a in audits],
            "cached": [list(pair) for pair in cached],
            "failures": failures,
        }
    )
    out.print(
        f"security audit: {len(audits)} audits in {seconds:.0f} s"
        + (f" ({len(cached)} from this install's cache)" if cached else ""),
        style="dim",
    )
