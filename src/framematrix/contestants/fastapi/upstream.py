"""The upstream client: one per worker, opened in the app's lifespan and handed to the path
operations as a dependency through the lifespan state (Starlette's `request.state`), the way
Starlette's lifespan docs share a client. It wraps aiohttp's `ClientSession`
(`framematrix.upstream.calls` says why not httpx's AsyncClient)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from framematrix.upstream.calls import AsyncUpstreamClient
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()


def get_upstream(request: Request) -> AsyncUpstreamClient:
    client: AsyncUpstreamClient = request.state.upstream
    return client


UpstreamDep = Annotated[AsyncUpstreamClient, Depends(get_upstream)]
