"""Cold start: how long a fresh server process takes to answer, what importing the app costs,
and the memory of a worker that has served nothing yet.

The article's deployment section advises serverless (AWS Lambda, through Zappa or Mangum), where
every cold start is paid by a waiting request. Each contestant is started `starts` times under
its server with one worker, as a function instance would be: the time runs from the spawn to the
first 200 from `/health` (asked every `POLL_S` with one bare request on a socket, which a
server that is still starting pays next to nothing for), the resident memory (RSS) of the worker
is read right after, and the server is killed (it holds nothing worth a graceful stop). The
app's import time is taken apart, in the fresh interpreter that runs its test client
(`testclient.runs`), before it imports anything else.
"""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

import psutil

from framematrix.children import free_port
from framematrix.contestants.registry import CONTESTANTS
from framematrix.db.url import ENV_VAR
from framematrix.errors import FramematrixError
from framematrix.measure.process_tree import MB, tree
from framematrix.measure.records import from_record
from framematrix.servers.catalog import default_server
from framematrix.servers.config import ServerConfig
from framematrix.servers.process import RunningServer

POLL_S = 0.005
STARTS = 3


class _Watched(RunningServer):
    poll_s = POLL_S

    def healthy(self) -> bool:
        try:
            with socket.create_connection((self.config.host, self.config.port), 5) as sock:
                sock.sendall(b"GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n")
                return sock.recv(64).split(b" ", 2)[1:2] == [b"200"]
        except OSError:
            return False

    def stop(self, grace_s: float = 0.0) -> None:
        super().stop(grace_s)


@dataclass(frozen=True)
class ColdStart:
    contestant: str
    server: str
    starts_s: tuple[float, ...]
    """Spawn to the first answered /health, each start."""
    import_s: float | None
    """Importing the application (and calling its factory) in a fresh interpreter; None until
    `testclient.runs` has measured it."""
    worker_rss_mb: float | None
    """Median resident memory of the fresh worker (the server process when it has none)."""
    error: str | None = None

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.starts_s) if self.starts_s else None

    def record(self) -> dict[str, Any]:
        return {**asdict(self), "median_s": self.median_s}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ColdStart:
        return from_record(cls, data)


def app_env(contestant: str, db_url: str) -> dict[str, str]:
    env = {**os.environ, ENV_VAR: db_url}
    if secret := CONTESTANTS[contestant].secret_env:
        env.setdefault(secret, secrets.token_urlsafe(32))
    return env


def _worker_rss_mb(pid: int) -> float | None:
    processes = tree(pid)
    workers = processes[1:] or processes
    try:
        return max(p.memory_info().rss for p in workers) / MB if workers else None
    except psutil.Error:
        return None


def cold_start(
    contestant: str,
    db_url: str,
    server: str | None = None,
    starts: int = STARTS,
    cpus: tuple[int, ...] | None = None,
) -> ColdStart:
    """`starts` cold starts of `contestant` under `server` (its default), one worker each."""
    chosen = server or default_server(contestant) or ""
    times: list[float] = []
    memory: list[float] = []
    try:
        for _ in range(starts):
            config = ServerConfig(
                contestant, chosen, db_url, port=free_port(), workers=1, cpus=cpus
            )
            began = time.perf_counter()
            with _Watched(config) as running:
                times.append(time.perf_counter() - began)
                if (rss := _worker_rss_mb(running.pid)) is not None:
                    memory.append(rss)
    except FramematrixError as exc:
        return ColdStart(contestant, chosen, tuple(times), None, None, str(exc))
    rss = statistics.median(memory) if memory else None
    return ColdStart(
        contestant,
        chosen,
        tuple(round(t, 4) for t in times),
        None,
        round(rss, 1) if rss else None,
    )
