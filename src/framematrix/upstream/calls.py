"""How a contestant calls the upstream: one pooled client per worker, and one request.

Every contestant builds its client here, so all of them get the same pool and timeout, and
sends the profile request through `fetch_profile` (sync workers: httpx's `Client`) or
`afetch_profile` (event loops: aiohttp's `ClientSession`), so all of them read the answer
alike (rules 25-31). Where the client lives (a lifespan, an app's extensions, a module) and
how a failure becomes the framework's own 502/504 error stays in each contestant.

Why two libraries: httpx's `AsyncClient` spends CPU that grows with the requests in flight
(encode/httpx#3215, open): measured here against the upstream at 50 ms, one event loop got
292 req/s at 16 requests in flight and 82 at 64 (5 ms of CPU per request), where aiohttp got
308 and 1,215 (0.12 ms). An event loop would look CPU-bound for its HTTP client's sake.
httpx's sync `Client` has no such problem (and beat requests' Session: 0.37 against 0.58 ms
of CPU per request, 4 threads), so the thread workers keep it.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import httpx

from framematrix.upstream.settings import MAX_CONNECTIONS, UpstreamSettings


class UpstreamFailed(Exception):
    """The upstream could not give a profile: `status` is 502 or 504, `detail` says why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def new_client(settings: UpstreamSettings) -> httpx.Client:
    """A thread-safe, pooled, keep-alive client for a sync worker (share it between threads).

    The timeout bounds connecting, waiting for a pooled connection and each read."""
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=None)
    return httpx.Client(timeout=settings.timeout_s, limits=limits)


def new_async_session(settings: UpstreamSettings) -> aiohttp.ClientSession:
    """The pooled session of an event loop; create it in the lifespan, on the loop that uses it.

    The same timeout as `new_client`'s: getting a connection, connecting, and each read."""
    timeout = settings.timeout_s
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
        timeout=aiohttp.ClientTimeout(connect=timeout, sock_connect=timeout, sock_read=timeout),
    )


def fetch_profile(
    client: httpx.Client, settings: UpstreamSettings, author_id: int
) -> dict[str, Any]:
    """The upstream's JSON object for `author_id`, from exactly one request."""
    try:
        response = client.get(settings.profile_url(author_id))
    except httpx.TimeoutException:
        raise timed_out() from None
    except httpx.HTTPError as exc:
        raise unreachable(exc) from None
    return profile(response.status_code, response.content)


async def afetch_profile(
    session: aiohttp.ClientSession, settings: UpstreamSettings, author_id: int
) -> dict[str, Any]:
    """`fetch_profile`, awaited."""
    try:
        async with session.get(settings.profile_url(author_id)) as response:
            status, body = response.status, await response.read()
    except TimeoutError:
        raise timed_out() from None
    except aiohttp.ClientError as exc:
        raise unreachable(exc) from None
    return profile(status, body)


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
