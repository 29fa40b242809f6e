"""How a contestant calls the upstream: one pooled client per worker, and one request.

Every contestant holds one of these per worker, so all of them get the same pool and timeout
and read the answer alike (rules 25-31): `UpstreamClient` for a thread worker (httpx's
`Client`, shared by the threads), `AsyncUpstreamClient` for an event loop (aiohttp's
`ClientSession`, opened on the loop that uses it). Where the client lives (a lifespan, an
app's extensions, a module) and how a failure becomes the framework's own 502/504 error stays
in each contestant.

Why two libraries: httpx's `AsyncClient` spends CPU that grows with the requests in flight
(encode/httpx#3215, open): measured here against the upstream at 50 ms, one event loop got
292 req/s at 16 requests in flight and 82 at 64 (5 ms of CPU per request), where aiohttp got
308 and 1,215 (0.12 ms). An event loop would look CPU-bound for its HTTP client's sake.
httpx's sync `Client` has no such problem (and beat requests' Session: 0.37 against 0.58 ms
of CPU per request, 4 threads), so the thread workers keep it.

The libraries are imported only when an upstream is configured: a worker started without
FRAMEMATRIX_UPSTREAM_URL never loads them (aiohttp is about 8 MB per worker, httpx 5), so the
memory measured for the other scenarios is what it was without this endpoint.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from framematrix.upstream.settings import MAX_CONNECTIONS, UpstreamSettings

if TYPE_CHECKING:
    import aiohttp
    import httpx


class UpstreamFailed(Exception):
    """The upstream could not give a profile: `status` is 502 or 504, `detail` says why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class UpstreamClient:
    """A sync worker's client: thread-safe, pooled, keep-alive. The timeout bounds waiting for
    a pooled connection, connecting and each read."""

    def __init__(self, settings: UpstreamSettings) -> None:
        self.settings = settings
        self.client: httpx.Client | None = None
        if settings.url:
            import httpx

            limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=None)
            self.client = httpx.Client(timeout=settings.timeout_s, limits=limits)

    def fetch_profile(self, author_id: int) -> dict[str, Any]:
        """The upstream's JSON object for `author_id`, from exactly one request."""
        if self.client is None:
            raise not_configured()
        import httpx

        try:
            response = self.client.get(self.settings.profile_url(author_id))
        except httpx.TimeoutException:
            raise timed_out() from None
        except httpx.HTTPError as exc:
            raise unreachable(exc) from None
        return profile(response.status_code, response.content)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class AsyncUpstreamClient:
    """An event loop's client: `open()` it on its loop (in the lifespan), `close()` after.
    The same timeout as `UpstreamClient`'s: a pooled connection, the connect, each read."""

    def __init__(self, settings: UpstreamSettings) -> None:
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if not self.settings.url:
            return
        import aiohttp

        timeout = self.settings.timeout_s
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
            timeout=aiohttp.ClientTimeout(connect=timeout, sock_connect=timeout, sock_read=timeout),
        )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def __aenter__(self) -> AsyncUpstreamClient:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def fetch_profile(self, author_id: int) -> dict[str, Any]:
        """`UpstreamClient.fetch_profile`, awaited."""
        if self.session is None:
            raise not_configured()
        import aiohttp

        try:
            async with self.session.get(self.settings.profile_url(author_id)) as response:
                status, body = response.status, await response.read()
        except TimeoutError:
            raise timed_out() from None
        except aiohttp.ClientError as exc:
            raise unreachable(exc) from None
        return profile(status, body)


def not_configured() -> UpstreamFailed:
    """Rule 27: started without FRAMEMATRIX_UPSTREAM_URL."""
    return UpstreamFailed(502, "No upstream service is configured.")


def timed_out() -> UpstreamFailed:
    """Rule 28: no answer in time."""
    return UpstreamFailed(504, "The upstream service did not answer in time.")


def unreachable(exc: Exception) -> UpstreamFailed:
    """Rule 29: refused, reset, or any other transport error."""
    return UpstreamFailed(502, f"The upstream service could not be reached ({type(exc).__name__}).")


def profile(status: int, body: bytes) -> dict[str, Any]:
    """Rule 29: a 2xx answer whose body is a JSON object, else 502."""
    if not 200 <= status < 300:
        raise UpstreamFailed(502, f"The upstream service answered {status}.")
    try:
        value = json.loads(body)
    except ValueError:
        raise UpstreamFailed(502, "The upstream service answered something not JSON.") from None
    if not isinstance(value, dict):
        raise UpstreamFailed(502, "The upstream service answered JSON that is not an object.")
    return value
