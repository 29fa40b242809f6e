"""The ASGI baseline's upstream client: one per worker, opened at lifespan startup on the
worker's own event loop (with the database) and closed at shutdown."""

from __future__ import annotations

import asyncio

from framematrix.contestants.raw_core import Fetch, Response, upstream_failed
from framematrix.contestants.raw_core.work import Calls
from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamFailed
from framematrix.upstream.settings import UpstreamSettings

CLIENT = AsyncUpstreamClient(UpstreamSettings.from_env())


async def answer(fetch: Fetch) -> Response:
    """Call the upstream once for the author and answer 200, or 502/504 (rules 25-29)."""
    try:
        return fetch.answer(await CLIENT.fetch_profile(fetch.author_id))
    except UpstreamFailed as failure:
        return upstream_failed(failure)


async def calls(need: Calls) -> Response | None:
    """`GET /work`'s calls, all at once on the loop (`asyncio.gather`); a failure's answer."""
    try:
        await asyncio.gather(*(CLIENT.fetch_profile(need.author_id) for _ in range(need.count)))
    except UpstreamFailed as failure:
        return upstream_failed(failure)
    return None
