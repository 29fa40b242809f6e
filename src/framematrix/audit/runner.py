"""Audit a contestant (started here under its production server) or any URL, and score it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from framematrix.audit import scoring
from framematrix.audit.model import PROFILES, AuditResult, ProbeResult, Profile, Target, is_profile
from framematrix.audit.probes import run_probes
from framematrix.audit.users import PROFILE_ENV_VAR, UNUSABLE_HASH, ensure_audit_user, hash_with
from framematrix.contestants.registry import CONTESTANTS, ContestantSpec, get
from framematrix.db.choice import seeded
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port, reachable, resolve


def scored(
    contestant: str,
    profile: Profile,
    url: str,
    results: Sequence[ProbeResult],
    server: dict[str, object] | None = None,
) -> AuditResult:
    return AuditResult(contestant, profile, url, scoring.score(results), tuple(results), server)


def profiles_for(spec: ContestantSpec, requested: Sequence[Profile]) -> list[Profile]:
    """Only a contestant with the web side (WEB_CONTRACT.md, recognised by its password hook)
    has profiles; the API-only ones (baselines, the article's code as published) are audited
    once, as `default`."""
    return list(requested) if spec.password_hook else ["default"]


def audit_url(
    url: str, profile: Profile, db_url: str | None = None, label: str = "url"
) -> AuditResult:
    reachable(url)
    return scored(label, profile, url, run_probes(Target(url.rstrip("/"), profile, db_url)))


def audit_contestant(
    contestant: str, profile: Profile, db: DatabaseURL, server: str | None = None, workers: int = 1
) -> AuditResult:
    """Store the audit user's hash the contestant's way, start it with the profile, probe it."""
    spec, server_name = resolve(contestant, server)
    hook = spec.password_hook
    ensure_audit_user(db, hash_with(hook, profile, db.url) if hook else UNUSABLE_HASH)
    config = ServerConfig(
        contestant,
        server_name,
        db.url,
        port=free_port(),
        workers=workers,
        env={PROFILE_ENV_VAR: profile},
    )
    with RunningServer(config):
        results = run_probes(Target(config.url, profile, db.url))
    return scored(contestant, profile, config.url, results, config.record())


def audit_contestants(
    names: Sequence[str],
    profiles: Sequence[Profile],
    db: str | None = None,
    server: str | None = None,
    on_event: Callable[[str, str | None], None] = lambda message, error: None,
    on_audit: Callable[[AuditResult], None] = lambda audit: None,
) -> tuple[list[AuditResult], int]:
    """Audit each contestant in each profile on one database (`db` as given; by default the
    embedded PostgreSQL with a small seed), handing each result to `on_audit` as soon as it
    exists (the CLI merges it into audit.json).

    Returns the audits and how many contestants could not be audited (each reported through
    `on_event(message, error)`), so one broken contestant does not stop the rest.
    """
    specs = [get(name) for name in names]
    size = SeedSize() if db else SeedSize(authors=20, posts=100)
    with (
        tempfile.TemporaryDirectory(prefix="framematrix-audit-") as scratch,
        seeded(db, sqlite_file=Path(scratch) / "audit.db", size=size) as opened,
    ):
        pairs = [(spec.name, profile) for spec in specs for profile in profiles_for(spec, profiles)]
        return audit_each(pairs, opened.url, server, on_event, on_audit)


def audit_each(
    pairs: Sequence[tuple[str, Profile]],
    database: DatabaseURL,
    server: str | None = None,
    on_event: Callable[[str, str | None], None] = lambda message, error: None,
    on_audit: Callable[[AuditResult], None] = lambda audit: None,
) -> tuple[list[AuditResult], int]:
    """Audit each (contestant, profile) on a database that is already seeded (a run's own, after
    its trials), one after the other; the audits and how many failed."""
    audits: list[AuditResult] = []
    failures = 0
    for name, profile in pairs:
        on_event(f"auditing {name} ({profile})", None)
        try:
            audits.append(audit_contestant(name, profile, database, server))
        except FramematrixError as exc:
            failures += 1
            on_event(f"{name} ({profile})", str(exc))
            continue
        on_audit(audits[-1])
    return audits, failures


def run_audit(
    names: Sequence[str],
    profiles: Sequence[str],
    *,
    url: str | None = None,
    db: str | None = None,
    server: str | None = None,
    on_event: Callable[[str, str | None], None] = lambda message, error: None,
    on_audit: Callable[[AuditResult], None] = lambda audit: None,
) -> tuple[list[AuditResult], int]:
    """`framematrix audit`: a running server (`url`, one profile) or the contestants named
    (default all) in the profiles given (default both), each audit handed to `on_audit` as it
    finishes. Returns the audits and how many contestants could not be audited."""
    chosen: list[Profile] = []
    for name in profiles or (["default"] if url else list(PROFILES)):
        if not is_profile(name):
            raise FramematrixError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}")
        chosen.append(name)
    if not url:
        return audit_contestants(names or list(CONTESTANTS), chosen, db, server, on_event, on_audit)
    if len(chosen) > 1 or len(names) > 1:
        raise FramematrixError("with --url give at most one CONTESTANT and one --profile")
    db_url = DatabaseURL.parse(db).url if db else None
    audits = [audit_url(url, chosen[0], db_url, (list(names) or ["url"])[0])]
    on_audit(audits[0])
    return audits, 0
