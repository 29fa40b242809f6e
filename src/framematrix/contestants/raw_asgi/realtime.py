"""The ASGI baseline's realtime side: the ASGI websocket protocol by hand (RULES.md, "Real time").

No framework, no schema library: each reading is checked by hand, stored with one INSERT through
the baseline's own database access, and published through the shared Redis hub. A device's
messages are handled one at a time, so they are published in the order it sent them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from framematrix.contestants.broadcast import Hub
from framematrix.contestants.raw_asgi.db import AsyncDatabase
from framematrix.contestants.raw_core import validate

Message = dict[str, Any]
DEVICE_PREFIX = "/ws/devices/"
LIVE_PATH = "/ws/live"
POLICY_VIOLATION = 1008
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
FIELDS = ("sensor", "value", "ts")
_sensor = validate.text(1, 50)
hub = Hub()


def _insert(sqlite: bool) -> str:
    marks = "?, ?, ?, ?" if sqlite else "$1, $2, $3, $4"
    return f"INSERT INTO readings (device_id, sensor, value, ts) VALUES ({marks})"


def _instant(value: Any) -> datetime | str:
    """The reading's instant in UTC, or what is wrong with it."""
    if type(value) is not str:
        return "must be a string"
    if RFC3339.fullmatch(value) is None:
        return "must be an RFC 3339 date-time with a time zone offset"
    text = value.upper().replace(" ", "T")
    whole, dot, fraction = text.partition(".")
    if dot:  # Python reads at most 6 fractional digits: keep the offset, drop what is finer
        digits = re.match(r"\d+", fraction)
        assert digits is not None
        text = f"{whole}.{digits.group()[:6].ljust(6, '0')}{fraction[digits.end() :]}"
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return "must be a valid date and time"


def _number(value: Any) -> str | None:
    if type(value) not in (int, float):
        return "must be a number"
    if abs(value) > 1.7976931348623157e308:  # inf from 1e400, or an integer past the double range
        return "must be a finite number"
    return None


def check(text: str | None) -> tuple[dict[str, Any], datetime] | list[dict[str, Any]]:
    """A valid reading and its instant, or the contract's error list (rules R3, R4)."""
    if text is None:
        return [{"loc": ["message"], "msg": "a reading is a JSON text message"}]
    data = validate.json_object(text.encode())
    if not isinstance(data, dict):
        return [{"loc": ["message"], "msg": "a reading is a JSON object"}]
    errors = [{"loc": ["message", k], "msg": "unknown field"} for k in data if k not in FIELDS]
    errors += [{"loc": ["message", k], "msg": "field required"} for k in FIELDS if k not in data]
    instant = _instant(data.get("ts"))
    for key, problem in (
        ("sensor", _sensor(data.get("sensor"))),
        ("value", _number(data.get("value"))),
        ("ts", instant if isinstance(instant, str) else None),
    ):
        if problem is not None and key in data:
            errors.append({"loc": ["message", key], "msg": problem})
    if errors:
        return errors
    assert isinstance(instant, datetime)
    return data, instant


async def websocket(
    scope: dict[str, Any], receive: Any, send: Any, database: AsyncDatabase, sqlite: bool
) -> None:
    path = scope["path"]
    if path == LIVE_PATH:
        await _live(receive, send)
    elif path.startswith(DEVICE_PREFIX):
        await _device(path.removeprefix(DEVICE_PREFIX), receive, send, database, sqlite)
    else:
        await receive()  # websocket.connect
        await send({"type": "websocket.close"})  # before accepting: the server answers 403


async def _device(
    device_id: str, receive: Any, send: Any, database: AsyncDatabase, sqlite: bool
) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    if DEVICE_ID.fullmatch(device_id) is None:
        reason = "device_id must be 1-64 characters of A-Z a-z 0-9 _ -"
        await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": reason})
        return
    insert = _insert(sqlite)
    while True:
        message: Message = await receive()
        if message["type"] != "websocket.receive":
            return
        result = check(message.get("text"))
        if isinstance(result, list):
            await send({"type": "websocket.send", "text": json.dumps({"detail": result})})
            continue
        data, instant = result
        stored = instant.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else instant
        await database.fetch(insert, (device_id, data["sensor"], data["value"], stored))
        reading = {"device_id": device_id, "sensor": data["sensor"], "value": data["value"]}
        await hub.publish(json.dumps({**reading, "ts": data["ts"]}))


async def _live(receive: Any, send: Any) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})

    async def send_text(text: str) -> None:
        await send({"type": "websocket.send", "text": text})

    async def close(code: int) -> None:
        await send({"type": "websocket.close", "code": code})

    await hub.serve(send_text, close, lambda: _until_disconnect(receive))


async def _until_disconnect(receive: Any) -> None:
    """What a subscriber sends is ignored (rule R7); only its disconnect matters."""
    while (await receive())["type"] != "websocket.disconnect":
        pass
