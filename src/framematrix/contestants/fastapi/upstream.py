"""The upstream client: one `httpx.AsyncClient` per worker, opened in the app's lifespan and
handed to the path operations as a dependency through the lifespan state (Starlette's
`request.state`), the way Starlette's lifespan docs share a client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import Depends, Request

from framematrix.upstream.calls import new_async_client
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()


@asynccontextmanager
async def upstream_client() -> AsyncIterator[httpx.AsyncClient]:
    async with new_async_client(SETTINGS) as client:
        yield client


def get_upstream(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.state.upstream
    return client


UpstreamDep = Annotated[httpx.AsyncClient, Depends(get_upstream)]
