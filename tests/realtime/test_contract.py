"""The realtime contract (RULES.md, "Real time") over real WebSockets, for every contestant that
implements it, with two worker processes: each valid reading reaches each subscriber exactly
once and in order whichever worker either side reached; a bad one is answered and the socket
stays open; each valid reading is stored."""

from __future__ import annotations

import asyncio
import itertools
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from framematrix.db.url import DatabaseURL
from framematrix.servers import RunningServer

from .conftest import REALTIME_CONTESTANTS, owners, workers

READINGS = 12
DEVICES_PER_WORKER = 2
SUBSCRIBERS_PER_WORKER = 1
SPREAD_S = 30.0
SUBSCRIBED = {"subscribed": True}
BASE = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MALFORMED: list[tuple[str | bytes, str | None]] = [
    ("not json", None),
    ("[1, 2]", None),
    (json.dumps({"sensor": "t", "value": 1}), "ts"),
    (json.dumps({"sensor": "t", "value": "1.5", "ts": "2025-06-01T12:00:00Z"}), "value"),
    (json.dumps({"sensor": "", "value": 1, "ts": "2025-06-01T12:00:00Z"}), "sensor"),
    (json.dumps({"sensor": "x" * 51, "value": 1, "ts": "2025-06-01T12:00:00Z"}), "sensor"),
    (json.dumps({"sensor": "t", "value": True, "ts": "2025-06-01T12:00:00Z"}), "value"),
    (json.dumps({"sensor": "t", "value": 1, "ts": "yesterday"}), "ts"),
    (json.dumps({"sensor": "t", "value": 1, "ts": "2025-06-01T12:00:00"}), "ts"),
    (json.dumps({"sensor": "t", "value": 1, "ts": "2025-13-01T12:00:00Z"}), "ts"),
    (json.dumps({"sensor": "t", "value": 1, "ts": "2025-06-01T12:00:00Z", "x": 1}), "x"),
    (b'{"sensor": "t", "value": 1, "ts": "2025-06-01T12:00:00Z"}', None),
]
"""(message, the field its error must name; None: the whole message)."""


def _reading(seq: int) -> tuple[str, datetime]:
    """Reading `seq`: its value is its number; its time has an offset and microseconds."""
    instant = BASE + timedelta(seconds=seq, microseconds=123456)
    zone = UTC if seq % 2 else datetime.now().astimezone().tzinfo
    stamp = instant.astimezone(zone).isoformat()
    return json.dumps({"sensor": f"s{seq % 3}", "value": seq + 0.5, "ts": stamp}), instant


async def _open(url: str) -> ClientConnection:
    return await connect(url, compression=None, open_timeout=10)


async def _spread(
    server: RunningServer,
    path_of: Callable[[int], str],
    per_worker: int,
    greeting: dict[str, bool] | None = None,
) -> dict[int, ClientConnection]:
    """Connections (the n-th to `path_of(n)`) until every worker holds `per_worker` of them.
    The kernel picks the worker for each connection, and on a busy machine one worker may win
    many in a row, so a connection that lands on a worker already served is closed, and the
    next one waits a little to give the other worker its turn, for up to SPREAD_S."""
    url = server.config.url.replace("http", "ws")
    pids = workers(server)
    assert len(pids) == 2, f"expected two workers, found {pids}"
    held: dict[int, dict[int, ClientConnection]] = {pid: {} for pid in pids}
    deadline = asyncio.get_running_loop().time() + SPREAD_S
    for n in itertools.count():
        if all(len(sockets) >= per_worker for sockets in held.values()):
            break
        if asyncio.get_running_loop().time() > deadline:
            break
        ws = await _open(url + path_of(n))
        if greeting is not None:
            assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == greeting
        owner = None
        for _ in range(50):
            owner = owners(server).get(ws.local_address[1])
            if owner is not None:
                break
            await asyncio.sleep(0.02)
        target = held.get(owner) if owner is not None else None
        if target is not None and len(target) < per_worker:
            target[n] = ws
        else:
            await ws.close()
            await asyncio.sleep(0.05)
    missing = {pid: len(s) for pid, s in held.items() if len(s) < per_worker}
    assert not missing, f"in {SPREAD_S:.0f} s, connections never reached every worker: {missing}"
    return {n: ws for sockets in held.values() for n, ws in sockets.items()}


