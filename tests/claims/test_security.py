"""The article's security claims judged from hand-made audits."""

from __future__ import annotations

from typing import get_args

from framematrix.audit.model import AuditResult, ProbeResult
from framematrix.audit.probes import PROBE_NAMES
from framematrix.audit.runner import scored
from framematrix.claims.catalog import AuditKind
from framematrix.claims.security import AUDIT_CLAIMS, JUDGES, evaluate, stars


def audit(contestant: str, profile: str, failing: set[str], **data: object) -> AuditResult:
    results = [
        ProbeResult(
            name,
            name not in failing,
            "hand-made",
            "x",
            dict(data) if name == "password-storage" else {},
        )
        for name in PROBE_NAMES
    ]
    # Outcomes only matter for scoring; give each its table's pass or fail outcome.
    from framematrix.audit.scoring import RULES

    outcome = {(r.probe, r.modifier < 0): r.outcome for r in reversed(RULES) if r.probe != "(any)"}
    results = [
        ProbeResult(r.name, r.passed, r.detail, outcome[(r.name, not r.passed)], r.data)
        for r in results
    ]
    return scored(contestant, profile, "http://x", results)  # type: ignore[arg-type]


def verdict(verdicts: list, framework: str, text: str) -> str:  # type: ignore[type-arg]
    return next(
        v.verdict for v in verdicts if v.framework == framework and v.claim.startswith(text)
    )


def test_automatic_claims_hold_when_the_default_profile_passes() -> None:
    verdicts = evaluate([audit("django", "default", set(), algorithm="pbkdf2-sha256")])
    assert verdict(verdicts, "django", "CSRF") == "holds"
    assert verdict(verdicts, "django", "Password hashing") == "holds"
    assert verdict(verdicts, "django", "Security score 5/5") == "holds"


def test_automatic_claims_fail_on_default_failures_and_wrong_algorithm() -> None:
    default = audit("django", "default", {"strict-transport-security"}, algorithm="argon2id")
    hardened = audit("django", "hardened", set(), algorithm="argon2id")
    verdicts = evaluate([default, hardened])
    ssl = next(v for v in verdicts if v.claim == "SSL/HTTPS enforcement")
    assert ssl.verdict == "does not hold"
    assert "hardened profile passes" in ssl.evidence
    assert verdict(verdicts, "django", "Password hashing") == "does not hold"


def test_manual_claims_need_a_failing_default_and_a_passing_hardened() -> None:
    verdicts = evaluate([audit("flask", "default", {"csrf"}), audit("flask", "hardened", set())])
    assert verdict(verdicts, "flask", "CSRF") == "holds"
    assert verdict(verdicts, "flask", "XSS") == "does not hold"  # passes with no work at all
    only_default = evaluate([audit("flask", "default", {"csrf"})])
    assert verdict(only_default, "flask", "CSRF") == "cannot tell"
    still = evaluate([audit("flask", "default", {"csrf"}), audit("flask", "hardened", {"csrf"})])
    assert verdict(still, "flask", "CSRF") == "cannot tell"


def test_stars_follow_the_default_grade() -> None:
    many = {"content-security-policy", "x-frame-options", "csrf"}  # -70: 30, a D
    verdicts = evaluate([audit("fastapi", "default", many)])
    assert verdict(verdicts, "fastapi", "Security score 3/5") == "does not hold"
    assert [stars(g) for g in ("A+", "A-", "B", "C+", "D-", "F")] == [5, 5, 4, 3, 2, 1]


def test_unmeasured_and_unaudited_claims_cannot_tell() -> None:
    verdicts = evaluate([])
    assert len(verdicts) == len(AUDIT_CLAIMS)
    assert {v.verdict for v in verdicts} == {"cannot tell"}
    checks = [check for _, check in AUDIT_CLAIMS]
    assert all(c.probes or c.kind in ("stars", "unmeasured") for c in checks)
    assert {p for c in checks for p in c.probes} <= set(PROBE_NAMES)


def test_every_kind_of_line_has_its_judge() -> None:
    assert set(JUDGES) == set(get_args(AuditKind))
    assert {check.kind for _, check in AUDIT_CLAIMS} == set(JUDGES)


def test_a_run_audits_the_defaults_and_the_hardened_profile_of_manual_lines_only() -> None:
    """Django's lines are all ✅ or its stars: its default profile decides them; FastAPI and
    Flask have ⚠️ lines, which need both. A contestant no line is about is not audited."""
    from framematrix.claims.security import needed

    assert needed(["litestar", "flask", "django", "fastapi"]) == [
        ("django", "default"),
        ("fastapi", "default"),
        ("fastapi", "hardened"),
        ("flask", "default"),
        ("flask", "hardened"),
    ]
    assert needed(["raw-wsgi"]) == []
