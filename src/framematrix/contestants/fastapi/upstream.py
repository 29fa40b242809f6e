"""The upstream client: one per worker, opened in the app's lifespan and handed to the path
operations as a dependency through the lifespan state (Starlette's `request.state`), the way
Starlette's lifespan docs share a client. It wraps aiohttp's `ClientSession`
(`framematrix.upstream.calls` says why not httpx's AsyncClient)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.responses import Response

from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamFailed
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()


def get_upstream(request: Request) -> AsyncUpstreamClient:
    client: AsyncUpstreamClient = request.state.upstream
    return client


UpstreamDep = Annotated[AsyncUpstreamClient, Depends(get_upstream)]


async def upstream_failed_handler(request: Request, exc: UpstreamFailed) -> Response:
    """The upstream's failure, from whichever path operation called it, as the contract's 502
    or 504 (rules 25-29), in the body FastAPI gives an HTTPException."""
    return await http_exception_handler(request, HTTPException(exc.status, exc.detail))
