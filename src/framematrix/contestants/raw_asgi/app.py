"""The ASGI baseline: a bare ASGI callable, the floor under FastAPI.

Only I/O lives here: receive the body (with the 1 MiB cap), hand the request to the shared
`raw_core.Api`, await its one SQL step, send the response. Bodies are encoded by pydantic-core's
`to_json`, the Rust serializer FastAPI's default response goes through (its `response_model`
is dumped with pydantic's `dump_json`): a floor may not encode slower than its contestant. The
database and the upstream client open at lifespan startup (or on the first request under a
server that runs no lifespan) and close at shutdown. A profile then awaits the upstream
(upstream.py); an image is resized in the loop's default thread pool (`asyncio.to_thread`), so
the loop keeps serving meanwhile. `GET /work` is a job driven here, its upstream calls gathered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Generator
from typing import Any

from pydantic_core import to_json

from framematrix.contestants.raw_asgi import realtime, upstream
from framematrix.contestants.raw_asgi.db import open_database
from framematrix.contestants.raw_core import (
    BODY_METHODS,
    INTERNAL_ERROR,
    MAX_BODY_BYTES,
    TOO_LARGE,
    Api,
    Render,
    Response,
)
from framematrix.contestants.raw_core.response import JSON
from framematrix.contestants.raw_core.work import Calls, Job, Query
from framematrix.db.url import DatabaseURL

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_log = logging.getLogger(__name__)
_url = DatabaseURL.from_env()
_database = open_database(_url)
_api = Api("sqlite", "?", to_json) if _url.is_sqlite else Api("postgresql", "$n", to_json)
_opening = asyncio.Lock()
_ready = False
_JSON = (b"content-type", b"application/json")


async def _open() -> None:
    global _ready
    async with _opening:
        if not _ready:
            await _database.open()
            await upstream.CLIENT.open()
            _ready = True


async def _body(scope: Scope, receive: Receive) -> bytes | None:
    """Rule 19: the request body, or None when it is over 1 MiB (judged by header or by size)."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
            return None
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(scope: Scope, receive: Receive) -> Response:
    method = scope["method"]
    body = b""
    if method in BODY_METHODS:
        read = await _body(scope, receive)
        if read is None:
            return TOO_LARGE
        body = read
    query = scope["query_string"].decode("latin-1")
    result = _api.handle(method, scope["path"], query, body)
    if isinstance(result, Response):
        return result
    if isinstance(result, Render):
        return await asyncio.to_thread(result.run)
    if not _ready:
        await _open()
    if isinstance(result, Generator):
        return await _drive(result)
    answer = await _database.run(result)
    return answer if isinstance(answer, Response) else await upstream.answer(answer)


async def _drive(job: Job) -> Response:
    """Do what a `GET /work` job asks, awaited: its upstream calls gathered."""
    result: object = None
    try:
        while True:
            need = job.send(result)
            if isinstance(need, Calls):
                result = await upstream.calls(need)
                if isinstance(result, Response):
                    return result
            elif isinstance(need, Query):
                result = await _database.fetch(need.sql, need.params)
            else:
                await _database.transaction(need.sql, need.many)
                result = None
    except StopIteration as done:
        answer: Response = done.value
        return answer


async def _http(scope: Scope, receive: Receive, send: Send) -> None:
    try:
        response = await _respond(scope, receive)
    except Exception:
        # Rule 20: the traceback goes to the server's log, never into the response.
        _log.exception("%s %s failed", scope["method"], scope["path"])
        response = INTERNAL_ERROR
    body = response.body
    if response.status == 204:
        headers = []
    else:
        media = (
            _JSON
            if response.media_type == JSON
            else (b"content-type", response.media_type.encode())
        )
        headers = [media, (b"content-length", str(len(body)).encode())]
        headers.extend((name.encode(), value.encode()) for name, value in response.headers)
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    global _ready
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await _open()
            except Exception as exc:
                await send({"type": "lifespan.startup.failed", "message": str(exc)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await _database.close()
            await upstream.CLIENT.close()
            await realtime.hub.close()
            _ready = False
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await _http(scope, receive, send)
    elif scope["type"] == "websocket":
        if not _ready:
            await _open()
        await realtime.websocket(scope, receive, send, _database, _url.is_sqlite)
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