async def _collect(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    try:
        while len(got) < count:
            got.append(json.loads(await asyncio.wait_for(ws.recv(), 15)))
        extra = await asyncio.wait_for(ws.recv(), 0.5)  # nothing more may come
        got.append(json.loads(extra))
    except TimeoutError:
        pass
    return got


async def _device_session(ws: ClientConnection, device_id: str) -> list[str]:
    """Send the readings with a malformed message after each of the first ones; the problems."""
    problems = []
    for seq in range(READINGS):
        await ws.send(_reading(seq)[0])
        if seq >= len(MALFORMED):
            continue
        message, field = MALFORMED[seq]
        await ws.send(message)
        answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
        detail = answer.get("detail") if isinstance(answer, dict) else None
        if not (isinstance(detail, list) and detail):
            problems.append(f"{device_id}: {message!r} answered {answer!r}")
            continue
        locs = [item["loc"] for item in detail]
        if not all(loc[0] == "message" and isinstance(item["msg"], str)
                   for loc, item in zip(locs, detail, strict=True)):  # fmt: skip
            problems.append(f"{device_id}: {message!r}: bad error shape {answer!r}")
        if field is not None and ["message", field] not in locs:
            problems.append(f"{device_id}: {message!r}: no error at {field}: {locs}")
    return problems


async def _devices(server: RunningServer) -> dict[str, ClientConnection]:
    """Devices dev-0, dev-1, ...: DEVICES_PER_WORKER of them on each worker."""
    spread = await _spread(server, lambda n: f"/ws/devices/dev-{n}", DEVICES_PER_WORKER)
    return {f"dev-{n}": ws for n, ws in spread.items()}


def _stored(db: DatabaseURL) -> dict[str, int]:
    sql = "SELECT device_id, count(*) FROM readings GROUP BY device_id"
    if db.is_sqlite:
        with sqlite3.connect(db.sqlite_path) as conn:
            return dict(conn.execute(sql).fetchall())
    import psycopg

    with psycopg.connect(db.libpq) as conn:
        return dict(conn.execute(sql).fetchall())


async def _fan_out(server: RunningServer) -> tuple[list[str], dict[str, list[float]]]:
    live = await _spread(server, lambda _: "/ws/live", SUBSCRIBERS_PER_WORKER, SUBSCRIBED)
    subscribers = list(live.values())
    devices = await _devices(server)
    problems = []
    names = list(devices)
    expected = len(devices) * READINGS
    collecting = [asyncio.ensure_future(_collect(ws, expected)) for ws in subscribers]
    for found in await asyncio.gather(*(_device_session(ws, n) for n, ws in devices.items())):
        problems += found
    seen: dict[str, list[float]] = {}
    for index, got in enumerate(await asyncio.gather(*collecting)):
        per_device: dict[str, list[float]] = {}
        for reading in got:
            per_device.setdefault(reading["device_id"], []).append(reading["value"])
            seq = int(reading["value"])
            if set(reading) != {"device_id", "sensor", "value", "ts"}:
                problems.append(f"subscriber {index}: keys {sorted(reading)}")
            elif datetime.fromisoformat(reading["ts"]) != _reading(seq)[1]:
                problems.append(f"subscriber {index}: ts {reading['ts']} for reading {seq}")
            elif reading["sensor"] != f"s{seq % 3}":
                problems.append(f"subscriber {index}: sensor {reading['sensor']!r}")
        want = {name: [seq + 0.5 for seq in range(READINGS)] for name in names}
        if per_device != want:
            problems.append(f"subscriber {index} got {per_device}, not every reading once")
        seen.update(per_device)
    for ws in devices.values():  # every device socket is still open after its malformed messages
        try:
            await ws.ping()
        except ConnectionClosed:
            problems.append("a device socket was closed after a malformed message")
        await ws.close()
    for ws in subscribers:
        await ws.close()
    return problems, seen


@pytest.mark.slow
@pytest.mark.parametrize("contestant", REALTIME_CONTESTANTS)
def test_every_reading_reaches_every_subscriber_once_in_order(contestant, db, serve_realtime):  # type: ignore[no-untyped-def]
    server = serve_realtime(contestant, db, workers=2)
    problems, seen = asyncio.run(_fan_out(server))
    assert not problems, "\n".join(problems)
    stored = _stored(db)
    assert stored == {name: READINGS for name in seen}, f"stored rows per device: {stored}"


async def _refused(url: str) -> str:
    try:
        ws = await _open(url)
    except InvalidStatus as exc:
        return f"http {exc.response.status_code}"
    try:
        await asyncio.wait_for(ws.recv(), 1)
    except ConnectionClosed as exc:
        return f"close {exc.rcvd.code if exc.rcvd else None}"
    except TimeoutError:
        await ws.close()
        return "open"
    return "a message"


@pytest.mark.slow
@pytest.mark.parametrize("contestant", REALTIME_CONTESTANTS)
def test_a_bad_device_id_is_refused_at_connect(contestant, sqlite_db, serve_realtime):  # type: ignore[no-untyped-def]
    server = serve_realtime(contestant, sqlite_db, workers=1)
    url = server.config.url.replace("http", "ws") + "/ws/devices/"
    for bad in ("bad.id", "x" * 65, "caf%C3%A9"):
        outcome = asyncio.run(_refused(url + bad))
        assert outcome in ("http 403", "http 404", "close 1008"), (bad, outcome)
    assert asyncio.run(_refused(url + "A-z_0-9" + "x" * 57)) == "open"  # 64 characters


IDLE_S = 12.0
"""Longer than two of redis-py 8's default 5 s socket timeouts: a subscription read that
gives up on a quiet channel shows within it."""


async def _after_idle(server: RunningServer) -> str:
    """What an idle subscriber hears when a reading comes after IDLE_S of silence."""
    url = server.config.url.replace("http", "ws")
    live, device = await _open(url + "/ws/live"), await _open(url + "/ws/devices/d")
    try:
        assert json.loads(await asyncio.wait_for(live.recv(), 10)) == SUBSCRIBED
        await asyncio.sleep(IDLE_S)
        await device.send(_reading(1)[0])
        return str(json.loads(await asyncio.wait_for(live.recv(), 10))["value"])
    except ConnectionClosed as exc:
        return f"closed ({exc})"
    finally:
        await live.close()
        await device.close()


@pytest.mark.slow
def test_an_idle_subscriber_stays_subscribed(sqlite_db, serve_realtime):  # type: ignore[no-untyped-def]
    """Every contestant at once, so that the wait is paid once."""
    servers = [serve_realtime(name, sqlite_db, workers=1) for name in REALTIME_CONTESTANTS]

    async def heard() -> list[str]:
        return list(await asyncio.gather(*(_after_idle(server) for server in servers)))

    assert dict(zip(REALTIME_CONTESTANTS, asyncio.run(heard()), strict=True)) == {
        name: "1.5" for name in REALTIME_CONTESTANTS
    }
