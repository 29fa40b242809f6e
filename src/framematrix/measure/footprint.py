"""What each contestant's stack installs: its distributions, transitively, and their megabytes.

The stack is the contestant's own `packages` (registry), the way it uses its framework (Django
with DRF and psycopg; FastAPI with Pydantic, SQLAlchemy and its drivers), read from the package
metadata of the install framematrix runs in: every requirement followed for this machine's Python
and platform, without extras; sizes are the files each distribution's RECORD lists. The same
install always gives the same figures, so a run measures them once, in well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement

from framematrix.contestants.registry import CONTESTANTS
from framematrix.measure.records import from_record

MB = 1024 * 1024


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requires(name: str) -> set[str]:
    """The distributions `name` needs directly, without extras, on this Python and platform."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment["extra"] = ""
    try:
        lines = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return set()
    found = set()
    for line in lines:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.marker is None or requirement.marker.evaluate(environment):
            found.add(canonical(requirement.name))
    return found


def closure(roots: Iterable[str]) -> set[str]:
    """`roots` and every distribution they need, transitively."""
    found = {canonical(root) for root in roots}
    todo = list(found)
    while todo:
        for name in requires(todo.pop()) - found:
            found.add(name)
            todo.append(name)
    return found


def dependencies(name: str) -> set[str]:
    """Every distribution `name` needs installed, transitively (its own name excluded)."""
    return closure([name]) - {canonical(name)}


def size_mb(name: str) -> float | None:
    """The bytes its RECORD lists, in MB; None when it is not installed."""
    try:
        files = metadata.distribution(name).files or []
    except metadata.PackageNotFoundError:
        return None
    return sum(f.size or 0 for f in files) / MB


@dataclass(frozen=True)
class Footprint:
    contestant: str
    roots: tuple[str, ...]
    """The distributions the contestant names (registry `packages`)."""
    distributions: tuple[str, ...]
    """Everything they install, roots included, sorted."""
    megabytes: float
    missing: tuple[str, ...] = ()
    """Distributions of the stack not installed here (their size and needs are unknown)."""

    @property
    def count(self) -> int:
        return len(self.distributions)

    def record(self) -> dict[str, object]:
        return {**asdict(self), "count": self.count}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Footprint:
        return from_record(cls, data)


def footprint(contestant: str) -> Footprint:
    roots = CONTESTANTS[contestant].packages
    found = sorted(closure(roots))
    sizes = {name: size_mb(name) for name in found}
    return Footprint(
        contestant,
        tuple(roots),
        tuple(found),
        round(sum(s for s in sizes.values() if s is not None), 2),
        tuple(name for name, s in sizes.items() if s is None),
    )


def measure_all(contestants: Iterable[str]) -> list[Footprint]:
    return [footprint(name) for name in contestants if name in CONTESTANTS]
