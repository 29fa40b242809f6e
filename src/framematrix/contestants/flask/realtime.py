"""The realtime routes (RULES.md, "Real time"): Flask-Sock WebSocket routes on a blueprint.

Flask-Sock speaks plain WebSockets, which the contract needs; Flask-SocketIO speaks the
Socket.IO protocol on top, which a plain WebSocket client cannot talk to. Each socket runs in a
thread of the server (gunicorn gthread, sized with `--threads` as Flask-Sock's docs say). A
reading is checked by a marshmallow schema, stored through Flask-SQLAlchemy's session, and
published through the worker's threaded Redis hub.
"""

from __future__ import annotations

import json
import queue
import re
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint
from flask_sock import Sock
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from framematrix.contestants.flask.broadcast import ThreadHub
from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.inputs import unprocessable
from framematrix.contestants.flask.schemas import NO_NUL

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
POLICY_VIOLATION = 1008
BROKER_LOST = 1011
IDLE_CHECK_S = 1.0
NOT_TEXT = {"detail": [{"loc": ["message"], "msg": "A reading is a JSON text message."}]}
NOT_JSON = {"detail": [{"loc": ["message"], "msg": "A reading must be valid JSON."}]}
NOT_OBJECT = {"detail": [{"loc": ["message"], "msg": "A reading is a JSON object."}]}

sock = Sock()
bp = Blueprint("realtime", __name__)
hub = ThreadHub()


class Reading(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    sensor: Mapped[str] = mapped_column(String(50))
    value: Mapped[float]
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StrictFloat(fields.Float):
    """A JSON number only: marshmallow's Float would also take "1.5" and true."""

    def _validated(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._validated(value)


class ReadingSchema(Schema):
    sensor = fields.String(required=True, validate=[validate.Length(min=1, max=50), NO_NUL])
    value = StrictFloat(required=True, allow_nan=False)
    ts = fields.AwareDateTime(required=True, format="iso")


reading_schema = ReadingSchema()


def _decode(text: Any) -> dict[str, Any]:
    """The reading, or the error to answer with (its only key is `detail`)."""
    if not isinstance(text, str):
        return NOT_TEXT
    try:
        content = json.loads(text)
    except ValueError:
        return NOT_JSON
    if not isinstance(content, dict):
        return NOT_OBJECT
    try:
        reading: dict[str, Any] = reading_schema.load(content)
        return reading
    except ValidationError as err:
        return {"detail": unprocessable(err, "message")}


@sock.route("/ws/devices/<device_id>", bp=bp)
def device(ws: Any, device_id: str) -> None:
    if DEVICE_ID.fullmatch(device_id) is None:
        ws.close(reason=POLICY_VIOLATION, message="device_id must be 1-64 of A-Z a-z 0-9 _ -")
        return
    while True:
        data = _decode(ws.receive())
        if "detail" in data:
            ws.send(json.dumps(data))
            continue
        sensor, value, ts = data["sensor"], data["value"], data["ts"].astimezone(UTC)
        db.session.add(Reading(device_id=device_id, sensor=sensor, value=value, ts=ts))
        db.session.commit()
        out = {"device_id": device_id, "sensor": sensor, "value": value}
        hub.publish(json.dumps({**out, "ts": ts.isoformat().replace("+00:00", "Z")}))


@sock.route("/ws/live", bp=bp)
def live(ws: Any) -> None:
    with hub.subscribe() as readings:
        ws.send(json.dumps({"subscribed": True}))
        while ws.connected:
            try:
                text = readings.get(timeout=IDLE_CHECK_S)
            except queue.Empty:
                continue
            if text is None:
                ws.close(reason=BROKER_LOST)
                return
            ws.send(text)
