"""A realtime server that breaks the contract on purpose, to prove the engine notices.

No broker (each worker fans out only to its own subscribers), no validation, and faults chosen
by each reading's number (its `value`): see `fate`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

_subscribers: set[asyncio.Queue[str]] = set()


def fate(seq: int) -> str:
    """`drop` (never published), `hold` (published after the next one), `dup` (twice), `ok`."""
    if seq % 5 == 4:
        return "drop"
    if seq % 11 == 9 and (seq + 1) % 5 != 4:
        return "hold"
    return "dup" if seq % 7 == 3 else "ok"


def _publish(text: str) -> None:
    for queue in _subscribers:
        queue.put_nowait(text)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"status": "ok"}'})
        return
    if scope["type"] != "websocket":
        return
    await receive()
    await send({"type": "websocket.accept"})
    if scope["path"] == "/ws/live":
        queue: asyncio.Queue[str] = asyncio.Queue()
        _subscribers.add(queue)
        await send({"type": "websocket.send", "text": '{"subscribed": true}'})
        try:
            while True:
                await send({"type": "websocket.send", "text": await queue.get()})
        finally:
            _subscribers.discard(queue)
    device_id = scope["path"].rsplit("/", 1)[-1]
    held: str | None = None
    while (message := await receive())["type"] == "websocket.receive":
        reading = json.loads(message["text"])
        text = json.dumps({"device_id": device_id, **reading})
        kind = fate(int(reading["value"]))
        if kind == "drop":
            continue
        if kind == "hold":
            held = text
            continue
        _publish(text)
        if kind == "dup":
            _publish(text)
        if held is not None:
            _publish(held)
            held = None
