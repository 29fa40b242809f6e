"""The ASGI baseline's upstream client: one aiohttp `ClientSession` per worker, created at
lifespan startup on the worker's own event loop and closed at shutdown. (aiohttp rather than
httpx's AsyncClient, whose CPU cost grows with the requests in flight: upstream/calls.py.)"""

from __future__ import annotations

import aiohttp

from framematrix.contestants.raw_core import Fetch, Response, upstream_failed
from framematrix.upstream.calls import UpstreamFailed, afetch_profile, new_async_session
from framematrix.upstream.settings import UpstreamSettings


class Upstream:
    def __init__(self, settings: UpstreamSettings) -> None:
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self.session = new_async_session(self.settings)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def answer(self, fetch: Fetch) -> Response:
        """Call the upstream once for the author and answer 200, or 502/504 (rules 25-29)."""
        assert self.session is not None, "opened with the database, before any request"
        try:
            profile = await afetch_profile(self.session, self.settings, fetch.author_id)
        except UpstreamFailed as failure:
            return upstream_failed(failure)
        return fetch.answer(profile)
