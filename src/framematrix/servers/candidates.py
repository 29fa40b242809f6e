"""The configurations `--tuning best` may try, per interface and workload, each with the
documentation it follows: a small table, so that the search (`run.tuning`) stays bounded.

A candidate is a server and its worker, thread and greenlet counts. Worker counts run from one
per core (uvicorn's, granian's and FastAPI's advice) to gunicorn's `(2 x cores) + 1`; thread
counts from the 4 every server runs under `equal` to one per request in flight where requests
mostly wait (`services`): gunicorn's threads, like its workers, are there to be "varied to find
the best for your application's work load". The database pools follow (`FRAMEMATRIX_THREADS`:
one connection per thread, `GREENLET_POOL` per greenlet worker).

Left out, with the reason the search reports: greenlets for computing (gunicorn's docs give
async workers to requests that wait, and a greenlet that computes holds its whole worker), and
any server the contestant does not run under (`servers_for`) or the user did not name.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from framematrix.contestants.registry import ContestantSpec
from framematrix.scenarios import Workload
from framematrix.servers.catalog import THREADS, servers_for

GUNICORN_DESIGN = "gunicorn docs, Design: 'How Many Workers?' (2 x cores) + 1"
GUNICORN_THREADS = "gunicorn docs, Settings: threads (-k gthread --threads 4, its example)"
GUNICORN_ASYNC = (
    "gunicorn docs, Design: 'Choosing a Worker Type' (async workers for long blocking calls, "
    "i.e. external web services); Settings: worker_connections (1000); Flask docs, Deploying "
    "to Production, Gunicorn: 'Async with gevent'"
)
GUNICORN_SYNC = "gunicorn docs, Design: the sync worker, one request at a time (CPU-bound apps)"
SIZED = "gunicorn docs, Settings: threads, sized to the requests in flight (one thread each)"
GRANIAN = "granian README, Workers and threads: --workers per core, --blocking-threads for WSGI"
UVICORN = "FastAPI docs, Server Workers: uvicorn --workers, one per core"
UVICORN_WORKER = (
    "uvicorn-worker README: gunicorn -k uvicorn_worker.UvicornWorker; Django docs, How to use "
    "Django with Uvicorn: under Gunicorn"
)
FLASK_SOCK = "Flask-Sock docs: gunicorn --threads sized to the clients expected"
REALTIME_ASGI = "Django Channels docs, Deploying: any ASGI server (uvicorn, granian)"


@dataclass(frozen=True)
class SearchLoad:
    """Where a workload's search measures: the scenario that is most of it, at one load (the
    connections, or devices for `realtime`)."""

    scenario: str
    load: int


SEARCH_LOADS: dict[Workload, SearchLoad] = {
    "database": SearchLoad("crud", 64),
    "services": SearchLoad("upstream", 64),
    "compute": SearchLoad("image", 4),
    "realtime": SearchLoad("iot", 500),
}
"""The default `matrix`'s loads (64 connections, the image at 4) and `--full`'s middle device
count: `crud` for the database, the article's own benchmark, writes included."""


def label(server: str, workers: int | None, threads: int | None, connections: int | None) -> str:
    """`gunicorn-gthread w3 t22`: how tables, verdicts and messages name a configuration (a
    server, its workers, threads per worker, greenlet connections per worker)."""
    counts = zip("wtc", (workers, threads, connections), strict=True)
    return " ".join([server, *(f"{k}{v}" for k, v in counts if v)])


def configuration(server_config: dict[str, Any]) -> str:
    """The configuration a trial ran, from its stored `ServerConfig.record`."""
    settings = server_config.get("settings") or {}
    return label(
        str(server_config.get("server")),
        server_config.get("workers"),
        server_config.get("threads"),
        settings.get("connections"),
    )


