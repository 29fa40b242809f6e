"""The article's claims, as data: one `Claim` record each, in one catalogue (`catalog.toml`).

Every claim has an id, its section and its text, and says how it is checked: measured by a run
(`RunCheck`, judged by kind in `claims.kinds`), by the security audit (`AuditCheck`,
`claims.security`), as part of another claim a run measures (`VerdictOf`), offline
(`OfflineCheck`, `claims.offline`), or not at all: measurable but not yet measured
(`Measurable`), or taken as the article states it (`Stated`). Texts quote the article's figures
by path (`Article.at`), filled in when the catalogue is loaded, so that a number the article
gives is typed once, in figures.toml.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar

from framematrix.claims.article import ARTICLE, Article, Better

RunKind = Literal[
    "order",
    "ratio",
    "leads",
    "shines",
    "async-needed",
    "sync-enough",
    "code-order",
    "native",
    "at-least",
    "cold-start",
    "footprint",
    "test-clients",
    "batteries",
]
AuditKind = Literal["automatic", "manual", "stars", "unmeasured"]


@dataclass(frozen=True)
class RunCheck:
    """Measured by a run, judged by `kind` on the run's points."""

    kind: RunKind
    metric: str | None = None
    """A PointSummary field: `rps`, `p95_ms`, `workers_pss_mb`."""
    order: tuple[str, ...] = ()
    """Best first."""
    better: Better = "higher"
    figure: float | None = None
    """The article's figure it is held against: for `ratio`, order[0] over order[1]; for
    `at-least`, what order[0] reaches (a rate per second, where `per` is given)."""
    per: str | None = None
    """The span the article's figure counts over (`SPANS`: "day"): it is held against as a rate
    per second."""
    workloads: tuple[str, ...] = ()
    """The workload groups (`GROUPS`) it is also judged on, each at its own reference point."""
    only: str | None = None
    """The one workload group it is about (the realtime claims); None: the run's reference."""
    batteries: tuple[str, ...] = ()
    """For `batteries`: the batteries (`measure.batteries.probes.PROBES`) of each framework in
    `order` the claim says it serves."""
    served: str = "default"
    """For `batteries`: the least each must be: `default` (no code), `built in` (lines of the
    framework's own, no other package)."""


@dataclass(frozen=True)
class AuditCheck:
    """A line of the article's Security Comparison, judged from the audits of `framework`."""

    framework: str
    kind: AuditKind
    probes: tuple[str, ...] = ()
    stars: int | None = None
    """For `stars`: the article's score."""
    algorithm: str | None = None
    """For the password line: the algorithm family the stored hash must use."""
    why: str = ""
    """For `unmeasured`: why no probe measures it, in one line (the ledger keeps it stated)."""


@dataclass(frozen=True)
class VerdictOf:
    """Judged as part of another claim a run measures: it carries that claim's verdict."""

    claim: str


@dataclass(frozen=True)
class OfflineCheck:
    """Checked without a run: `claims.offline.CHECKS[name]`."""

    name: str


OPINION = "an opinion or a recommendation: no measurement decides it"


@dataclass(frozen=True)
class Measurable:
    """Not measured yet: the claim says what would measure it."""

    how: str
    """What would measure it."""
    used_by: str = ""


@dataclass(frozen=True)
class Stated:
    used_by: str = ""
    """What framematrix does with it (the decision engine's criterion or answers file)."""
    why: str = OPINION
    """Why no measurement on the user's machine decides it, in one line."""


Check = RunCheck | AuditCheck | VerdictOf | OfflineCheck | Measurable | Stated
CHECKS: dict[str, type[Check]] = {
    "run": RunCheck,
    "audit": AuditCheck,
    "verdict-of": VerdictOf,
    "offline": OfflineCheck,
    "measurable": Measurable,
    "stated": Stated,
}
"""`check.by` in catalog.toml -> the record it makes."""
FIGURE_FIELDS: dict[str, type[float] | type[int]] = {"figure": float, "stars": int}
"""Check fields that name a figure by path rather than give a number, and the number's type."""
TEXT_FIELDS = ("how", "used_by", "why")
SPANS = {"day": 24 * 3600}
"""Seconds in each span a figure may count over (`RunCheck.per`)."""


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    text: str
    check: Check


GROUPS: dict[str, tuple[str, ...]] = {
    "db-read": ("list-posts", "read-one"),
    "crud": ("crud", "write"),
    "upstream": ("upstream",),
    "image": ("image",),
    "realtime": ("iot",),
}
"""What a performance claim is judged on, one verdict each: reading from the database, the
article's create-read-update-delete, waiting on another service, computing, and WebSockets."""


class _Quoting(string.Formatter):
    """`{path}` or `{path:spec}` -> the article's figure at that path; a whole number with
    thousands separators unless a spec says otherwise."""

    def __init__(self, article: Article) -> None:
        self.article = article

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return self.article.at(field_name), field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec or isinstance(value, str):
            return format(value, format_spec)
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def fill(template: str, article: Article = ARTICLE) -> str:
    """A claim's text with the figures it quotes filled in."""
    return _Quoting(article).format(template)


def _check(raw: Mapping[str, Any], article: Article) -> Check:
    fields: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value
        for key, value in raw.items()
        if key != "by"
    }
    fields |= {
        key: number(article.at(fields[key]))
        for key, number in FIGURE_FIELDS.items()
        if key in fields
    }
    fields |= {key: fill(fields[key], article) for key in TEXT_FIELDS if key in fields}
    if "per" in fields:
        fields["figure"] = fields["figure"] / SPANS[fields["per"]]
    return CHECKS[raw["by"]](**fields)


def parse(data: Mapping[str, Any], article: Article = ARTICLE) -> tuple[Claim, ...]:
    """The catalogue from catalog.toml's data, its texts filled from `article`'s figures."""
    found = []
    for raw in data["claim"]:
        try:
            found.append(
                Claim(
                    raw["id"],
                    raw["section"],
                    fill(raw["text"], article),
                    _check(raw["check"], article),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"claim {raw.get('id')!r} in catalog.toml: {exc!r}") from None
    return _checked(tuple(found))


def _checked(claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    """The catalogue, once its ids are known to be unique and its references to hold."""
    ids = [claim.id for claim in claims]
    runs = {claim.id for claim in claims if isinstance(claim.check, RunCheck)}
    for claim in claims:
        if ids.count(claim.id) > 1:
            raise ValueError(f"claim id {claim.id!r} is given twice in catalog.toml")
        if isinstance(claim.check, VerdictOf) and claim.check.claim not in runs:
            raise ValueError(f"{claim.id}: {claim.check.claim!r} is no claim a run measures")
    return claims


@cache
def load(article: Article = ARTICLE) -> tuple[Claim, ...]:
    """The catalogue as shipped in the package (read once)."""
    text = resources.files(__package__).joinpath("catalog.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text), article)


CATALOGUE = load()
C = TypeVar("C", RunCheck, AuditCheck, VerdictOf, OfflineCheck, Measurable, Stated)


def checked_by(kind: type[C]) -> tuple[tuple[Claim, C], ...]:
    """Each claim checked by `kind` of check, with its check, in the catalogue's order."""
    return tuple((claim, claim.check) for claim in CATALOGUE if isinstance(claim.check, kind))
