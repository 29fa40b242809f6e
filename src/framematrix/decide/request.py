"""Your request: what a typical request of the team's app does, as its questions (here; the
questionnaire's group `request`, with the peak rate) answer it: one described workload
(`scenarios.workload.WorkSpec`: the queries, writes, calls, CPU milliseconds and response items
of `GET /work`, within its bounds), the latency of each call to another service, and the peak
rate.

Its neighbours are the same request with one thing less: each parameter that is not 0 set to 0,
and one call fewer where it makes several. A run that measured them beside the request says
where the ranking would flip (`decide.measured`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from framematrix.contract import work
from framematrix.decide.question import Question
from framematrix.scenarios.workload import WorkSpec

UPSTREAM_MS = "upstream_ms"
"""The question of each call's latency: the upstream's, not a parameter of the request."""
MAX_UPSTREAM_MS = 1000
"""The slowest call the questions take: a contestant waits two seconds for one, then answers 504."""
MEASURED = "Your request, measured: decide --measure runs GET /work"


def _asks(key: str, prompt: str, unit: str, why: str) -> Question:
    """The question of one parameter of `GET /work`, within its bounds."""
    high = work.BOUNDS[key]
    why = f"{MEASURED} with {key}: {why}."
    return Question(key, prompt, why, "int", 0, minimum=0, maximum=high, unit=unit, group="request")


QUESTIONS: tuple[Question, ...] = (
    _asks(
        "queries",
        "How many database reads does a typical request make?",
        "reads",
        "each a post by id with its author, through the ORM",
    ),
    _asks(
        "writes",
        "How many rows does it update (in one transaction)?",
        "writes",
        "that many updates in one transaction",
    ),
    _asks(
        "calls",
        "How many calls to other services does it make?",
        "calls",
        "made as each framework teaches: gathered on an event loop, in turn in a synchronous "
        "view (article § For Enterprise: service-to-service communication)",
    ),
    Question(
        UPSTREAM_MS,
        "How long does one of those calls take?",
        "The latency of the upstream decide --measure starts for the calls.",
        "number",
        50,
        minimum=0,
        maximum=MAX_UPSTREAM_MS,
        unit="ms",
        group="request",
    ),
    _asks(
        "compute_ms",
        "How many milliseconds of CPU does it spend (validation, business logic)?",
        "ms",
        "one shared computation, calibrated on this machine",
    ),
    _asks(
        "items",
        "How many items does its response hold?",
        "items",
        "posts serialised by the framework's own serializer",
    ),
)
"""The request's questions; `questions.QUESTIONS` asks them after the team's, before the peak."""
WORDS = {
    "queries": ("database read", "database reads"),
    "writes": ("write", "writes"),
    "calls": ("upstream call", "upstream calls"),
    "compute_ms": ("ms of CPU", "ms of CPU"),
    "items": ("item in the response", "items in the response"),
}
"""Each parameter in words, for one and for any other count."""


def said(key: str, value: int) -> str:
    """`2 upstream calls`, `0 ms of CPU`."""
    one, many = WORDS[key]
    return f"{value} {one if value == 1 else many}"


@dataclass(frozen=True)
class Neighbour:
    """The request with one thing less, and how the output names it (`with 0 upstream calls`)."""

    spec: WorkSpec
    words: str


@dataclass(frozen=True)
class Request:
    spec: WorkSpec
    upstream_ms: float
    """Each call's latency: the upstream a measurement starts waits this long."""
    peak_rps: float | None
    """The peak rate, when answered: the capacity plan sizes it."""

    @property
    def scenario(self) -> str:
        """Its scenario's name in a run (`work-c2`)."""
        return self.spec.name

    def describe(self) -> str:
        """`2 upstream calls of 50 ms, 20 items in the response`."""
        parts = []
        for key, value in self.spec.asked().items():
            if value:
                late = f" of {self.upstream_ms:g} ms" if key == "calls" else ""
                parts.append(said(key, value) + late)
        return ", ".join(parts) or "nothing but the request itself"

    def neighbours(self) -> tuple[Neighbour, ...]:
        """Each non-zero parameter set to 0, then one call fewer (when there are several)."""
        found = [
            Neighbour(replace(self.spec, **{key: 0}), f"with {said(key, 0)}")
            for key, value in self.spec.asked().items()
            if value
        ]
        if self.spec.calls > 1:
            fewer = self.spec.calls - 1
            found.append(Neighbour(replace(self.spec, calls=fewer), f"with {said('calls', fewer)}"))
        return tuple(found)

    def record(self) -> dict[str, Any]:
        return {
            "workload": self.scenario,
            **self.spec.asked(),
            UPSTREAM_MS: self.upstream_ms,
            "peak_rps": self.peak_rps,
        }


def of(values: Mapping[str, Any], given: Mapping[str, Any]) -> Request | None:
    """The request answers describe (`Answers.request`): None when no parameter of it was
    answered; the peak rate only where given."""
    if not any(key in given for key in work.PARAMS):
        return None
    spec = WorkSpec(**{key: values[key] for key in work.PARAMS})
    return Request(spec, float(values[UPSTREAM_MS]), given.get("peak_rps"))
