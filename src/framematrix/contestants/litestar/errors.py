"""The contract's error statuses and shapes, where Litestar's defaults differ.

Litestar answers every invalid parameter or body with 400 and a list of
`{"message", "key", "source"}`; the contract wants 404 for a bad id in the path, 400 only for a
body that is not a JSON object, and 422 with `loc` for the rest. Litestar also serves
`/authors/` as `/authors` (it drops trailing slashes); the contract calls it an unknown path.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException, ValidationException
from litestar.types import ASGIApp, ExceptionHandlersMap, Message, Receive, Scope, Send

from framematrix.contestants.litestar.upstream import upstream_failed
from framematrix.upstream.calls import UpstreamFailed

FIELD_NAMED = re.compile(r"(?:missing required|contains unknown) field `([^`]+)`")
"""msgspec names a missing or unknown field only in its message."""
MISSING_PARAMETER = re.compile(r"Missing required (\w+) parameter '([^']+)'")
"""Litestar's words for an absent required parameter (its error has no `extra` then)."""


def _invalid(loc: list[str | int], msg: str) -> ValidationException:
    return ValidationException(extra=[{"loc": loc, "message": msg}])


def empty_patch() -> ValidationException:
    return _invalid(["body"], "at least one field is required")


def unknown_author() -> ValidationException:
    return _invalid(["body", "author_id"], "No such author")


def _loc(error: dict[str, Any]) -> list[Any]:
    """`["body", field]` or `["query", name]` from Litestar's `key` and `source`."""
    key = error.get("key") or ""
    named = FIELD_NAMED.search(error.get("message", ""))
    parts = [*key.split(".")] if key else []
    if named:
        parts.append(named.group(1))
    source = getattr(error.get("source"), "value", error.get("source")) or "body"
    return [str(source), *[p for p in parts if p != "data"]]


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = [error for error in exc.extra or [] if isinstance(error, dict)]
    if not errors and (missing := MISSING_PARAMETER.search(exc.detail)):
        errors = [{"source": missing.group(1), "key": missing.group(2), "message": "required"}]
    if any(error.get("source") == "path" for error in errors):
        return Response({"detail": "Not Found"}, status_code=404)
    ours = [(list(error["loc"]), error["message"]) for error in errors if "loc" in error]
    theirs = [
        (_loc(error), error.get("message", "invalid")) for error in errors if "loc" not in error
    ]
    # Litestar's own error on the body as a whole: absent, or JSON that is no object.
    if not errors or any(loc == ["body"] for loc, _ in theirs):
        return Response({"detail": "The body is not a JSON object"}, status_code=400)
    located = ours + theirs
    return Response({"detail": [{"loc": loc, "msg": msg} for loc, msg in located]}, status_code=422)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ValidationException: validation_error,
    UpstreamFailed: upstream_failed,
}


def contract_paths(app: ASGIApp) -> ASGIApp:
    """A pure ASGI middleware for two of Litestar's path habits: a path with a trailing or
    doubled slash is unknown (404), and the automatic OPTIONS answer lists every method of its
    path in `Allow` (Litestar 2 names only some when a path has several handlers; its issue
    #4169, fixed in Litestar 3)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        # Litestar has already normalised `path`; the path as sent is `raw_path`.
        path = scope.get("raw_path") or scope["path"].encode()
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if path != b"/" and (path.endswith(b"/") or b"//" in path):
            raise NotFoundException()
        if scope.get("method") != "OPTIONS":
            await app(scope, receive, send)
            return
        handler = scope["route_handler"]
        methods = next(
            route.methods
            for route in scope["litestar_app"].routes
            if handler in getattr(route, "route_handlers", ())
        )
        allow = ", ".join(sorted(methods)).encode()

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": [*headers, (b"allow", allow)]}
            await send(message)

        await app(scope, receive, send_allow)

    return middleware
