"""Realtime fixtures: a real Redis, and contestants' WebSocket sides under their servers."""

from __future__ import annotations

from collections.abc import Callable

import psutil
import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.db import broker
from framematrix.db.url import DatabaseURL
from framematrix.servers import RunningServer

REALTIME_CONTESTANTS = tuple(name for name, spec in CONTESTANTS.items() if spec.realtime)


RealtimeServe = Callable[..., RunningServer]


@pytest.fixture
def serve_realtime(serve: RealtimeServe, redis_url: str) -> RealtimeServe:
    """`serve_realtime("django", db, workers=2)`: the contestant's WebSocket side, started."""

    def start(contestant: str, db: DatabaseURL, server: str | None = None, **options: object):  # type: ignore[no-untyped-def]
        env = {broker.URL_ENV: redis_url}
        return serve(contestant, server, db, realtime=True, env=env, **options)

    return start


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
