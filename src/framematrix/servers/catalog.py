"""The production servers, as data: each one declares the interfaces it serves, its settings and
its command line. Adding a server is one record in `SERVERS`.

Every setting a server record holds is on its command line, so the settings table that reports
show is true of the process that ran (and FAIRNESS.md's claims about equal settings are checked
against these records by a test).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol

from framematrix.contestants import registry
from framematrix.contestants.registry import ContestantSpec, Interface
from framematrix.errors import FramematrixError

GRACEFUL_TIMEOUT_S = 5
THREADS = 4
"""Threads per worker for the servers that run WSGI apps in threads (gunicorn gthread, granian
WSGI): granian's pool would otherwise grow to hundreds, each free to hold a database connection."""
KEEPALIVE_S = 5
"""uvicorn's own default, given to every server that lets the idle keep-alive be set."""
BACKLOG = 2048
"""gunicorn's and uvicorn's default listen backlog, given to granian too (its default: 1024)."""
REALTIME_THREADS = 100
"""gthread holds one thread per open WebSocket; Flask-Sock's docs size `--threads` to the clients
expected, with 100 as their example: what a realtime server gets when no load is given."""
REALTIME_SPARE_THREADS = 8
"""Threads beyond one per socket a realtime server is asked to hold: for `/health` and for a
socket whose thread has not been given back yet."""
CONNECTIONS = 1000
"""gunicorn's `--worker-connections` default: the clients one greenlet (gevent) worker serves at
once (gunicorn docs, Settings: worker_connections)."""
GREENLET_POOL = 16
"""Database connections one greenlet worker's pool holds (`FRAMEMATRIX_THREADS`): greenlets
beyond wait for one, as threads beyond a pool do; bounded so that (2 x cores) + 1 workers of one
server stay within PostgreSQL's default of 100 connections."""
TUNINGS = ("equal", "docs", "best")
"""`equal`: every server the same settings and one worker per core (the default); `docs`: each
server's worker and thread counts as its own documentation recommends; `best`: each contestant's
best documented configuration for the workload, found by a bounded search (`run.tuning`)."""


def realtime_threads(sockets: int) -> int:
    """Threads per worker of a threaded realtime server asked to hold `sockets` WebSockets (its
    devices and subscribers): one each and a few spare, since any one worker may get them all;
    Flask-Sock's example of 100 when the load is not known (0)."""
    return sockets + REALTIME_SPARE_THREADS if sockets else REALTIME_THREADS


@dataclass(frozen=True)
class Settings:
    """What a server is told beside the app, its address and its worker count."""

    threads: int | None = None
    """Threads per worker; None: one request at a time per worker (or an event loop)."""
    connections: int | None = None
    """Clients one greenlet worker serves at once (gunicorn's `--worker-connections`); None: a
    server whose workers are not greenlets."""
    keepalive: bool = True
    """False: the connection closes after every response (gunicorn's sync worker)."""
    keepalive_timeout_s: int | None = None
    """How long an idle kept-alive connection stays open; None: the server has no such setting."""
    backlog: int = BACKLOG
    access_log: bool = False
    log_level: str = "warning"
    server_header: bool = True
    """Whether responses carry the server's own `Server` header (name only, never a version)."""

    def record(self) -> dict[str, object]:
        return asdict(self)


class Launch(Protocol):
    """What a command line needs of one launch (a `config.ServerConfig`, which itself looks
    servers up here: this keeps the two modules from importing each other)."""

    @property
    def python(self) -> str | None: ...
    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def realtime(self) -> bool: ...
    @property
    def worker_count(self) -> int: ...


Command = Callable[[Launch, ContestantSpec, Settings], list[str]]
"""A server's command line for one launch."""


@dataclass(frozen=True)
class DocsTuning:
    """Worker and thread counts as a server's own documentation recommends them (`--tuning
    docs`), per core the server may use."""

    source: str
    workers_per_core: int = 1
    extra_workers: int = 0
    threads_per_core: int | None = None
    """For the apps it runs in threads; None: the server's own default (no flag given)."""

    def workers(self, cores: int) -> int:
        return self.workers_per_core * cores + self.extra_workers

    def threads(self, cores: int) -> int | None:
        return None if self.threads_per_core is None else self.threads_per_core * cores


