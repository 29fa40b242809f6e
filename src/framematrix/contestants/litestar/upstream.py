"""The upstream client: one per worker, opened in the app's lifespan, kept in `app.state` and
handed to the route handler by dependency injection (`Provide`). It wraps aiohttp's
`ClientSession` (`framematrix.upstream.calls` says why not httpx's AsyncClient)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide

from framematrix.upstream.calls import AsyncUpstreamClient
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
