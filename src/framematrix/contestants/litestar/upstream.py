"""The upstream client: one per worker, opened in the app's lifespan, kept in `app.state` and
handed to the route handler by dependency injection (`Provide`). It wraps aiohttp's
`ClientSession` (`framematrix.upstream.calls` says why not httpx's AsyncClient)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import Provide

from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamFailed
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    async with AsyncUpstreamClient(SETTINGS) as client:
        app.state.upstream = client
        yield


def provide_upstream(state: State) -> AsyncUpstreamClient:
    client: AsyncUpstreamClient = state.upstream
    return client


UPSTREAM = Provide(provide_upstream, sync_to_thread=False)


def upstream_failed(request: Request[Any, Any, Any], exc: UpstreamFailed) -> Response[Any]:
    """The upstream's failure, from whichever handler called it, as the contract's 502 or 504
    (rules 25-29), in the body Litestar gives an HTTPException."""
    return Response({"status_code": exc.status, "detail": exc.detail}, status_code=exc.status)
