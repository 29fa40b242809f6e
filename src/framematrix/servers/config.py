"""One launch of a server: which contestant, where, with how many workers, pinned where.

A `ServerConfig` is a plain record, stored verbatim beside every result (with the command line
and the settings it resolved to), so any figure can be re-run with exactly the server that made it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from framematrix.db.url import DatabaseURL
from framematrix.servers.catalog import GREENLET_POOL, Settings, get, resolve


def available_cpus() -> tuple[int, ...]:
    return tuple(sorted(os.sched_getaffinity(0)))


@dataclass(frozen=True)
class ServerConfig:
    contestant: str
    server: str
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0
    """0 means one per core the server may use."""
    threads: int | None = None
    """Threads per worker for the servers that run apps in threads; None: the server's own."""
    cpus: tuple[int, ...] | None = None
    """Cores the server is pinned to; None means not pinned."""
    env: dict[str, str] = field(default_factory=dict)
    tuning: str = "equal"
    """`equal`, `docs` or `best` (`servers.catalog.TUNINGS`): whose worker and thread counts
    (`best`: the searched configuration's, given as `workers`, `threads` and `connections`)."""
    realtime: bool = False
    """Serve the contestant's WebSocket application (registry `realtime`), not its HTTP one."""
    sockets: int = 0
    """The most WebSockets a realtime server is asked to hold (devices and subscribers): its
    threads or greenlets are sized to them; 0: not known."""
    connections: int | None = None
    """Clients per greenlet worker (gunicorn's `--worker-connections`); None: the server's own."""
    python: str | None = None
    """The interpreter the server runs under: a version set's environment; None: framematrix's."""

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def cores(self) -> int:
        return len(self.cpus or available_cpus())

    @property
    def worker_count(self) -> int:
        """`workers` when given, else what the tuning says: one per core, or the docs' count."""
        return self.workers or get(self.server).worker_count(self.tuning, self.cores)

    @property
    def settings(self) -> Settings:
        spec, server = resolve(self.contestant, self.server, realtime=self.realtime)
        return get(server).settings_for(
            spec.interface,
            threads=self.threads,
            tuning=self.tuning,
            cores=self.cores,
            realtime=self.realtime,
            sockets=self.sockets,
            connections=self.connections,
        )

    @property
    def thread_count(self) -> int | None:
        return self.settings.threads

    @property
    def pool_size(self) -> int | None:
        """The database connections one worker's pool holds (`db.url.THREADS_ENV`): one per
        thread, `GREENLET_POOL` for greenlets; None: the contestant's own default."""
        settings = self.settings
        if settings.connections:
            return min(settings.connections, GREENLET_POOL)
        return settings.threads

    def command(self) -> list[str]:
        spec, server = resolve(self.contestant, self.server, realtime=self.realtime)
        return get(server).command(self, spec, self.settings)

    def record(self) -> dict[str, object]:
        """What the results store keeps: the resolved settings, password redacted."""
        data = asdict(self)
        data.update(
            db_url=DatabaseURL.parse(self.db_url).redacted(),
            workers=self.worker_count,
            threads=self.thread_count,
            command=self.command(),
            settings=self.settings.record(),
        )
        return data
