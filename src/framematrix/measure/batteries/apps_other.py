"""The minimal FastAPI, Flask and Litestar apps: thirty items at `/items/`, written the way each
framework's first tutorial page writes a handler, and nothing else."""

from __future__ import annotations

from typing import Any

from framematrix.measure.batteries.framework import Framework
from framematrix.measure.batteries.probes import COUNT
from framematrix.measure.testclient.setups import ADAPTERS, Send

ITEMS = [{"id": i, "name": f"item-{i:02}"} for i in range(1, COUNT + 1)]


def fastapi(_: str | None) -> Send:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/items/")
    def items() -> list[dict[str, Any]]:
        return ITEMS

    return ADAPTERS["fastapi"](TestClient(app))


def flask(_: str | None) -> Send:
    from flask import Flask

    app = Flask(__name__)

    @app.get("/items/")
    def items() -> Any:
        return ITEMS

    return ADAPTERS["flask"](app.test_client())


def litestar(_: str | None) -> Send:
    from litestar import Litestar, get
    from litestar.testing import TestClient

    @get("/items/", sync_to_thread=False)
    def items() -> list[dict[str, Any]]:
        return ITEMS

    return ADAPTERS["litestar"](TestClient(Litestar([items])).__enter__())


NO_USERS = "no user store: the app's own code (or an extension) checks credentials"
FRAMEWORKS = (
    Framework(
        "fastapi",
        "fastapi",
        fastapi,
        {"test client": ("client = TestClient(app)",)},
        {
            "crud": "a handler per operation",
            "pagination": "fastapi-pagination, or limit/offset parameters by hand",
            "filtering": "query parameters by hand",
            "permissions": "fastapi.security reads credentials; rules are the app's dependencies",
            "admin": "sqladmin, fastapi-admin",
            "authentication": NO_USERS,
        },
        {"test client": ("httpx",)},
    ),
    Framework(
        "flask",
        "flask",
        flask,
        {"test client": ("client = app.test_client()",)},
        {
            "openapi": "flask-smorest, apiflask, flasgger",
            "docs": "flask-smorest, apiflask, flasgger",
            "crud": "a view per operation",
            "pagination": "Flask-SQLAlchemy's paginate(), or by hand",
            "filtering": "request.args by hand",
            "permissions": "Flask-Login, Flask-Principal",
            "admin": "Flask-Admin",
            "authentication": "Flask-Login: " + NO_USERS,
        },
    ),
    Framework(
        "litestar",
        "litestar",
        litestar,
        {"test client": ("client = TestClient(app)",)},
        {
            "crud": "a handler per operation (or advanced-alchemy's repositories)",
            "pagination": "litestar.pagination types; the handler writes the slice",
            "filtering": "query parameters by hand (or advanced-alchemy's filters)",
            "permissions": "guards: functions the app writes",
            "admin": "sqladmin, starlette-admin",
            "authentication": "litestar.security: the app writes the user lookup; " + NO_USERS,
        },
    ),
)
