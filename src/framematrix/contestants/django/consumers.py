"""The realtime consumers (RULES.md, "Real time"): Channels' `AsyncJsonWebsocketConsumer`.

A device's readings are checked by a DRF serializer (the same strict fields as the HTTP API),
saved through the ORM with `database_sync_to_async`, and sent to a channel-layer group that
every subscriber's consumer, in whichever worker process, belongs to.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from framematrix.contestants.django.exceptions import _flatten
from framematrix.contestants.django.models import Reading
from framematrix.contestants.django.serializers import ContractSerializer
from framematrix.db import broker

GROUP = broker.readings_channel()
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
POLICY_VIOLATION = 1008
NOT_TEXT = [{"loc": ["message"], "msg": "A reading is a JSON text message."}]
NOT_JSON = [{"loc": ["message"], "msg": "A reading must be valid JSON."}]
NOT_OBJECT = [{"loc": ["message"], "msg": "A reading is a JSON object."}]


class StrictFloatField(serializers.FloatField):
    """Takes only a finite JSON number: not "1.5", not true, not NaN."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if not math.isfinite(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """An RFC 3339 string with its time zone offset; a naive time is refused, not assumed UTC."""

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str):
            self.fail("invalid", format="RFC 3339")
        try:
            parsed = parse_datetime(value) if len(value) >= 20 else None
        except ValueError:  # well formed, but no such date (month 13)
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail("invalid", format="RFC 3339 with a time zone offset")
        return super().to_internal_value(value)


class ReadingSerializer(ContractSerializer):
    value = StrictFloatField()
    ts = AwareDateTimeField()

    class Meta:
        model = Reading
        fields = ["sensor", "value", "ts"]
        extra_kwargs = {"sensor": {"min_length": 1}}


class DeviceConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.device_id = self.scope["url_route"]["kwargs"]["device_id"]
        if DEVICE_ID.fullmatch(self.device_id) is None:
            await self.close(code=POLICY_VIOLATION)  # before accepting: the handshake fails
            return
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A message that is not JSON is answered, not fatal (AsyncJsonWebsocketConsumer would
        raise and drop the connection)."""
        if text_data is None:
            await self.send_json({"detail": NOT_TEXT})
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.send_json({"detail": NOT_JSON})
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"detail": NOT_OBJECT})
            return
        serializer = ReadingSerializer(data=content)
        if not serializer.is_valid():
            await self.send_json({"detail": _flatten(serializer.errors, ["message"])})
            return
        await database_sync_to_async(serializer.save)(device_id=self.device_id)
        reading = {"device_id": self.device_id, **serializer.data}
        await self.channel_layer.group_send(
            GROUP, {"type": "reading.message", "text": json.dumps(reading)}
        )


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        # group_add has returned: every group_send from now on reaches this consumer.
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.send_json({"subscribed": True})

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """What a subscriber sends is ignored."""

    async def reading_message(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])
