"""How a contestant calls the upstream: one pooled httpx client per worker, and one request.

Every contestant builds its client here, so all of them get the same pool and timeout, and
sends the profile request through `fetch_profile` / `afetch_profile`, so all of them read the
answer alike (rules 25-31). Where the client lives (a lifespan, an app's extensions, a module)
and how a failure becomes the framework's own 502/504 error stays in each contestant.
"""

from __future__ import annotations

from typing import Any

import httpx

from framematrix.upstream.settings import MAX_CONNECTIONS, UpstreamSettings


class UpstreamFailed(Exception):
    """The upstream could not give a profile: `status` is 502 or 504, `detail` says why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _options(settings: UpstreamSettings) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=None)
    return {"timeout": settings.timeout_s, "limits": limits}


def new_client(settings: UpstreamSettings) -> httpx.Client:
    """A thread-safe, pooled, keep-alive client for a sync worker (share it between threads)."""
    return httpx.Client(**_options(settings))


def new_async_client(settings: UpstreamSettings) -> httpx.AsyncClient:
    """The pooled client of an event loop; open it in the lifespan, on the loop that uses it."""
    return httpx.AsyncClient(**_options(settings))


def fetch_profile(
    client: httpx.Client, settings: UpstreamSettings, author_id: int
) -> dict[str, Any]:
    """The upstream's JSON object for `author_id`, from exactly one request."""
    try:
        response = client.get(settings.profile_url(author_id))
    except httpx.HTTPError as exc:
        raise failure(exc) from None
    return profile(response)


async def afetch_profile(
    client: httpx.AsyncClient, settings: UpstreamSettings, author_id: int
) -> dict[str, Any]:
    """`fetch_profile`, awaited."""
    try:
        response = await client.get(settings.profile_url(author_id))
    except httpx.HTTPError as exc:
        raise failure(exc) from None
    return profile(response)


def failure(exc: httpx.HTTPError) -> UpstreamFailed:
    """Rules 28-29: no answer in time is 504; refused, reset or any other transport error, 502."""
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamFailed(504, "The upstream service did not answer in time.")
    return UpstreamFailed(502, f"The upstream service could not be reached ({type(exc).__name__}).")


def profile(response: httpx.Response) -> dict[str, Any]:
    """Rule 29: a 2xx answer whose body is a JSON object, else 502."""
    if not response.is_success:
        raise UpstreamFailed(502, f"The upstream service answered {response.status_code}.")
    try:
        body = response.json()
    except ValueError:
        raise UpstreamFailed(
            502, "The upstream service answered something that is not JSON."
        ) from None
    if not isinstance(body, dict):
        raise UpstreamFailed(502, "The upstream service answered JSON that is not an object.")
    return body
