"""The upstream client: one per worker, opened on its event loop at the first profile request
(Django's ASGI handler has no lifespan to open it in), and its failures as Ninja `HttpError`s.
It wraps aiohttp's `ClientSession` (`framematrix.upstream.calls` says why not httpx's)."""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from ninja.errors import HttpError

from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamFailed

client = AsyncUpstreamClient(settings.UPSTREAM)
_opening = asyncio.Lock()


async def profile(author_id: int) -> dict[str, Any]:
    """The upstream's object for the author; 502 or 504 when it fails (rules 25-29)."""
    if client.session is None:
        async with _opening:
            if client.session is None:
                await client.open()
    try:
        return await client.fetch_profile(author_id)
    except UpstreamFailed as failure:
        raise HttpError(failure.status, failure.detail) from None
