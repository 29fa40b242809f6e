"""The realtime routes (RULES.md, "Real time"): Litestar's own `@websocket` handlers, msgspec
validation.

Each device socket holds one session of the SQLAlchemy plugin's config for its life and commits
each reading; readings cross worker processes through the hub FastAPI and raw-asgi share
(`contestants/broadcast.py`), so the fan-out is the same and the gap is the framework's.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from msgspec import Meta, Struct

from framematrix.contestants.broadcast import Hub
from framematrix.contestants.litestar import database
from framematrix.contestants.litestar.errors import FIELD_NAMED
from framematrix.contestants.litestar.schemas import TEXT
from framematrix.contestants.readings import Reading

POLICY_VIOLATION = 1008
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
AT = re.compile(r"- at `\$\.?([^`]*)`")
NOT_TEXT = {"detail": [{"loc": ["message"], "msg": "a reading is a JSON text message"}]}

hub = Hub()


class ReadingIn(Struct, forbid_unknown_fields=True):
    """What a device sends: strict JSON types (msgspec decodes JSON strictly), no unknown keys."""

    sensor: Annotated[str, Meta(min_length=1, max_length=50, pattern=TEXT)]
    value: float
    ts: Annotated[datetime, Meta(tz=True)]


class ReadingOut(ReadingIn):
    """What every subscriber receives."""

    device_id: str


DECODER = msgspec.json.Decoder(ReadingIn)


def _detail(exc: msgspec.MsgspecError) -> dict[str, Any]:
    """The contract's error shape: `loc` starts with "message" and names the field."""
    text = str(exc)
    at, named = AT.search(text), FIELD_NAMED.search(text)
    loc = ["message", *([at.group(1)] if at and at.group(1) else [])]
    loc += [named.group(1)] if named else []
    return {"detail": [{"loc": loc, "msg": text.split(" - at ")[0]}]}


@websocket("/ws/devices/{device_id:str}")
async def device(socket: WebSocket[Any, Any, Any], device_id: str) -> None:
    if not DEVICE_ID.fullmatch(device_id):
        await socket.close(POLICY_VIOLATION)  # before accept: the handshake is refused
        return
    await socket.accept()
    async with database.config.get_session() as session:
        while (message := await socket.receive())["type"] == "websocket.receive":
            text = message.get("text")
            if text is None:
                await socket.send_json(NOT_TEXT)
                continue
            try:
                reading = DECODER.decode(text)
            except msgspec.MsgspecError as exc:
                await socket.send_json(_detail(exc))
                continue
            fields = msgspec.structs.asdict(reading)
            session.add(Reading(device_id=device_id, **fields))
            await session.commit()
            out = ReadingOut(device_id=device_id, **fields)
            await hub.publish(msgspec.json.encode(out).decode())


@websocket("/ws/live")
async def live(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    await hub.serve(socket.send_text, socket.close, lambda: _until_disconnect(socket))


async def _until_disconnect(socket: WebSocket[Any, Any, Any]) -> None:
    """What a subscriber sends is ignored; only its disconnect matters."""
    with contextlib.suppress(WebSocketDisconnect):
        while (await socket.receive())["type"] != "websocket.disconnect":
            pass
