"""The database-work ledger: per contestant and request kind, what one request costs the database.

For every distinct step of every scenario (`framematrix.scenarios`), plus `PATCH /posts/{id}`
and `GET /work`'s probe, each contestant is started under its default server with one worker
and sent the request several times, one at a time, over real HTTP. Round trips, statements,
transactions and new connections are counted where the contestant cannot hide them: on the
PostgreSQL wire (`measure.pg_wire`), or by SQLite's own trace inside the server process
(`measure.sqlite_trace`); `measure.db_work` defines the words, prepared statements included.

A first round of every request is sent and not counted, so connection set-up and statement
preparation are not counted either. After the counted rounds, every request is sent
`POOL_CONCURRENCY` at a time, `POOL_ROUNDS` times over: the connections that ran a statement
meanwhile are the contestant's pool as it serves load (`pools`), and a driver that prepares a
query once it has run a few times on a connection (psycopg's `prepare_threshold`) has had the
chance to on every connection it keeps. Then each request is sent once more per repetition, one
at a time, to count the statements run from a prepared statement in that steady state
(`prepared`); the counted rounds come first because a pool grown by the concurrent ones would
change what they count (a new connection prepares again).

The ledger writes (it creates authors and posts, and deletes the authors it created): give it
a database made for measuring, as `verify` and `bench` do.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from framematrix.contract import work
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.measure.db_work import Event, Work, tally
from framematrix.measure.pg_wire import proxied
from framematrix.measure.sqlite_trace import SqliteTrace
from framematrix.scenarios import FIELD, SCENARIOS, Scenario, Step
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

REPETITIONS = 3
POOL_CONCURRENCY = 16
POOL_ROUNDS = 4
"""64 of each request at 16 at a time: more than psycopg's prepare_threshold (5) on each of
four connections handed out in turn (psycopg_pool's queue, gthread's 4 threads)."""
EDIT_POST = Scenario(
    name="edit-post",
    summary="create a post, then PATCH its title (the ledger's only request beyond the scenarios)",
    steps=(
        SCENARIOS["write"].steps[0],
        Step("PATCH", "/posts/{id}", '{"title": "Edited post {user}.{n}"}'),
    ),
    writes=True,
)
WORK_ASKED = {"queries": 3, "writes": 2, "calls": 1, "items": 5}
"""`GET /work`'s probe (RULES.md 36-42): reads and writes the ledger can count apart, and a call,
which costs the database nothing."""
WORK = Scenario(
    name="work-probe",
    summary="GET /work with reads, writes, a call and a list: each read and write one round trip",
    steps=(Step("GET", f"{work.PATH}?{'&'.join(f'{k}={v}' for k, v in WORK_ASKED.items())}"),),
    writes=True,
    part=work.PART,
)
FLOWS: tuple[Scenario, ...] = (*SCENARIOS.values(), EDIT_POST, WORK)
LEDGER_UPSTREAM = UpstreamConfig(latency_ms=1.0)
"""The profile requests need an upstream; its latency does not change the database work."""
AUTHORS_USED = 10
"""`{author}` cycles through the first seeded authors, which every seed has."""
METRICS = ("round_trips", "statements", "transactions", "connections")
"""The counted figures, `connections` last."""


@dataclass(frozen=True)
class Span:
    """The fewest and the most over the repetitions."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def record(self) -> dict[str, int]:
        return {"min": self.low, "max": self.high}


