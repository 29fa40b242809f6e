"""The upstream client: one per worker process, built at import from `settings.UPSTREAM` and
shared by the worker's threads (httpx's Client is thread-safe), as the `django` contestant's;
its failures as Ninja `HttpError`s."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja.errors import HttpError

from framematrix.upstream.calls import UpstreamClient, UpstreamFailed

client = UpstreamClient(settings.UPSTREAM)


def profile(author_id: int) -> dict[str, Any]:
    """The upstream's object for the author; 502 or 504 when it fails (rules 25-29)."""
    try:
        return client.fetch_profile(author_id)
    except UpstreamFailed as failure:
        raise HttpError(failure.status, failure.detail) from None
