"""The WSGI baseline: a bare WSGI callable, the floor under Django and Flask.

Only I/O lives here: read the body (with the 1 MiB cap), hand the request to the shared
`raw_core.Api`, run its one SQL step on a pooled connection, write the response. A profile
then calls the upstream (upstream.py); an image is resized right in the request's thread;
`GET /work` is a job driven here, its upstream calls made one after the other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterable
from typing import Any

from framematrix.contestants.raw_core import (
    BODY_METHODS,
    INTERNAL_ERROR,
    MAX_BODY_BYTES,
    REASONS,
    TOO_LARGE,
    Api,
    Render,
    Response,
)
from framematrix.contestants.raw_core.work import Calls, Job, Query
from framematrix.contestants.raw_wsgi import upstream
from framematrix.contestants.raw_wsgi.db import open_database
from framematrix.db.url import DatabaseURL

StartResponse = Callable[..., Any]

_log = logging.getLogger(__name__)

_url = DatabaseURL.from_env()
_database = open_database(_url)
_api = Api("sqlite", "?") if _url.is_sqlite else Api("postgresql", "%s")
_STATUS = {code: f"{code} {reason}" for code, reason in REASONS.items()}


def _body(environ: dict[str, Any]) -> bytes | None:
    """Rule 19: the request body, or None when it is over 1 MiB (judged by header or by size)."""
    length = environ.get("CONTENT_LENGTH")
    if length and length.isdigit():
        if int(length) > MAX_BODY_BYTES:
            return None
        return environ["wsgi.input"].read(int(length))
    body: bytes = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)  # chunked: no length known
    return None if len(body) > MAX_BODY_BYTES else body


def _respond(method: str, environ: dict[str, Any]) -> Response:
    body = b""
    if method in BODY_METHODS:
        read = _body(environ)
        if read is None:
            return TOO_LARGE
        body = read
    result = _api.handle(method, environ["PATH_INFO"], environ.get("QUERY_STRING", ""), body)
    if isinstance(result, Response):
        return result
    if isinstance(result, Render):
        return result.run()
    if isinstance(result, Generator):
        return _drive(result)
    answer = _database.run(result)
    return answer if isinstance(answer, Response) else upstream.answer(answer)


def _drive(job: Job) -> Response:
    """Do what a `GET /work` job asks, blocking: its upstream calls in turn."""
    result: object = None
    try:
        while True:
            need = job.send(result)
            if isinstance(need, Calls):
                result = upstream.calls(need)
                if isinstance(result, Response):
                    return result
            elif isinstance(need, Query):
                result = _database.fetch(need.sql, need.params)
            else:
                _database.transaction(need.sql, need.many)
                result = None
    except StopIteration as done:
        answer: Response = done.value
        return answer


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    try:
        response = _respond(environ["REQUEST_METHOD"], environ)
    except Exception:
        # Rule 20: the traceback goes to the server's log, never into the response.
        _log.exception("%s %s failed", environ["REQUEST_METHOD"], environ.get("PATH_INFO"))
        response = INTERNAL_ERROR
    body = response.body
    if response.status == 204:
        start_response("204 No Content", [])
        return [b""]
    headers = [("Content-Type", response.media_type), ("Content-Length", str(len(body)))]
    if response.headers:
        headers.extend(response.headers)
    start_response(_STATUS[response.status], headers)
    return [body]
