"""The article's "Security Comparison", line by line (`catalog.AuditCheck`), judged from audits.

A ✅ ("automatic", "out of the box") line holds when its probes pass in the `default` profile.
A ⚠️ ("manual", "via libraries") line holds when the default profile fails at least one of its
probes and the `hardened` profile, configured as the framework's documentation advises, passes
them all: the protection exists but needs the work. A star score is compared with the stars the
measured default-profile grade maps to (A range 5, B 4, C 3, D 2, F 1). A line no probe measures
(OAuth2 utilities) is kept as a row that answers "cannot tell"; the ledger keeps it stated, with
its check's reason.

`JUDGES` maps a line's kind to its judge; every judge has one signature, `(check, audits) ->
(verdict, evidence)`, and reads the audits only through `Audits`. The verdicts are kept in
`audit.json` beside the audits (`audit.store`, given `records`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from framematrix.audit.model import PROFILES, AuditResult, Profile
from framematrix.claims.catalog import AuditCheck, AuditKind, checked_by
from framematrix.claims.judge import Verdict

AUDIT_CLAIMS = checked_by(AuditCheck)
"""Each line of the Security Comparison, with its check, in the article's order."""
Judged = tuple[Verdict, str]
"""The verdict and its evidence."""


@dataclass(frozen=True)
class Audits:
    """A framework's audits, as the judges read them: one per profile, either may be missing."""

    default: AuditResult | None
    hardened: AuditResult | None


@dataclass(frozen=True)
class ClaimVerdict:
    framework: str
    claim: str
    kind: AuditKind
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


def _details(audit: AuditResult, probes: tuple[str, ...]) -> str:
    return "; ".join(f"{p.name}: {p.detail}" for name in probes if (p := audit.probe(name)))


def _unaudited(check: AuditCheck) -> Judged:
    return "cannot tell", f"no audit of {check.framework} in the default profile"


def _default_audit(check: AuditCheck, audits: Audits) -> AuditResult | Judged:
    """The default profile's audit, or why the line cannot be judged from it: there is none,
    or none of the line's probes measured anything in it."""
    default = audits.default
    if default is None:
        return _unaudited(check)
    if all(v is None for v in _measured(default, check.probes).values()):
        return "cannot tell", "default profile: " + _details(default, check.probes[:1])
    return default


def unmeasured(check: AuditCheck, audits: Audits) -> Judged:
    return "cannot tell", "no probe measures this"


def star_score(check: AuditCheck, audits: Audits) -> Judged:
    if audits.default is None:
        return _unaudited(check)
    got = stars(audits.default.grade)
    verdict: Verdict = "holds" if got == check.stars else "does not hold"
    return verdict, f"default profile: {audits.default.score} ({audits.default.grade}) = {got}/5"


def automatic(check: AuditCheck, audits: Audits) -> Judged:
    default, hardened = _default_audit(check, audits), audits.hardened
    if not isinstance(default, AuditResult):
        return default
    if failed := _failed(_measured(default, check.probes)):
        fixed = hardened is not None and not _failed(_measured(hardened, check.probes))
        note = "; the hardened profile passes" if fixed else ""
        return "does not hold", f"default profile fails {', '.join(failed)}{note}"
    if check.algorithm:
        probe = default.probe("password-storage")
        algorithm = str((probe.data if probe else {}).get("algorithm", ""))
        if not algorithm.startswith(check.algorithm):
            return "does not hold", f"stored hash is {algorithm or 'unknown'}"
    return "holds", "default profile: " + _details(default, check.probes)


def manual(check: AuditCheck, audits: Audits) -> Judged:
    default, hardened = _default_audit(check, audits), audits.hardened
    if not isinstance(default, AuditResult):
        return default
    failed = _failed(_measured(default, check.probes))
    if not failed:
        return "does not hold", "already passes without configuration: " + _details(
            default, check.probes
        )
    if hardened is None:
        return "cannot tell", f"default fails {', '.join(failed)}; no hardened audit"
    after = _measured(hardened, check.probes)
    still = [n for n, v in after.items() if v is False or (n in failed and v is not True)]
    if still:
        return (
            "cannot tell",
            f"default fails {', '.join(failed)}; hardened does not pass {', '.join(still)}",
        )
    return "holds", f"default fails {', '.join(failed)}; the hardened profile passes them"


JUDGES: dict[AuditKind, Callable[[AuditCheck, Audits], Judged]] = {
    "automatic": automatic,
    "manual": manual,
    "stars": star_score,
    "unmeasured": unmeasured,
}


def evaluate(audits: Iterable[AuditResult]) -> list[ClaimVerdict]:
    """One verdict per line, from whichever audits of its framework are present."""
    by_key = {(a.contestant, a.profile): a for a in audits}
    verdicts = []
    for claim, check in AUDIT_CLAIMS:
        found = Audits(
            by_key.get((check.framework, "default")), by_key.get((check.framework, "hardened"))
        )
        verdict, evidence = JUDGES[check.kind](check, found)
        verdicts.append(
            ClaimVerdict(check.framework, claim.text, check.kind, check.probes, verdict, evidence)
        )
    return verdicts


def needed(measured: Iterable[str]) -> list[tuple[str, Profile]]:
    """The audits the Security Comparison's verdicts need, of the contestants a run measured:
    each framework's `default` profile, and its `hardened` one where a line of it is about what a
    project can switch on (`manual`), in the catalogue's order."""
    kinds: dict[str, set[AuditKind]] = {}
    for _, check in AUDIT_CLAIMS:
        kinds.setdefault(check.framework, set()).add(check.kind)
    chosen = set(measured)
    return [
        (framework, profile)
        for framework, found in kinds.items()
        if framework in chosen
        for profile in PROFILES
        if profile == "default" or "manual" in found
    ]


def records(audits: Iterable[AuditResult]) -> list[dict[str, object]]:
    """The verdicts as audit.json keeps them."""
    return [verdict.record() for verdict in evaluate(audits)]
