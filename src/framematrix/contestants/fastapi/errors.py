"""Exception handlers that give FastAPI's errors the contract's statuses and shapes.

FastAPI answers every request problem with 422; the contract wants 400 for a body that is not a
JSON object, 404 for a bad id in the path, and an `Allow` header naming every method of a path.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from framematrix.contestants.fastapi.upstream import upstream_failed_handler
from framematrix.upstream.calls import UpstreamFailed

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
NOT_AN_OBJECT = {"missing", "model_attributes_type", "model_type", "dict_type"}
"""Error types pydantic gives the whole body (loc == ("body",)) when it is absent or no object."""


def unknown_author() -> RequestValidationError:
    """A write naming an author the database does not have (its foreign key refused it)."""
    return RequestValidationError(
        [{"type": "foreign_key", "loc": ("body", "author_id"), "msg": "No such author"}]
    )


def _malformed_body(error: dict[str, Any]) -> bool:
    if error["type"] == "json_invalid":
        return True
    return tuple(error["loc"]) == ("body",) and error["type"] in NOT_AN_OBJECT


async def validation_error_handler(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(error["loc"][0] == "path" for error in errors):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    if any(_malformed_body(error) for error in errors):
        return JSONResponse({"detail": "The body is not a JSON object"}, status_code=400)
    # Only loc, msg and type: echoing the input back could repeat a megabyte, or a lone
    # surrogate that cannot be encoded.
    detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors]
    return JSONResponse({"detail": detail}, status_code=422)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (Starlette names only the first route's)."""
    scope = {
        "type": "http",
        "path": request.scope["path"],
        "root_path": request.scope.get("root_path", ""),
    }
    return [
        method
        for method in METHODS
        if any(
            route.matches({**scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]


async def http_error_handler(request: Request, exc: HTTPException) -> Response:
    """FastAPI's own handler, with a complete `Allow` header on a 405."""
    if exc.status_code == 405:
        exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return await http_exception_handler(request, exc)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RequestValidationError: validation_error_handler,
    HTTPException: http_error_handler,
    UpstreamFailed: upstream_failed_handler,
}
