"""The realtime side's setup: the readings table, the registry, server command lines, broker."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from framematrix.contestants.registry import CONTESTANTS, realtime
from framematrix.db import broker
from framematrix.db.init import reseed
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import ServerConfig, free_port, resolve

INSERT = "INSERT INTO readings (device_id, sensor, value, ts) VALUES ('d', 's', 1.5, {})"


def _rows(db: DatabaseURL, sql: str) -> list[tuple[object, ...]]:
    if db.is_sqlite:
        with sqlite3.connect(db.sqlite_path) as conn:
            return conn.execute(sql).fetchall()
    with psycopg.connect(db.url) as conn:
        return conn.execute(sql).fetchall()


def test_readings_are_stored_alike_and_a_reseed_empties_them(db, test_seed) -> None:  # type: ignore[no-untyped-def]
    stamp = "'2025-01-01 00:00:00.5'" if db.is_sqlite else "'2025-01-01T00:00:00.5Z'"
    _rows(db, INSERT.format(stamp) + " RETURNING id")
    (row,) = _rows(db, "SELECT id, device_id, sensor, value, received_at IS NOT NULL FROM readings")
    assert row == (1, "d", "s", 1.5, True)  # received_at is the database's own default
    reseed(db, test_seed)
    assert _rows(db, "SELECT count(*) FROM readings") == [(0,)]
    assert _rows(db, INSERT.format(stamp) + " RETURNING id") == [(1,)]


def test_every_contestant_implements_realtime_or_says_why_not() -> None:
    for spec in CONTESTANTS.values():
        lacks = dict(spec.lacks)
        assert (spec.realtime is None) == ("realtime" in lacks), spec.name
    assert {n for n, s in CONTESTANTS.items() if s.realtime} == {
        "django", "fastapi", "flask", "litestar", "raw-asgi"}  # fmt: skip
    with pytest.raises(FramematrixError, match="as published has no WebSocket"):
        realtime("flask-as-published")
    with pytest.raises(FramematrixError, match="does not implement the realtime contract"):
        resolve("raw-wsgi", None, realtime=True)


def _command(contestant: str, server: str | None, realtime: bool) -> list[str]:
    _, name = resolve(contestant, server, realtime=realtime)
    return ServerConfig(contestant, name, "sqlite:///x.db", port=free_port(), workers=2,
                        realtime=realtime).command()  # fmt: skip


def test_the_realtime_side_gets_its_own_application_and_websockets() -> None:
    django = _command("django", None, realtime=True)
    assert "framematrix.contestants.django.asgi:application" in django and "uvicorn" in django
    assert "framematrix.contestants.django.wsgi:application" in _command("django", None, False)
    assert "--no-ws" in _command("fastapi", "granian", realtime=False)
    assert "--no-ws" not in _command("fastapi", "granian", realtime=True)
    flask = _command("flask", None, realtime=True)
    assert flask[flask.index("--threads") + 1] == "100"  # Flask-Sock's docs: a thread a socket
    assert flask[flask.index("--worker-connections") + 1] == "100"
    with pytest.raises(FramematrixError, match="runs under"):
        _command("flask", "granian", realtime=True)


def test_a_bad_or_absent_broker_is_one_clear_line() -> None:
    with pytest.raises(FramematrixError, match="bad broker URL"):
        broker.parse("http://127.0.0.1:6379")
    with pytest.raises(FramematrixError, match="cannot reach broker"):
        broker.check(f"redis://127.0.0.1:{free_port()}/0")
    assert broker.readings_channel("ns") == "ns.readings"


def test_readings_due_before_the_end_are_counted_from_each_devices_first() -> None:
    from framematrix.engines.realtime.peers import Device

    def due(first: float) -> int:
        return Device(None, "d", first).due_before(interval=10.0, end=12.0)  # type: ignore[arg-type]

    assert [due(0.0), due(2.0), due(2.5), due(11.9), due(12.0), due(30.0)] == [2, 1, 1, 1, 0, 0]
