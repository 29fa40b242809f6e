"""The ASGI baseline's upstream client: one pooled `httpx.AsyncClient` per worker, opened at
lifespan startup on the worker's own event loop and closed at shutdown."""

from __future__ import annotations

import httpx

from framematrix.contestants.raw_core import Fetch, Response, upstream_failed
from framematrix.upstream.calls import UpstreamFailed, afetch_profile, new_async_client
from framematrix.upstream.settings import UpstreamSettings


class Upstream:
    def __init__(self, settings: UpstreamSettings) -> None:
        self.settings = settings
        self.client: httpx.AsyncClient | None = None

    def open(self) -> None:
        self.client = new_async_client(self.settings)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    async def answer(self, fetch: Fetch) -> Response:
        """Call the upstream once for the author and answer 200, or 502/504 (rules 25-29)."""
        assert self.client is not None, "opened with the database, before any request"
        try:
            profile = await afetch_profile(self.client, self.settings, fetch.author_id)
        except UpstreamFailed as failure:
            return upstream_failed(failure)
        return fetch.answer(profile)
