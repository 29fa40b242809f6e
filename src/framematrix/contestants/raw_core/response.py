"""A response as plain data (status, JSON bytes, extra headers), and the fixed error bodies.

The shells turn it into WSGI or ASGI headers; fixed responses are built once at import, so an
error costs no encoding at request time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MAX_BODY_BYTES = 1_048_576
"""Rule 19: a request body over 1 MiB is 413."""

_encoder = json.JSONEncoder(separators=(",", ":"), check_circular=False)

Encoder = Callable[[Any], bytes]
"""Value to compact JSON bytes. Each shell passes the fastest one a framework contestant of its
interface gets: the stdlib's here for WSGI, pydantic-core's for ASGI (see `raw_asgi`)."""


JSON = "application/json"


class Response:
    """Status, body, its media type (JSON but for an image) and any headers beyond
    Content-Type and Content-Length."""

    __slots__ = ("body", "headers", "media_type", "status")

    def __init__(
        self,
        status: int,
        body: bytes,
        headers: tuple[tuple[str, str], ...] = (),
        media_type: str = JSON,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers
        self.media_type = media_type


def encode(value: Any) -> bytes:
    """Compact JSON with the stdlib's C encoder, the one Django REST framework and Flask use.

    Also builds the fixed responses below, once at import. ASCII escapes (the default) measured
    a little faster than raw UTF-8 on this data.
    """
    return _encoder.encode(value).encode()


def json_response(status: int, value: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, encode(value), headers)


def error(status: int, detail: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return json_response(status, {"detail": detail}, headers)


def invalid(errors: list[dict[str, Any]], encoder: Encoder = encode) -> Response:
    """422: valid JSON that breaks one or more rules, each with its `loc`."""
    return Response(422, encoder({"detail": errors}))


HEALTH = json_response(200, {"status": "ok"})
NO_CONTENT = Response(204, b"")
NOT_FOUND = error(404, "Not Found")
TOO_LARGE = error(413, f"Request body is over {MAX_BODY_BYTES} bytes")
CONFLICT = error(409, "email is already taken")
UNKNOWN_AUTHOR = invalid([{"loc": ["body", "author_id"], "msg": "no author has this id"}])
INTERNAL_ERROR = error(500, "Internal Server Error")

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}
