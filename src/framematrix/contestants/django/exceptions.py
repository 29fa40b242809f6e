"""Every error as the contract shapes it: DRF's EXCEPTION_HANDLER and Django's error views.

DRF answers 400 for validation errors with `{field: [messages]}`; the contract wants 422 with
`{"detail": [{"loc": ["body", field], "msg": ...}]}`. Django's own 400/403/404/500 pages are
HTML; here they are JSON too, so no response is ever a page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidQuery(exceptions.ValidationError):
    """A query parameter breaks a rule: its errors are located under "query", not "body"."""


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The email is already taken."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is over 1 MiB."
    default_code = "too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, IntegrityError):
        # After validation, the only constraint a request can break is the unique email (or,
        # in a race, the foreign key of an author deleted meanwhile): the database decided.
        exc = Conflict()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, exceptions.ValidationError):
        where = "query" if isinstance(exc, InvalidQuery) else "body"
        errors = _flatten(exc.detail, [where])
        return Response({"detail": errors}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return drf_exception_handler(exc, context)


def _flatten(detail: Any, loc: list[str]) -> list[dict[str, Any]]:
    """DRF's nested error detail as a flat list of {loc, msg}."""
    if isinstance(detail, dict):
        non_field = api_settings.NON_FIELD_ERRORS_KEY
        return [
            item
            for key, value in detail.items()
            for item in _flatten(value, loc if key == non_field else [*loc, key])
        ]
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, loc)]
    return [{"loc": loc, "msg": str(detail), "type": getattr(detail, "code", "invalid")}]


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Forbidden."}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error."}, status=500)
