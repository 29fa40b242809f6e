"""The upstream client as a Flask extension would keep it: one per app (so per worker process),
created in the factory, stored in `app.extensions`, shared by the worker's threads (it wraps
httpx's Client, which is thread-safe)."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app

from framematrix.upstream.calls import UpstreamClient, UpstreamFailed
from framematrix.upstream.settings import UpstreamSettings

EXTENSION = "framematrix_upstream"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = UpstreamClient(UpstreamSettings.from_env())


def profile(author_id: int) -> dict[str, Any]:
    """The upstream's object for the author; 502 or 504 when it fails (rules 25-29)."""
    client: UpstreamClient = current_app.extensions[EXTENSION]
    try:
        return client.fetch_profile(author_id)
    except UpstreamFailed as failure:
        abort(failure.status, failure.detail)
