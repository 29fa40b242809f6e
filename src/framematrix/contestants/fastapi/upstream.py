"""The upstream client: one aiohttp `ClientSession` per worker, opened in the app's lifespan
and handed to the path operations as a dependency through the lifespan state (Starlette's
`request.state`), the way Starlette's lifespan docs share a client. (aiohttp rather than
httpx's AsyncClient, whose CPU cost grows with the requests in flight: upstream/calls.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import aiohttp
from fastapi import Depends, Request

from framematrix.upstream.calls import new_async_session
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()


@asynccontextmanager
async def upstream_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with new_async_session(SETTINGS) as session:
        yield session


def get_upstream(request: Request) -> aiohttp.ClientSession:
    session: aiohttp.ClientSession = request.state.upstream
    return session


UpstreamDep = Annotated[aiohttp.ClientSession, Depends(get_upstream)]