@dataclass(frozen=True)
class Server:
    name: str
    interfaces: frozenset[Interface]
    package: str
    """The distribution whose installed version every run records."""
    summary: str
    command: Command
    settings: Settings
    docs: DocsTuning
    threaded: frozenset[Interface] = field(default_factory=frozenset)
    """Interfaces whose apps it runs in a thread pool of `settings.threads` per worker."""
    greenlets: bool = False
    """Its workers run each request in a greenlet (gevent), `settings.connections` at once."""

    def settings_for(
        self,
        interface: Interface,
        *,
        threads: int | None,
        tuning: str,
        cores: int,
        realtime: bool = False,
        sockets: int = 0,
        connections: int | None = None,
    ) -> Settings:
        """The settings as they apply to an app of that interface under a tuning (`threads` and
        `connections`, when given, override it; a realtime app in threads or greenlets gets
        one per socket it is asked to hold, `sockets`)."""
        if self.greenlets:
            held = realtime_threads(sockets) if realtime else 0
            return replace(self.settings, connections=max(connections or CONNECTIONS, held))
        if interface not in self.threaded:
            return replace(self.settings, threads=None)
        if threads:
            return replace(self.settings, threads=threads)
        if realtime:
            return replace(self.settings, threads=realtime_threads(sockets))
        if tuning == "docs":
            return replace(self.settings, threads=self.docs.threads(cores))
        return self.settings

    def worker_count(self, tuning: str, cores: int) -> int:
        return self.docs.workers(cores) if tuning == "docs" else cores


def _python(config: Launch, module: str) -> list[str]:
    """The server's module run by the launch's interpreter (a version set's own, if any)."""
    return [config.python or sys.executable, "-m", module]


def _target(spec: ContestantSpec, call_factory: bool) -> str:
    return spec.app + ("()" if spec.factory and call_factory else "")


def _gunicorn(worker_class: str) -> Command:
    def command(config: Launch, spec: ContestantSpec, s: Settings) -> list[str]:
        # packed by hand: an option and its value per row
        argv = [
            *_python(config, "gunicorn"),
            "--bind", f"{config.host}:{config.port}",
            "--workers", str(config.worker_count),
            "--log-level", s.log_level,
            "--graceful-timeout", str(GRACEFUL_TIMEOUT_S),
            "--worker-class", worker_class,
            "--backlog", str(s.backlog),
        ]  # fmt: skip
        if s.keepalive_timeout_s is not None:
            argv += ["--keep-alive", str(s.keepalive_timeout_s)]
        if s.threads:
            argv += ["--threads", str(s.threads)]
            if config.realtime:  # a socket per thread: a worker holds as many as it has threads
                argv += ["--worker-connections", str(s.threads)]
        if s.connections:
            argv += ["--worker-connections", str(s.connections)]
        return [*argv, _target(spec, call_factory=True)]

    return command


def _address(config: Launch) -> list[str]:
    """Where uvicorn and granian listen, and with how many workers: spelled alike by both."""
    workers = str(config.worker_count)
    return ["--host", config.host, "--port", str(config.port), "--workers", workers]


def _uvicorn(config: Launch, spec: ContestantSpec, s: Settings) -> list[str]:
    # packed by hand: an option and its value per row
    argv = [
        *_python(config, "uvicorn"),
        _target(spec, call_factory=False),
        *_address(config),
        "--no-access-log",
        "--log-level", s.log_level,
        "--backlog", str(s.backlog),
    ]  # fmt: skip
    if s.keepalive_timeout_s is not None:
        argv += ["--timeout-keep-alive", str(s.keepalive_timeout_s)]
    argv.append("--server-header" if s.server_header else "--no-server-header")
    return [*argv, "--factory"] if spec.factory else argv


def _granian(config: Launch, spec: ContestantSpec, s: Settings) -> list[str]:
    # packed by hand: an option and its value per row
    argv = [
        *_python(config, "granian"),
        "--interface", spec.interface,
        *_address(config),
        "--log-level", s.log_level,
        "--no-access-log",
        "--backlog", str(s.backlog),
        "--ws" if config.realtime else "--no-ws",
    ]  # fmt: skip
    if s.threads:
        argv += ["--blocking-threads", str(s.threads)]
    target = _target(spec, call_factory=False)
    return [*argv, "--factory", target] if spec.factory else [*argv, target]


