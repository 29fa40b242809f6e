"""The article framematrix re-measures, as data: its benchmark setup and its figures.

`figures.toml` beside this module holds every figure the article gives, with its section; the
claims, the reports and the decision engine read them from here and nowhere else.
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

    def listing(self, order: tuple[str, ...]) -> str:
        """`2,847 / 892 / 743`: the figures in `order`, as the claims quote them."""
        return " / ".join(f"{self.values[name]:,.0f}" for name in order)


@dataclass(frozen=True)
class Article:
    title: str
    setup: Setup
    figures: Mapping[str, Figure]

    def figure(self, key: str) -> Figure:
        return self.figures[key]


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
    return Article(data["title"], Setup(**data["setup"]), figures)


@cache
def load() -> Article:
    """The article as shipped in the package (read once)."""
    text = resources.files(__package__).joinpath("figures.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))


ARTICLE = load()
