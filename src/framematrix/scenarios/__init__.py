"""Request mixes as data, so that every load engine sends exactly the same requests.

A scenario is a loop of steps that each virtual user runs again and again. A one-step scenario
is a plain request mix; a longer one is a flow whose later steps act on the `id` the first step
created. Paths and bodies are templates whose `{name}` fields are filled per request:

- `{author}`: a random existing author, 1..N of the seed (drawn from the run's seed);
- `{id}`: the id the flow's first step got back (from the response's `"id"`);
- `{user}`, `{n}`: the virtual user and its iteration, which keep created emails unique;
- `{run}`: a short token per engine run, so that leftovers of an interrupted run never clash.

Flow rule, so engines without per-connection state (wrk's Lua) can follow flows: every response
but the last step's carries the flow's `"id"` as its first `"id"` field.

Each scenario names its workload, what its requests mostly spend their time on: `database`
(a query on the local database), `services` (waiting on another service: the upstream that
the runner starts for it), `compute` (CPU-bound work in the worker: resizing an image) or
`realtime` (connections held open: `iot`, WebSocket readings fanned out to subscribers, which
the realtime engine drives from RULES.md's "Real time" part rather than from steps).
Engines count statuses only, so a binary body (the `image` scenario's JPEG) is fine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from framematrix.contract import work
from framematrix.errors import FramematrixError
from framematrix.scenarios.workload import WorkSpec, from_name

Workload = Literal["database", "services", "compute", "realtime"]
WORKLOADS: tuple[Workload, ...] = get_args(Workload)

FIELD = re.compile(r"\{([a-z]+)\}")
"""A template field; JSON's own braces (`{"name": ...}`) never match it."""
FIELDS = frozenset({"author", "id", "user", "n", "run"})


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: str | None = None
    """A JSON template, sent with `Content-Type: application/json`."""
    expect: int = 200

    def fields(self) -> frozenset[str]:
        return frozenset(FIELD.findall(self.path + (self.body or "")))

    def filled(self, values: Mapping[str, object]) -> tuple[str, bytes | None]:
        """The path and body with every `{field}` given its value."""

        def fill(template: str) -> str:
            return FIELD.sub(lambda match: str(values[match.group(1)]), template)

        return fill(self.path), None if self.body is None else fill(self.body).encode()


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    steps: tuple[Step, ...]
    writes: bool
    """The runner resets the database before each trial of a writing scenario."""
    workload: Workload = "database"
    """What the requests mostly wait on or work at (the module docstring lists them)."""
    part: str | None = None
    """The part of the contract it needs beyond the blog API (`upstream`, `image`, `work`): a
    contestant whose `ContestantSpec.lacks` names it has nothing to measure here."""
    calls_upstream: bool = False
    """Its requests call the upstream though its part is not `upstream` (a described workload
    with calls)."""

    def __post_init__(self) -> None:
        if self.workload not in WORKLOADS:
            raise ValueError(f"scenario {self.name}: unknown workload {self.workload!r}")
        unknown = set().union(*(step.fields() for step in self.steps)) - FIELDS
        if unknown:
            raise ValueError(f"scenario {self.name}: unknown template fields {sorted(unknown)}")
        if len(self.steps) == 1 and "id" in self.steps[0].fields():
            raise ValueError(f"scenario {self.name}: a one-step scenario has no flow id")

    @property
    def over_http(self) -> bool:
        """Request and response steps, for the HTTP engines; `iot` is WebSocket traffic."""
        return bool(self.steps)

    @property
    def success(self) -> frozenset[int]:
        """Statuses that count as success; any other is an error `status:<code>`."""
        return frozenset(step.expect for step in self.steps)

    @property
    def is_flow(self) -> bool:
        return len(self.steps) > 1

    @property
    def needs_upstream(self) -> bool:
        """The runner starts the upstream service for its trials and points the server at it."""
        return self.part == "upstream" or self.calls_upstream

    @property
    def only_get(self) -> bool:
        return all(step.method == "GET" and step.body is None for step in self.steps)


_AUTHOR = '{"name": "Bench user {user}.{n}", "email": "u{user}.{n}.{run}@bench.example"}'
_AUTHOR_UPDATE = '{"name": "Bench user {id} (updated)", "email": "upd.{id}.{run}@bench.example"}'
_POST = (
    '{"title": "Bench post {user}.{n}", "content": "Written by the benchmark.", '
    '"author_id": {author}}'
)


def _reading(name: str, summary: str, path: str, **more: Any) -> Scenario:
    """A scenario of one request that only reads: `GET path`, again and again."""
    return Scenario(name, summary, (Step("GET", path),), writes=False, **more)


IMAGE_WIDTH = 320
"""The `image` scenario's width: a thumbnail of the 2000-pixel photograph, as a gallery asks."""

SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        # No database, no other service, almost no work: what remains is the CPU the server
        # and the framework spend per request.
        _reading(
            "health",
            "GET /health: the server and framework alone, no database",
            "/health",
            workload="compute",
        ),
        _reading("read-one", "GET /authors/{id} of a random existing author", "/authors/{author}"),
        _reading(
            "list-posts",
            "GET /posts?limit=20: posts with their authors nested (the article's list)",
            "/posts?limit=20",
        ),
        Scenario(
            name="crud",
            summary="each user loops create, read, update, delete of its own author",
            steps=(
                Step("POST", "/authors", _AUTHOR, expect=201),
                Step("GET", "/authors/{id}"),
                Step("PUT", "/authors/{id}", _AUTHOR_UPDATE),
                Step("DELETE", "/authors/{id}", expect=204),
            ),
            writes=True,
        ),
        Scenario(
            name="write",
            summary="POST /posts by a random existing author",
            steps=(Step("POST", "/posts", _POST, expect=201),),
            writes=True,
        ),
        _reading(
            "upstream",
            "GET /authors/{id}/profile: one query, then one call to a slow upstream",
            "/authors/{author}/profile",
            workload="services",
            part="upstream",
        ),
        Scenario(
            name="iot",
            summary="devices send readings over WebSockets, subscribers get each one (realtime)",
            steps=(),
            writes=True,
            workload="realtime",
            part="realtime",
        ),
        _reading(
            "image",
            f"GET /images/sample.jpg?width={IMAGE_WIDTH}: decode, resize, re-encode",
            f"/images/sample.jpg?width={IMAGE_WIDTH}",
            workload="compute",
            part="image",
        ),
    )
}


def described(spec: WorkSpec) -> Scenario:
    """The scenario of a described workload (`--workload`): one `GET /work` asking for it. Its
    workload is what its requests wait on first: the upstream, else the database, else the CPU."""
    kind: Workload = "services" if spec.calls else "database"
    if not (spec.calls or spec.queries or spec.writes or spec.items):
        kind = "compute"
    return Scenario(
        name=spec.name,
        summary=spec.summary(),
        steps=(Step("GET", spec.path),),
        writes=spec.writes > 0,
        workload=kind,
        part=work.PART,
        calls_upstream=spec.calls > 0,
    )


def get(name: str) -> Scenario:
    """A scenario of the catalogue, or the described workload its name says (`work-q3-c1`)."""
    try:
        return SCENARIOS[name]
    except KeyError:
        spec = from_name(name)
        if spec is not None:
            return described(spec)
        known = ", ".join(SCENARIOS)
        raise FramematrixError(
            f"unknown scenario {name!r}; known: {known}, or a described workload (--workload)"
        ) from None
