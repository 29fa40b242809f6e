"""The article framematrix re-measures, as data: its benchmark setup and its figures.

`figures.toml` beside this module holds every figure the article gives, with its section; the
claims, the reports and the decision engine read them from here and nowhere else. A claim's text
quotes them by path (`Article.at`): `rps.fastapi`, `rps.fastapi/django` (a ratio),
`hosting_usd_per_month.workers.django`, `use_cases.fastapi.requests_per_second`,
`migrations.flask-django.span`, `numbers.concurrent_requests`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Setup:
    """The article's "Test Setup", as far as it states one."""

    scenario: str
    model: str
    database: str
    cores: int
    memory_gb: int
    concurrency: int
    tool: str
    connection_per_request: bool

    def record(self) -> dict[str, Any]:
        return dict(vars(self))

    def describe(self) -> str:
        return (
            f"simple CRUD API on {self.database}, {self.cores} CPU cores, {self.memory_gb} GB "
            f"RAM, {self.concurrency} concurrent users, ab"
        )


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    label: str
    unit: str
    better: Better
    values: Mapping[str, float]
    """framework -> the article's figure, in the order the article lists them."""
    stars: Mapping[str, int] = field(default_factory=dict)
    """The article's star rating beside the figure, where it gives one."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Whatever else the article says with the figure (hosting: workers, requests a month)."""

    def ratio(self, a: str, b: str) -> float:
        return self.values[a] / self.values[b]

    def gap(self, a: str, b: str) -> float | None:
        """How far the article puts a ahead of b (FastAPI's 2,847 over Flask's 892 req/s:
        3.19x; 45 ms against 142 ms p95: 3.16x), or None where it gives no figure for both."""
        if a not in self.values or b not in self.values:
            return None
        return self.ratio(a, b) if self.better == "higher" else self.ratio(b, a)

    def listing(self, order: tuple[str, ...]) -> str:
        """`2,847 / 892 / 743`: the figures in `order`, as the claims quote them."""
        return " / ".join(f"{self.values[name]:,.0f}" for name in order)


@dataclass(frozen=True)
class TeamSize:
    """One row of § Team Size Recommendations: a word per framework and the named winner(s)."""

    key: str
    low: int
    high: int
    verdicts: Mapping[str, str]
    winners: tuple[str, ...] = ()
    winners_by_architecture: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def contains(self, size: int) -> bool:
        return self.low <= size <= self.high


@dataclass(frozen=True)
class Migration:
    """One move of § Migration Paths."""

    source: str
    target: str
    difficulty: str
    weeks: tuple[float, float]

    @property
    def mean_weeks(self) -> float:
        return (self.weeks[0] + self.weeks[1]) / 2

    @property
    def span(self) -> str:
        """`2-4`, or `1` when the article gives one figure."""
        low, high = self.weeks
        return f"{low:g}" if low == high else f"{low:g}-{high:g}"

    def describe(self) -> str:
        return f"{self.source} to {self.target}: {self.difficulty}, {self.span} weeks"


@dataclass(frozen=True)
class Article:
    title: str
    setup: Setup
    figures: Mapping[str, Figure]
    team_sizes: tuple[TeamSize, ...] = ()
    migrations: tuple[Migration, ...] = ()
    use_cases: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """framework whose use case it is -> what the article states of the project and its result."""
    numbers: Mapping[str, float] = field(default_factory=dict)
    """The single numbers the article's words state (its thresholds, its "99% of apps")."""

    def figure(self, key: str) -> Figure:
        return self.figures[key]

    def at(self, path: str) -> Any:
        """The figure at a dotted path (see the module's docstring); KeyError when none."""
        head, *steps = path.split(".")
        found: Any = {
            "use_cases": self.use_cases,
            "numbers": self.numbers,
            "migrations": {f"{m.source}-{m.target}": m for m in self.migrations},
            "team_sizes": {t.key: t for t in self.team_sizes},
            **self.figures,
        }[head]
        for step in steps:
            found = _step(found, step)
        return found

    def team_size(self, size: int) -> TeamSize:
        return next(row for row in self.team_sizes if row.contains(size))

    def migration(self, source: str, target: str) -> Migration | None:
        return next((m for m in self.migrations if (m.source, m.target) == (source, target)), None)


def _step(found: Any, step: str) -> Any:
    if isinstance(found, Figure):
        a, ratio, b = step.partition("/")
        if ratio:
            return found.ratio(a, b)
        return found.values[step] if step in found.values else found.extra[step]
    if isinstance(found, Mapping):
        return found[step]
    if not hasattr(found, step):
        raise KeyError(step)
    return getattr(found, step)


DAYS_PER = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}


def days(stated: str) -> float:
    """The article's "2-3 weeks" in days: a range at its midpoint, a week 7 days, a month 30."""
    amount, unit = stated.split()
    low, _, high = amount.partition("-")
    return (float(low) + float(high or low)) / 2 * DAYS_PER[unit]


FIGURE_FIELDS = ("section", "label", "unit", "better", "values", "stars")


def parse(data: Mapping[str, Any]) -> Article:
    figures = {
        key: Figure(
            key=key,
            section=raw["section"],
            label=raw["label"],
            unit=raw["unit"],
            better=raw["better"],
            values={name: float(value) for name, value in raw["values"].items()},
            stars=raw.get("stars", {}),
            extra={k: v for k, v in raw.items() if k not in FIGURE_FIELDS},
        )
        for key, raw in data["figures"].items()
    }
    team_sizes = tuple(
        TeamSize(
            key,
            int(raw["range"][0]),
            int(raw["range"][1]),
            raw["verdicts"],
            tuple(raw.get("winners", ())),
            {k: tuple(v) for k, v in raw.get("winners_by_architecture", {}).items()},
        )
        for key, raw in data.get("team_sizes", {}).items()
    )
    migrations = tuple(
        Migration(raw["from"], raw["to"], raw["difficulty"], (raw["weeks"][0], raw["weeks"][1]))
        for raw in data.get("migrations", {}).values()
    )
    return Article(
        data["title"],
        Setup(**data["setup"]),
        figures,
        team_sizes,
        migrations,
        data.get("use_cases", {}),
        data.get("numbers", {}),
    )


@cache
def load() -> Article:
    """The article as shipped in the package (read once)."""
    text = resources.files(__package__).joinpath("figures.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))


ARTICLE = load()
