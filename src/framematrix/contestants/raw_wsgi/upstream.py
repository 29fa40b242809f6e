"""The WSGI baseline's upstream client: one per worker process, shared by its threads."""

from __future__ import annotations

from framematrix.contestants.raw_core import Fetch, Response, upstream_failed
from framematrix.contestants.raw_core.work import Calls
from framematrix.upstream.calls import UpstreamClient, UpstreamFailed
from framematrix.upstream.settings import UpstreamSettings

CLIENT = UpstreamClient(UpstreamSettings.from_env())
"""httpx's Client opens connections on first use, so making it at import is safe even under a
server that imports the app before it forks."""


def answer(fetch: Fetch) -> Response:
    """Call the upstream once for the author and answer 200, or 502/504 (rules 25-29)."""
    try:
        return fetch.answer(CLIENT.fetch_profile(fetch.author_id))
    except UpstreamFailed as failure:
        return upstream_failed(failure)


def calls(need: Calls) -> Response | None:
    """`GET /work`'s calls, one after the other as a thread does them; a failure's answer."""
    try:
        for _ in range(need.count):
            CLIENT.fetch_profile(need.author_id)
    except UpstreamFailed as failure:
        return upstream_failed(failure)
    return None
