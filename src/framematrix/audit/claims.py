"""The article's "Security Comparison", claim by claim, judged from measured audits.

A ✅ ("automatic", "out of the box") claim holds when its probes pass in the `default` profile.
A ⚠️ ("manual", "via libraries") claim holds when the default profile fails at least one of its
probes and the `hardened` profile, configured as the framework's documentation advises, passes
them all: the protection exists but needs the work. A star score is compared with the stars the
measured default-profile grade maps to (A range 5, B 4, C 3, D 2, F 1). Claims no probe measures
(OAuth2 utilities, rate limiting) are kept as rows and always answer "cannot tell".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from framematrix.audit.model import AuditResult

Kind = Literal["automatic", "manual", "stars", "unmeasured"]
Verdict = Literal["holds", "does not hold", "cannot tell"]
SOURCE = "framework-decision-matrix-2025, Security Comparison"
CONFIG_PROBES = (
    "x-frame-options", "x-content-type-options", "content-security-policy",
    "strict-transport-security", "cookie-secure", "host-header", "https-redirect",
)  # fmt: skip


@dataclass(frozen=True)
class Claim:
    framework: str
    """The contestant whose audits decide it."""
    text: str
    kind: Kind
    probes: tuple[str, ...] = ()
    stars: int | None = None
    algorithm: str | None = None
    """For the password claim: the algorithm family the stored hash must use."""


CLAIMS: tuple[Claim, ...] = (
    Claim("django", "CSRF protection (automatic)", "automatic", ("csrf",)),
    Claim("django", "SQL injection protection (ORM)", "automatic", ("sql-injection",)),
    Claim("django", "XSS protection (template auto-escaping)", "automatic", ("xss",)),
    Claim("django", "Clickjacking protection", "automatic", ("x-frame-options",)),
    Claim(
        "django",
        "SSL/HTTPS enforcement",
        "automatic",
        ("https-redirect", "strict-transport-security"),
    ),
    Claim("django", "Host header validation", "automatic", ("host-header",)),
    Claim(
        "django",
        "Session security",
        "automatic",
        ("cookie-httponly", "cookie-secure", "cookie-samesite"),
    ),
    Claim(
        "django",
        "Password hashing (PBKDF2 default)",
        "automatic",
        ("password-storage",),
        algorithm="pbkdf2",
    ),
    Claim("django", "Security score 5/5", "stars", stars=5),
    Claim("fastapi", "CSRF protection (manual, via libraries)", "manual", ("csrf",)),
    Claim(
        "fastapi",
        "SQL injection protection (if using ORM properly)",
        "automatic",
        ("sql-injection",),
    ),
    Claim("fastapi", "XSS protection (manual)", "manual", ("xss",)),
    Claim("fastapi", "CORS (manual configuration)", "manual", ("cors",)),
    Claim("fastapi", "OAuth2/JWT support (built-in utilities)", "unmeasured"),
    Claim("fastapi", "Rate limiting (via extensions)", "unmeasured"),
    Claim("fastapi", "Security score 3/5", "stars", stars=3),
    Claim("flask", "CSRF protection (via flask-wtf)", "manual", ("csrf",)),
    Claim("flask", "SQL injection protection (if using ORM)", "automatic", ("sql-injection",)),
    Claim("flask", "XSS protection (Jinja2 auto-escaping)", "manual", ("xss",)),
    Claim("flask", "Everything else is manual", "manual", CONFIG_PROBES),
    Claim("flask", "Security score 3/5", "stars", stars=3),
)


@dataclass(frozen=True)
class ClaimVerdict:
    framework: str
    claim: str
    kind: Kind
    probes: tuple[str, ...]
    verdict: Verdict
    evidence: str

    def record(self) -> dict[str, object]:
        return asdict(self)


def stars(grade: str) -> int:
    """A+/A/A- -> 5, B -> 4, C -> 3, D -> 2, F -> 1."""
    return {"A": 5, "B": 4, "C": 3, "D": 2}.get(grade[0], 1)


def _measured(audit: AuditResult, probes: tuple[str, ...]) -> dict[str, bool | None]:
    return {name: (p.passed if (p := audit.probe(name)) else None) for name in probes}


def _failed(measured: dict[str, bool | None]) -> list[str]:
    return [name for name, passed in measured.items() if passed is False]


def _judge(
    claim: Claim, default: AuditResult | None, hardened: AuditResult | None
) -> tuple[Verdict, str]:
    if claim.kind == "unmeasured":
        return "cannot tell", "no probe measures this"
    if default is None:
        return "cannot tell", f"no audit of {claim.framework} in the default profile"
    if claim.kind == "stars":
        got = stars(default.grade)
        verdict: Verdict = "holds" if got == claim.stars else "does not hold"
        return verdict, f"default profile: {default.score} ({default.grade}) = {got}/5"
    measured = _measured(default, claim.probes)
    if all(v is None for v in measured.values()):
        return "cannot tell", "default profile: " + _details(default, claim.probes[:1])
    failed = _failed(measured)
    if claim.kind == "automatic":
        if failed:
            fixed = hardened is not None and not _failed(_measured(hardened, claim.probes))
            note = "; the hardened profile passes" if fixed else ""
            return "does not hold", f"default profile fails {', '.join(failed)}{note}"
        if claim.algorithm:
            probe = default.probe("password-storage")
            algorithm = str((probe.data if probe else {}).get("algorithm", ""))
            if not algorithm.startswith(claim.algorithm):
                return "does not hold", f"stored hash is {algorithm or 'unknown'}"
        return "holds", "default profile: " + _details(default, claim.probes)
    if not failed:
        return "does not hold", "already passes without configuration: " + _details(
            default, claim.probes
        )
    if hardened is None:
        return "cannot tell", f"default fails {', '.join(failed)}; no hardened audit"
    after = _measured(hardened, claim.probes)
    still = [n for n, v in after.items() if v is False or (n in failed and v is not True)]
    if still:
        return (
            "cannot tell",
            f"default fails {', '.join(failed)}; hardened does not pass {', '.join(still)}",
        )
    return "holds", f"default fails {', '.join(failed)}; the hardened profile passes them"


def _details(audit: AuditResult, probes: tuple[str, ...]) -> str:
    return "; ".join(f"{p.name}: {p.detail}" for name in probes if (p := audit.probe(name)))


def evaluate(audits: Iterable[AuditResult]) -> list[ClaimVerdict]:
    """One verdict per claim, from whichever audits of its framework are present."""
    by_key = {(a.contestant, a.profile): a for a in audits}
    verdicts = []
    for claim in CLAIMS:
        verdict, evidence = _judge(
            claim,
            by_key.get((claim.framework, "default")),
            by_key.get((claim.framework, "hardened")),
        )
        verdicts.append(
            ClaimVerdict(claim.framework, claim.text, claim.kind, claim.probes, verdict, evidence)
        )
    return verdicts
