"""The WSGI baseline's upstream client: one pooled `httpx.Client` per worker process, shared
by its threads (httpx's Client is thread-safe). It opens connections on first use, so creating
it at import is safe even under a server that imports the app before forking."""

from __future__ import annotations

from framematrix.contestants.raw_core import Fetch, Response, upstream_failed
from framematrix.upstream.calls import UpstreamFailed, fetch_profile, new_client
from framematrix.upstream.settings import UpstreamSettings

SETTINGS = UpstreamSettings.from_env()
CLIENT = new_client(SETTINGS)


def answer(fetch: Fetch) -> Response:
    """Call the upstream once for the author and answer 200, or 502/504 (rules 25-29)."""
    try:
        return fetch.answer(fetch_profile(CLIENT, SETTINGS, fetch.author_id))
    except UpstreamFailed as failure:
        return upstream_failed(failure)