@dataclass(frozen=True)
class LedgerRow:
    contestant: str
    request: str
    """The request kind: method and path template, `GET /authors/{id}`."""
    round_trips: Span
    statements: Span
    transactions: Span
    connections: Span
    trace: tuple[str, ...]
    """The commands of the cheapest repetition, in order (`BEGIN`, `SELECT posts`, ...)."""
    prepared: Span = Span(0, 0)
    """Statements run from a named prepared statement, in the steady state after the pool's
    concurrent rounds."""

    def span(self, metric: str) -> Span:
        value: Span = getattr(self, metric)
        return value

    def record(self) -> dict[str, Any]:
        return {
            "contestant": self.contestant,
            "request": self.request,
            **{metric: self.span(metric).record() for metric in METRICS},
            "prepared": self.prepared.record(),
            "trace": list(self.trace),
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> LedgerRow:
        spans = {metric: Span(data[metric]["min"], data[metric]["max"]) for metric in METRICS}
        prepared = data.get("prepared") or {"min": 0, "max": 0}  # ledgers from before it
        return cls(
            data["contestant"],
            data["request"],
            **spans,
            trace=tuple(data["trace"]),
            prepared=Span(prepared["min"], prepared["max"]),
        )


@dataclass(frozen=True)
class Ledger:
    db: str
    """`postgresql` or `sqlite`."""
    repetitions: int
    rows: tuple[LedgerRow, ...]
    pools: Mapping[str, int] = field(default_factory=dict)
    """Per contestant: the database connections that ran a statement while it served
    `POOL_CONCURRENCY` requests at a time (its pool, or its threads' connections)."""

    @property
    def contestants(self) -> list[str]:
        return list(dict.fromkeys(row.contestant for row in self.rows))

    @property
    def requests(self) -> list[str]:
        return list(dict.fromkeys(row.request for row in self.rows))

    def row(self, contestant: str, request: str) -> LedgerRow | None:
        for row in self.rows:
            if row.contestant == contestant and row.request == request:
                return row
        return None

    def record(self) -> dict[str, Any]:
        """The JSON form (`json.dumps(ledger.record())`)."""
        rows = [row.record() for row in self.rows]
        return {
            "db": self.db,
            "repetitions": self.repetitions,
            "rows": rows,
            "pools": dict(self.pools),
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Ledger:
        rows = tuple(LedgerRow.from_record(row) for row in data["rows"])
        return cls(data["db"], data["repetitions"], rows, data.get("pools") or {})


def request_kind(step: Step) -> str:
    """`GET /authors/{id}` for both `/authors/{author}` and `/authors/{id}`: one endpoint."""
    return f"{step.method} {FIELD.sub('{id}', step.path)}"


def request_kinds() -> list[str]:
    return list(dict.fromkeys(request_kind(step) for flow in FLOWS for step in flow.steps))


class WorkSource(Protocol):
    """Where the evidence comes from: the wire proxy or the SQLite trace."""

    def mark(self) -> int: ...
    def since(self, mark: int) -> list[Event]: ...
    def settle(self) -> None: ...


def measure(
    contestants: Sequence[str],
    db: DatabaseURL,
    *,
    repetitions: int = REPETITIONS,
    env: Mapping[str, str] | None = None,
) -> Ledger:
    """The ledger of `contestants` on `db`, an initialised and seeded database. `env` is
    added to every server's environment (a benchmark's variant of a contestant's settings)."""
    if repetitions < 1:
        raise FramematrixError("the ledger needs at least one repetition")
    rows: list[LedgerRow] = []
    pools: dict[str, int] = {}
    with _evidence(db) as (source, server_db, tracing), RunningUpstream(LEDGER_UPSTREAM) as up:
        extra = {**(env or {}), **tracing, **up.env()}
        if env and "PYTHONPATH" in env and "PYTHONPATH" in tracing:
            extra["PYTHONPATH"] = os.pathsep.join([tracing["PYTHONPATH"], env["PYTHONPATH"]])
        for name in contestants:
            found, pools[name] = _measure_one(name, source, server_db, extra, repetitions)
            rows += found
    return Ledger(db.kind, repetitions, tuple(rows), pools)


@contextmanager
def _evidence(db: DatabaseURL) -> Iterator[tuple[WorkSource, DatabaseURL, dict[str, str]]]:
    """The source of evidence, the URL servers get, and what their environment needs."""
    if db.is_sqlite:
        with tempfile.TemporaryDirectory(prefix="framematrix-ledger-") as folder:
            trace = SqliteTrace(Path(folder))
            yield trace, db, trace.env()
    else:
        with proxied(db) as proxy:
            yield proxy, proxy.through(db), {}


def _measure_one(
    name: str, source: WorkSource, db: DatabaseURL, env: dict[str, str], repetitions: int
) -> tuple[list[LedgerRow], int]:
    """The contestant's rows, and the connections its pool used under concurrent requests."""
    spec, server_name = resolve(name, None)
    config = ServerConfig(name, server_name, db.url, port=free_port(), workers=1, env=env)
    lacking = {part for part, _ in spec.lacks}
    flows = [flow for flow in FLOWS if flow.part not in lacking]
    seen: dict[str, list[Work]] = {}
    run = secrets.token_hex(3)
    prepared: dict[str, list[Work]] = {}
    with RunningServer(config) as server:
        for n in range(repetitions + 1):  # round 0 warms up and is not counted
            for flow in flows:
                for kind, work in _walk(flow, server, source, n, run):
                    if n:
                        seen.setdefault(kind, []).append(work)
        pool = _pool(flows, server, source, run)
        for n in range(repetitions):
            for flow in flows:
                for kind, work in _walk(flow, server, source, 2000 + n, run):
                    prepared.setdefault(kind, []).append(work)
    rows = [
        _row(name, kind, seen[kind], prepared.get(kind, ()))
        for kind in request_kinds()
        if kind in seen
    ]
    return rows, pool


def _pool(flows: list[Scenario], server: RunningServer, source: WorkSource, run: str) -> int:
    """The connections that ran a statement while every flow was sent `POOL_CONCURRENCY` at a
    time (after the counted rounds, which a grown pool would otherwise change)."""
    mark = source.mark()
    tasks = [(flow, 1000 + n) for n in range(POOL_ROUNDS * POOL_CONCURRENCY) for flow in flows]
    with ThreadPoolExecutor(POOL_CONCURRENCY) as pool:
        walks = [
            pool.submit(lambda f, n: list(_walk(f, server, None, n, run)), flow, n)
            for flow, n in tasks
        ]
        for walk in walks:
            walk.result()
    source.settle()
    return len(tally(source.since(mark)).used)


def _walk(
    flow: Scenario, server: RunningServer, source: WorkSource | None, n: int, run: str
) -> Iterator[tuple[str, Work]]:
    """Each step of `flow` sent once, with the work the source saw it cause (none counted
    without a source: the warm-up's concurrent requests)."""
    fields = {"author": 1 + n % AUTHORS_USED, "id": 0, "user": 0, "n": n, "run": run}
    for index, step in enumerate(flow.steps):
        mark = source.mark() if source else 0
        status, body = _send(server, step, fields)
        if source:
            source.settle()
        work = tally(source.since(mark) if source else ())
        if status != step.expect:
            raise FramematrixError(
                f"ledger: {server.config.contestant} answered {status} to {request_kind(step)} "
                f"(expected {step.expect}): {body[:200]!r}"
            )
        if index == 0 and flow.is_flow:
            fields["id"] = json.loads(body)["id"]
        yield request_kind(step), work


def _send(server: RunningServer, step: Step, fields: dict[str, object]) -> tuple[int, bytes]:
    config = server.config
    conn = http.client.HTTPConnection(config.host, config.port, timeout=30)
    try:
        path, body = step.filled(fields)
        # One connection per request, closed by the server: a kept-alive one that the client
        # closes wakes gunicorn's gthread pool again, which may then start a new thread (and
        # Django, with it, a new database connection) while the last one is still finishing.
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(step.method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError as exc:
        raise FramematrixError(
            f"ledger: {config.contestant} did not answer {step.method} {step.path}: {exc}"
        ) from None
    finally:
        conn.close()


def _row(contestant: str, kind: str, works: list[Work], steady_state: Sequence[Work]) -> LedgerRow:
    """Spans over the repetitions that opened no connection, when there are any: a server may
    open one more now and then (a thread pool growing), and its set-up is not the request's
    work. A request that opens one every time keeps them all. `connections` counts all."""
    steady = [work for work in works if not work.connections] or works

    def span(metric: str, among: list[Work]) -> Span:
        values = [getattr(work, metric) for work in among]
        return Span(min(values), max(values))

    cheapest = min(steady, key=lambda work: (work.round_trips, work.statements))
    spans = {metric: span(metric, steady) for metric in METRICS[:-1]}
    return LedgerRow(
        contestant,
        kind,
        **spans,
        connections=span("connections", works),
        trace=cheapest.trace,
        prepared=span("prepared", list(steady_state) or steady),
    )
