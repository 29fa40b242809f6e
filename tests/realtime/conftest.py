"""Realtime fixtures: a real Redis, and contestants' WebSocket sides under their servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psutil
import pytest

from framematrix import broker
from framematrix.contestants.registry import CONTESTANTS
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve

REALTIME_CONTESTANTS = tuple(name for name, spec in CONTESTANTS.items() if spec.realtime)


RealtimeServe = Callable[..., RunningServer]


@pytest.fixture
def serve_realtime(redis_url: str) -> Iterator[RealtimeServe]:
    """`serve_realtime("django", db, workers=2)`: the contestant's WebSocket side, started."""
    started: list[RunningServer] = []

    def start(contestant: str, db: DatabaseURL, server: str | None = None, **options: object):  # type: ignore[no-untyped-def]
        _, server_name = resolve(contestant, server, realtime=True)
        config = ServerConfig(
            contestant=contestant,
            server=server_name,
            db_url=db.url,
            port=free_port(),
            realtime=True,
            env={broker.URL_ENV: redis_url},
            **options,  # type: ignore[arg-type]
        )
        running = RunningServer(config)
        started.append(running)
        try:
            running.start()
        except FramematrixError as exc:
            pytest.fail(str(exc))
        return running

    yield start
    for running in started:
        running.stop()


def workers(server: RunningServer) -> list[int]:
    """The processes that hold the server's client connections (its workers), by pid."""
    root = psutil.Process(server.pid)
    found = []
    for child in root.children(recursive=True):
        try:
            sockets = child.net_connections("tcp")
        except psutil.Error:
            continue
        if any(c.laddr and c.laddr.port == server.config.port for c in sockets):
            found.append(child.pid)
    return found


def owners(server: RunningServer) -> dict[int, int]:
    """client port -> pid of the worker holding that connection."""
    found = {}
    for pid in workers(server):
        try:
            connections = psutil.Process(pid).net_connections("tcp")
        except psutil.Error:
            continue
        for c in connections:
            if c.laddr and c.laddr.port == server.config.port and c.raddr:
                found[c.raddr.port] = pid
    return found