@dataclass(frozen=True)
class Candidate:
    """One configuration the search may try, and the documentation it follows."""

    server: str
    workers: int
    threads: int | None = None
    """Threads per worker (gthread, granian's WSGI pool); None: the server's own rule (for a
    realtime server: one per socket)."""
    connections: int | None = None
    """Clients per greenlet worker; None: gunicorn's default (or one per socket, realtime)."""
    source: str = ""

    @property
    def label(self) -> str:
        return label(self.server, self.workers, self.threads, self.connections)

    @property
    def simplicity(self) -> tuple[int, int]:
        """Sort key of a tie, the simpler first: fewer workers, then fewer threads (greenlets
        counted as their connections)."""
        return self.workers, self.threads or self.connections or 0

    def record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Candidate:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _wsgi(workload: Workload, cores: int, load: int) -> list[Candidate]:
    most = 2 * cores + 1

    def sized(workers: int) -> int:
        return math.ceil(load / workers)

    if workload == "database":
        return [
            Candidate("gunicorn-gthread", cores, THREADS, source=GUNICORN_THREADS),
            Candidate("gunicorn-gthread", most, THREADS, source=GUNICORN_DESIGN),
            Candidate("gunicorn-sync", most, source=GUNICORN_DESIGN),
            Candidate("gunicorn-gevent", cores, source=GUNICORN_ASYNC),
            Candidate("granian", cores, THREADS, source=GRANIAN),
        ]
    if workload == "services":
        return [
            Candidate("gunicorn-gthread", cores, THREADS, source=GUNICORN_THREADS),
            Candidate("gunicorn-gthread", cores, sized(cores), source=SIZED),
            Candidate("gunicorn-gthread", most, sized(most), source=f"{SIZED}; {GUNICORN_DESIGN}"),
            Candidate("gunicorn-gevent", cores, source=GUNICORN_ASYNC),
            Candidate("gunicorn-gevent", most, source=f"{GUNICORN_ASYNC}; {GUNICORN_DESIGN}"),
            Candidate("granian", cores, sized(cores), source=f"{GRANIAN}; {SIZED}"),
        ]
    if workload == "compute":
        return [
            Candidate("gunicorn-gthread", cores, THREADS, source=GUNICORN_THREADS),
            Candidate("gunicorn-sync", cores, source=GUNICORN_SYNC),
            Candidate("gunicorn-sync", most, source=GUNICORN_DESIGN),
            Candidate("gunicorn-gevent", cores, source=GUNICORN_ASYNC),
            Candidate("granian", cores, THREADS, source=GRANIAN),
        ]
    return [
        Candidate("gunicorn-gthread", cores, source=FLASK_SOCK),
        Candidate("gunicorn-gthread", most, source=f"{FLASK_SOCK}; {GUNICORN_DESIGN}"),
        Candidate("gunicorn-gevent", cores, source=GUNICORN_ASYNC),
    ]


def _asgi(workload: Workload, cores: int) -> list[Candidate]:
    most = 2 * cores + 1
    source = REALTIME_ASGI if workload == "realtime" else UVICORN
    return [
        Candidate("uvicorn", cores, source=source),
        Candidate("gunicorn-uvicorn", cores, source=UVICORN_WORKER),
        Candidate("gunicorn-uvicorn", most, source=f"{UVICORN_WORKER}; {GUNICORN_DESIGN}"),
        Candidate("granian", cores, source=GRANIAN),
    ]


EXCLUDED = {
    ("wsgi", "compute", "gunicorn-gevent"): "greenlets are for requests that wait (gunicorn "
    "docs, Design); one that computes holds its whole worker",
}
"""Documented configurations the search leaves out for a workload, and why."""


def candidates(
    spec: ContestantSpec, workload: Workload, cores: int, allowed: tuple[str, ...] = ()
) -> tuple[tuple[Candidate, ...], dict[str, str]]:
    """The candidates for a contestant (its interface and servers; `allowed`: the servers the
    user named, if any) and workload on `cores` server cores, and each server left out with the
    reason, in the table's order."""
    load = SEARCH_LOADS[workload].load
    table = _wsgi(workload, cores, load) if spec.interface == "wsgi" else _asgi(workload, cores)
    runs_under = servers_for(spec)
    left_out: dict[str, str] = {}
    kept: dict[tuple[str, int, int | None, int | None], Candidate] = {}
    for c in table:
        why = EXCLUDED.get((spec.interface, workload, c.server))
        if c.server not in runs_under:
            why = f"{spec.name} does not run under it"
        elif allowed and c.server not in allowed:
            why = "not among the --servers given"
        if why:
            left_out.setdefault(c.server, why)
        else:  # on one core, `cores` and a documented count can be one configuration
            kept.setdefault((c.server, c.workers, c.threads, c.connections), c)
    return tuple(kept.values()), left_out