WSGI: frozenset[Interface] = frozenset({"wsgi"})
ASGI: frozenset[Interface] = frozenset({"asgi"})

GUNICORN_DOCS = DocsTuning("gunicorn docs, Design: (2 x cores) + 1 workers", 2, 1)
"""Every gunicorn-managed server's worker count, as gunicorn's documentation recommends it."""

SERVERS: dict[str, Server] = {
    server.name: server
    for server in (
        Server(
            "gunicorn-gthread",
            WSGI,
            "gunicorn",
            "gunicorn, threaded workers",
            _gunicorn("gthread"),
            Settings(threads=THREADS, keepalive_timeout_s=KEEPALIVE_S),
            replace(
                GUNICORN_DOCS,
                source=GUNICORN_DOCS.source + "; Settings, threads: 2-4 x cores (the top)",
                threads_per_core=4,
            ),
            threaded=WSGI,
        ),
        Server(
            "gunicorn-sync",
            WSGI,
            "gunicorn",
            "gunicorn, one request at a time per worker",
            _gunicorn("sync"),
            Settings(keepalive=False),
            GUNICORN_DOCS,
        ),
        Server(
            "gunicorn-gevent",
            WSGI,
            "gunicorn",
            "gunicorn, gevent workers (a greenlet per request)",
            _gunicorn("gevent"),
            Settings(keepalive_timeout_s=KEEPALIVE_S),
            GUNICORN_DOCS,
            greenlets=True,
        ),
        Server(
            "uvicorn",
            ASGI,
            "uvicorn",
            "uvicorn (uvloop, httptools) with its own workers",
            _uvicorn,
            Settings(keepalive_timeout_s=KEEPALIVE_S),
            DocsTuning("FastAPI docs, Server Workers: one worker process per CPU core"),
        ),
        Server(
            "gunicorn-uvicorn",
            ASGI,
            "uvicorn-worker",
            "gunicorn managing uvicorn workers",
            _gunicorn("uvicorn_worker.UvicornWorker"),
            Settings(keepalive_timeout_s=KEEPALIVE_S),
            GUNICORN_DOCS,
        ),
        Server(
            "granian",
            WSGI | ASGI,
            "granian",
            "granian (Rust), WSGI in a thread pool",
            _granian,
            Settings(threads=THREADS),
            DocsTuning(
                "granian README: workers as many as cores; blocking threads its own default"
            ),
            threaded=WSGI,
        ),
    )
}
"""In order of preference: a contestant's default server is the first that serves its interface."""


def servers_for(spec: ContestantSpec) -> tuple[str, ...]:
    """The servers a contestant runs under, its default first."""
    if spec.servers:
        return spec.servers
    return tuple(name for name, server in SERVERS.items() if spec.interface in server.interfaces)


def get(name: str) -> Server:
    try:
        return SERVERS[name]
    except KeyError:
        raise FramematrixError(f"unknown server {name!r}; known: {', '.join(SERVERS)}") from None


def resolve(
    contestant: str, server: str | None, *, realtime: bool = False
) -> tuple[ContestantSpec, str]:
    """The contestant's spec and the server to use, or one clear error. With `realtime`, the
    spec's application, interface and servers are its WebSocket side's."""
    spec = registry.get(contestant)
    if realtime:
        side = registry.realtime(contestant)
        spec = replace(
            spec, app=side.app, interface=side.interface, servers=side.servers, factory=side.factory
        )
    allowed = servers_for(spec)
    if server is None:
        return spec, allowed[0]
    get(server)
    if server not in allowed:
        raise FramematrixError(
            f"{contestant} is {spec.interface.upper()} and does not run under {server}; "
            f"it runs under: {', '.join(allowed)}"
        )
    return spec, server


def default_server(contestant: str) -> str | None:
    """A registry contestant's default server; None for anything else (a `--url` target)."""
    spec = registry.CONTESTANTS.get(contestant)
    return servers_for(spec)[0] if spec else None
