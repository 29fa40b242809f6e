"""Reading a request into validated data, turning every failure into the contract's error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NoReturn

from flask import abort, request
from marshmallow import Schema, ValidationError


def json_object() -> dict[str, Any]:
    """The body as a JSON object; 400 for anything else (bad JSON, bad UTF-8, a list...).

    `force` parses whatever the Content-Type says; `silent` gives None for unparsable JSON,
    which is then refused like any other non-object. A body over the limit is still 413.
    """
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        abort(400, "The body must be a JSON object.")
    return body


Where = Literal["body", "query", "message"]


def load(
    schema: Schema, data: Mapping[str, Any], where: Where, *, partial: bool = False
) -> dict[str, Any]:
    """`schema.load`, with marshmallow's messages reshaped into 422 `[{loc, msg}]`."""
    try:
        return schema.load(data, partial=partial)
    except ValidationError as err:
        abort(422, unprocessable(err, where))


def unprocessable(err: ValidationError, where: Where) -> list[dict[str, Any]]:
    """`{"email": ["..."], "_schema": ["..."]}` -> `[{"loc": [where, "email"], "msg": "..."}]`."""
    messages = err.normalized_messages()
    detail = []
    for field, texts in messages.items():
        loc = [where] if field == "_schema" else [where, field]
        for text in texts if isinstance(texts, list) else [texts]:
            detail.append({"loc": loc, "msg": str(text)})
    return detail


def body_invalid(field: str, msg: str) -> NoReturn:
    """A 422 found after loading, e.g. an `author_id` that names no author."""
    abort(422, [{"loc": ["body", field], "msg": msg}])
