"""Each framework's own test client for its contestant, set up the way its documentation
teaches a test to, and the one adapter that hands its answers to the contract's checks.

A setup function holds exactly what a test writer types to get a working client for the app
(its body's source lines are the "lines of test setup"); `send` is framematrix's translation of
that client's response into the contract client's `Response`, the same few lines for every
framework, and is not counted. Setups run in a fresh interpreter (`python -m
framematrix.measure.testclient`): Django's settings are process-wide.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from framematrix.contract.client import Client, Response

READ_CHECKS = ("health", "list_authors", "bad_paging", "bad_ids", "list_posts", "filter_posts")
"""The contract's checks of reading (each makes the rows it reads through the API)."""

Sent = tuple[int, tuple[tuple[str, str], ...], bytes]
"""Status, headers, body."""
Send = Callable[[str, str, Mapping[str, str], bytes | None], Sent]
"""(method, path, headers, body) -> the answer."""


class InProcess(Client):
    """The contract's client, its requests handed to a framework's test client, not a socket."""

    def __init__(self, send: Send) -> None:
        super().__init__("http://testserver")
        self.send = send

    def _send(
        self, method: str, path: str, headers: dict[str, str], data: bytes | None
    ) -> Response:
        status, answered, body = self.send(method, path, headers, data)
        return Response(method, path, status, answered, body)


def django() -> Any:
    import django
    from django.test import Client
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    return Client(raise_request_exception=False)


def fastapi() -> Any:
    from fastapi.testclient import TestClient

    from framematrix.contestants.fastapi.main import app

    return TestClient(app, raise_server_exceptions=False).__enter__()


def flask() -> Any:
    from framematrix.contestants.flask.app import create_app

    app = create_app()
    app.config["TESTING"] = True
    return app.test_client()


def litestar() -> Any:
    from litestar.testing import TestClient

    from framematrix.contestants.litestar.app import app

    return TestClient(app, raise_server_exceptions=False).__enter__()


def django_ninja() -> Any:
    import django

    django.setup()
    from ninja.testing import TestAsyncClient

    from framematrix.contestants.django_ninja.urls import ninja

    return TestAsyncClient(ninja)


SETUPS: dict[str, tuple[str, Callable[[], Any], dict[str, str]]] = {
    "django": (
        "django.test.Client",
        django,
        {"DJANGO_SETTINGS_MODULE": "framematrix.contestants.django.settings"},
    ),
    "fastapi": ("fastapi.testclient.TestClient", fastapi, {}),
    "flask": ("Flask.test_client", flask, {}),
    "litestar": ("litestar.testing.TestClient", litestar, {}),
    "django-ninja": (
        "ninja.testing.TestAsyncClient",
        django_ninja,
        {"DJANGO_SETTINGS_MODULE": "framematrix.contestants.django_ninja.settings"},
    ),
}
"""Contestant -> (its framework's test client, its setup, the environment a test run sets)."""


def _httpx(client: Any) -> Send:
    def send(method: str, path: str, headers: Mapping[str, str], body: bytes | None) -> Sent:
        r = client.request(method, path, headers=dict(headers), content=body)
        return r.status_code, tuple(r.headers.multi_items()), r.content

    return send


def _django(client: Any) -> Send:
    def send(method: str, path: str, headers: Mapping[str, str], body: bytes | None) -> Sent:
        kind = headers.get("Content-Type", "application/octet-stream")
        r = client.generic(method, path, body or b"", content_type=kind, headers=dict(headers))
        return r.status_code, tuple(r.items()), r.content

    return send


def _flask(client: Any) -> Send:
    def send(method: str, path: str, headers: Mapping[str, str], body: bytes | None) -> Sent:
        r = client.open(path, method=method, headers=dict(headers), data=body)
        return r.status_code, tuple(r.headers.items()), r.data

    return send


def _ninja(client: Any) -> Send:
    loop = asyncio.new_event_loop()

    def send(method: str, path: str, headers: Mapping[str, str], body: bytes | None) -> Sent:
        call = client.request(method, path, body=body or b"", headers=dict(headers))
        r = loop.run_until_complete(call)
        return r.status_code, tuple(r.headers.items()), r.content

    return send


ADAPTERS: dict[str, Callable[[Any], Send]] = {
    "django": _django,
    "fastapi": _httpx,
    "flask": _flask,
    "litestar": _httpx,
    "django-ninja": _ninja,
}
