"""Audit a contestant (started here under its production server) or any URL, and score it."""

from __future__ import annotations

from collections.abc import Sequence

from framematrix.audit import scoring
from framematrix.audit.model import AuditResult, ProbeResult, Profile, Target
from framematrix.audit.probes import run_probes
from framematrix.audit.users import (
    PROFILE_ENV_VAR,
    UNUSABLE_HASH,
    ensure_audit_user,
    has_hook,
    hash_with,
    hook_module,
)
from framematrix.contestants.registry import ContestantSpec
from framematrix.db.url import DatabaseURL
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve


def scored(
    contestant: str,
    profile: Profile,
    url: str,
    results: Sequence[ProbeResult],
    server: dict[str, object] | None = None,
) -> AuditResult:
    score = scoring.score(results)
    return AuditResult(
        contestant,
        profile,
        url,
        score.score,
        score.grade,
        score.before_bonus,
        tuple(results),
        score.modifiers,
        server,
    )


def profiles_for(spec: ContestantSpec, requested: Sequence[Profile]) -> list[Profile]:
    """Baselines have no profiles: they are audited once, as `default`."""
    return list(requested) if spec.baseline is not None else ["default"]


def audit_url(
    url: str, profile: Profile, db_url: str | None = None, label: str = "url"
) -> AuditResult:
    return scored(label, profile, url, run_probes(Target(url.rstrip("/"), profile, db_url)))


def audit_contestant(
    contestant: str, profile: Profile, db: DatabaseURL, server: str | None = None, workers: int = 1
) -> AuditResult:
    """Store the audit user's hash the contestant's way, start it with the profile, probe it."""
    spec, server_name = resolve(contestant, server)
    module = hook_module(spec.app)
    ensure_audit_user(db, hash_with(module, profile, db.url) if has_hook(module) else UNUSABLE_HASH)
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
