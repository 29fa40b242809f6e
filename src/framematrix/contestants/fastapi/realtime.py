"""The realtime routes (RULES.md, "Real time"): FastAPI's WebSocket routes, Pydantic validation.

As FastAPI's WebSocket docs teach: `@router.websocket` endpoints on an APIRouter, a path
parameter validated by FastAPI (a bad device_id is refused before the handshake completes), the
session dependency of the SQL guide, and a Pydantic model for each message. Readings cross
worker processes through the shared Redis hub (`contestants/broadcast.py`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, WebSocket
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from framematrix.contestants.broadcast import Hub
from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.readings import Reading

NOT_TEXT = {"detail": [{"loc": ["message"], "msg": "a reading is a JSON text message"}]}

router = APIRouter()
hub = Hub()


class ReadingIn(BaseModel):
    """What a device sends: strict JSON types, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True)

    sensor: Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[^\x00]*$")]
    value: Annotated[float, Field(allow_inf_nan=False)]
    ts: AwareDatetime


class ReadingOut(ReadingIn):
    """What every subscriber receives."""

    device_id: str


DeviceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _detail(exc: ValidationError) -> dict[str, list[dict[str, object]]]:
    """The contract's error shape: `loc` starts with "message" and names the field."""
    return {"detail": [{"loc": ["message", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]}


@router.websocket("/ws/devices/{device_id}")
async def device(websocket: WebSocket, device_id: DeviceId, session: SessionDep) -> None:
    await websocket.accept()
    while (message := await websocket.receive())["type"] == "websocket.receive":
        if message.get("text") is None:
            await websocket.send_json(NOT_TEXT)
            continue
        try:
            reading = ReadingIn.model_validate_json(message["text"])
        except ValidationError as exc:
            await websocket.send_json(_detail(exc))
            continue
        fields = reading.model_dump()
        session.add(Reading(device_id=device_id, **fields))
        await session.commit()
        await hub.publish(ReadingOut(device_id=device_id, **fields).model_dump_json())


@router.websocket("/ws/live")
async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    await hub.serve(websocket.send_text, websocket.close, lambda: _until_disconnect(websocket))


async def _until_disconnect(websocket: WebSocket) -> None:
    """What a subscriber sends is ignored; only its disconnect matters."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
