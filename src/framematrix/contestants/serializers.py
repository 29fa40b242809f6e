"""Whose code turns each contestant's posts into JSON: its framework's own serialiser, as its
`/work` endpoint and list views use it (each contestant's `work.py`). A request that is mostly
its response (`items`) is ranked by these, and the report says so beside the figures."""

from __future__ import annotations

SERIALIZER: dict[str, str] = {
    "django": "DRF serializers, the stdlib's json",
    "flask": "marshmallow schemas, the stdlib's json",
    "fastapi": "Pydantic 2 models, pydantic-core's to_json",
    "litestar": "msgspec Structs",
    "django-ninja": "Ninja Schemas (Pydantic 2), the stdlib's json",
    "django-ninja-sync": "Ninja Schemas (Pydantic 2), the stdlib's json",
    "raw-wsgi": "the stdlib's json (C encoder)",
    "raw-asgi": "pydantic-core's to_json",
}
