"""The upstream client as a Flask extension would keep it: one pooled `httpx.Client` per app
(so per worker process), created in the factory, stored in `app.extensions`, shared by the
worker's threads (httpx's Client is thread-safe)."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app

from framematrix.upstream.calls import UpstreamFailed, fetch_profile, new_client
from framematrix.upstream.settings import UpstreamSettings

EXTENSION = "framematrix_upstream"


def init_app(app: Flask) -> None:
    settings = UpstreamSettings.from_env()
    app.extensions[EXTENSION] = (new_client(settings), settings)


def profile(author_id: int) -> dict[str, Any]:
    """The upstream's object for the author; 502 or 504 when it fails (rules 25-29)."""
    client, settings = current_app.extensions[EXTENSION]
    try:
        return fetch_profile(client, settings, author_id)
    except UpstreamFailed as failure:
        abort(failure.status, failure.detail)
