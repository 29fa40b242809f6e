"""The records the audit passes around: what is audited, what one probe found, a scored audit.

Kept apart from the probes so scoring, claims, the store and the CLI share one vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeGuard

Profile = Literal["default", "hardened"]
PROFILES: tuple[Profile, ...] = ("default", "hardened")


def is_profile(name: str) -> TypeGuard[Profile]:
    """Lets a checked CLI string be passed on as a `Profile`."""
    return name in PROFILES


NOT_APPLICABLE = "not-applicable"
CANNOT_TELL = "cannot-tell"


@dataclass(frozen=True)
class Target:
    """A running server to audit, the profile it claims, and the database behind it."""

    base_url: str
    profile: Profile = "default"
    db_url: str | None = None
    """Where the password hash is read from; None means the password probe cannot run."""


@dataclass(frozen=True)
class ProbeResult:
    """One probe's finding; `outcome` is the key of its modifier in the scoring table."""

    name: str
    passed: bool | None
    """None: not applicable, or the probe could not tell (see `outcome`)."""
    detail: str
    outcome: str
    data: Mapping[str, object] = field(default_factory=dict)
    """Measured facts a claim may need (e.g. the password hash algorithm)."""

    @classmethod
    def not_applicable(cls, name: str, why: str) -> ProbeResult:
        return cls(name, None, f"not applicable: {why}", NOT_APPLICABLE)

    @classmethod
    def cannot_tell(cls, name: str, why: str) -> ProbeResult:
        return cls(name, None, f"cannot tell: {why}", CANNOT_TELL)

    def record(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Score:
    """An audit's score and grade, and what each probe contributed to them."""

    score: int
    grade: str
    before_bonus: int
    modifiers: dict[str, int]
    """probe name -> what it contributed (a bonus not awarded contributes 0)."""


@dataclass(frozen=True)
class AuditResult:
    """All probes of one contestant in one profile, with its Observatory-style score."""

    contestant: str
    profile: Profile
    url: str
    scored: Score
    probes: tuple[ProbeResult, ...]
    server: dict[str, object] | None = None
    """The ServerConfig record when framematrix started the server; None for --url."""

    @property
    def score(self) -> int:
        return self.scored.score

    @property
    def grade(self) -> str:
        return self.scored.grade

    def probe(self, name: str) -> ProbeResult | None:
        return next((p for p in self.probes if p.name == name), None)

    def record(self) -> dict[str, object]:
        return {
            "contestant": self.contestant,
            "profile": self.profile,
            "url": self.url,
            "grade": self.grade,
            "score": self.score,
            "score_before_bonus": self.scored.before_bonus,
            "probes": [
                {**p.record(), "modifier": self.scored.modifiers.get(p.name, 0)}
                for p in self.probes
            ],
            "server": self.server,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> AuditResult:
        """`data` is JSON read back from audit.json, so its values are untyped."""
        probes = [dict(p) for p in data["probes"]]
        return cls(
            contestant=str(data["contestant"]),
            profile=data["profile"],
            url=str(data["url"]),
            scored=Score(
                int(data["score"]),
                str(data["grade"]),
                int(data["score_before_bonus"]),
                {p["name"]: int(p.get("modifier", 0)) for p in probes},
            ),
            probes=tuple(
                ProbeResult(p["name"], p["passed"], p["detail"], p["outcome"], p.get("data") or {})
                for p in probes
            ),
            server=data.get("server"),
        )
