"""Killing one worker mid-run loses only that worker's connections: they reconnect, the run says
how many readings went with them, and nothing else is lost. A worker cut from the broker closes
its subscribers' sockets rather than leave them deaf."""

from __future__ import annotations

import asyncio
import collections
import json
import os
import signal
import time
from urllib.parse import urlsplit

import psutil
import pytest
import redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from framematrix.contestants.registry import CONTESTANTS
from framematrix.engines.realtime import IotPlan, run_iot
from framematrix.servers import RunningServer

from .conftest import REALTIME_CONTESTANTS, owners, workers

KILL_AT_S = 1.5
DEVICES, RATE_PER_DEVICE = 16, 10
ATTEMPTS = 3


def wait_for(condition, timeout_s: float = 15):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def run_and_kill_one(server):  # type: ignore[no-untyped-def]
    """One IoT run that SIGKILLs the worker holding the most connections 1.5 s in."""
    killed: dict[str, int] = {}

    def kill_one(elapsed: float, deliveries: int) -> None:
        if killed or elapsed < KILL_AT_S:
            return
        held = collections.Counter(owners(server).values())
        victim, connections = held.most_common(1)[0]
        os.kill(victim, signal.SIGKILL)
        survivors = sum(held.values()) - connections
        killed.update(pid=victim, connections=connections, survivors=survivors)

    plan = IotPlan(base_url=server.config.url, devices=DEVICES, rate_per_device=RATE_PER_DEVICE,
                   subscribers=4, duration_s=4, warmup_s=0.5, drain_s=4,
                   server_pid=server.pid)  # fmt: skip
    result = run_iot(plan, on_progress=kill_one)
    assert killed, "the run ended before the kill"
    return killed, result


@pytest.mark.slow
@pytest.mark.parametrize("contestant", REALTIME_CONTESTANTS)
def test_a_killed_worker_loses_only_its_own_connections(contestant, sqlite_db, serve_realtime):  # type: ignore[no-untyped-def]
    server = serve_realtime(contestant, sqlite_db, workers=2)
    assert len(workers(server)) == 2
    for _ in range(ATTEMPTS):  # the kernel decides who accepts: a busy core may leave one idle
        if not wait_for(lambda: len(workers(server)) == 2):
            break  # the supervisor did not replace the killed worker: no fair second attempt
        killed, result = run_and_kill_one(server)
        if killed["survivors"] > 0:
            break
    assert killed["survivors"] > 0, f"every connection was on the killed worker: {killed}"
    d = result.delivery
    reconnects = result.devices.reconnects + result.subscribers.reconnects
    assert reconnects == killed["connections"], (killed, result.devices, result.subscribers)
    assert d.lost == 0, f"{d.lost} readings lost beyond the killed worker's connections: {d}"
    assert d.duplicated == 0 and d.out_of_order == 0, d
    assert d.delivered + d.lost_with_connection + d.missed_resubscribing == d.expected, d
    # On a busy machine a device may still owe the reading due as the window closed; one that
    # stopped sending after reconnecting would owe RATE_PER_DEVICE a second for the 2.5 s left.
    assert result.unsent <= DEVICES, f"devices did not keep sending after reconnecting: {result}"
    print(
        f"{contestant}: killed worker held {killed['connections']} connections; lost with them "
        f"{d.lost_with_connection}, missed while resubscribing {d.missed_resubscribing}"
    )


HUB_USERS = tuple(name for name, spec in CONTESTANTS.items() if "broadcast" in spec.beyond_blog)
"""The contestants whose workers share `contestants/broadcast.py`'s hub and subscriber loop."""


def cut_from_broker(server: RunningServer, redis_url: str) -> int:
    """Make Redis drop this server's own connections (no other test's): how many it dropped."""
    port = urlsplit(redis_url).port or 6379
    ours = set()
    for pid in [server.pid, *workers(server)]:
        for c in psutil.Process(pid).net_connections("tcp"):
            if c.raddr and c.raddr.port == port:
                ours.add(f"{c.laddr.ip}:{c.laddr.port}")
    with redis.Redis.from_url(redis_url) as client:
        return sum(bool(client.client_kill(address)) for address in ours)


@pytest.mark.slow
@pytest.mark.parametrize("contestant", HUB_USERS)
def test_a_subscriber_whose_worker_loses_the_broker_is_closed_not_left_deaf(  # type: ignore[no-untyped-def]
    contestant, sqlite_db, serve_realtime, redis_url
):
    """R8: a reading is never dropped silently; a subscriber that can no longer get them is told,
    by a close with code 1011, and may reconnect."""
    server = serve_realtime(contestant, sqlite_db, workers=1)

    async def heard() -> str:
        url = server.config.url.replace("http://", "ws://") + "/ws/live"
        async with connect(url, compression=None, open_timeout=10) as live:
            assert json.loads(await live.recv()) == {"subscribed": True}
            assert cut_from_broker(server, redis_url) >= 1
            try:
                return f"a message: {await asyncio.wait_for(live.recv(), 15)!r}"
            except ConnectionClosed as exc:
                return f"close {exc.rcvd.code if exc.rcvd else None}"
            except TimeoutError:
                return "still open, hearing nothing"

    assert asyncio.run(heard()) == "close 1011"
