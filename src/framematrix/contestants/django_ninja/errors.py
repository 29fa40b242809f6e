"""The contract's error statuses and shapes, where Ninja's and Django's defaults differ.

Ninja answers every invalid parameter with 422; the contract wants 404 for a bad id in the path
and 400 for a body that is not a JSON object. A body over Django's size limit is 413, not the
400 Django makes of it. Ninja's 405 and Django's own error views answer text or HTML; here they
answer JSON.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

NOT_AN_OBJECT = {"missing", "model_attributes_type", "model_type", "dict_type", "json_invalid"}
"""Error types pydantic gives the whole body when it is absent or not an object."""


class ObjectParser(Parser):
    """Ninja's JSON parser, held to a JSON object (anything else is Ninja's 400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


def unknown_author() -> ValidationError:
    """A post naming an author the database does not have."""
    # Located as Ninja locates a body's fields: under the operation's parameter, `payload`.
    return ValidationError([{"loc": ("body", "payload", "author_id"), "msg": "No such author"}])


def email_taken() -> HttpError:
    """An author's email another author has: the unique constraint, not a lookup, found it."""
    return HttpError(409, "An author with this email already exists")


def install(api: NinjaAPI) -> None:
    """The API's handlers for invalid input and for a body over the size limit."""

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = exc.errors
        if any(error["loc"][0] == "path" for error in errors):
            return api.create_response(request, {"detail": "Not Found"}, status=404)
        # Ninja locates a body's fields under the operation's parameter: ("body", "payload", f).
        located = [
            {**e, "loc": ["body", *e["loc"][2:]]} if e["loc"][0] == "body" else e for e in errors
        ]
        if any(e["loc"] == ["body"] and e.get("type") in NOT_AN_OBJECT for e in located):
            return api.create_response(
                request, {"detail": "The body is not a JSON object"}, status=400
            )
        detail = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e.get("type", "invalid")}
            for e in located
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    # Django raises it when Ninja first reads `request.body` (DATA_UPLOAD_MAX_MEMORY_SIZE).
    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, {"detail": "The body is over 1 MiB"}, status=413)


class JSONMethodNotAllowed:
    """A 405 (Ninja's is plain text) as JSON, its `Allow` header kept; sync and async alike."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        return self._json(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        response: Awaitable[HttpResponse] = self.get_response(request)
        return self._json(await response)

    @staticmethod
    def _json(response: HttpResponse) -> HttpResponse:
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        answer = JsonResponse({"detail": "Method not allowed"}, status=405)
        answer["Allow"] = response["Allow"]
        return answer
