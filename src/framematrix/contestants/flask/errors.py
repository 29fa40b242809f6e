"""Every error as JSON `{"detail": ...}`: Flask's documented handler for HTTPException.

Unhandled exceptions reach the same handler as an InternalServerError (after Flask logs them),
so no response is ever an HTML page or a traceback.
"""

from __future__ import annotations

from flask import Flask, json
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response


def handle_http_error(error: HTTPException) -> Response:
    """Keep the status and headers (such as `Allow` on a 405); replace the HTML body."""
    response = error.get_response()
    response.set_data(json.dumps({"detail": error.description}))
    response.content_type = "application/json"
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
