"""Every contestant, in one list: how to import it, which servers run it, what to report.

Adding a contestant is one new package under `contestants/` plus one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Literal

from framematrix.errors import FramematrixError

Interface = Literal["wsgi", "asgi"]


@dataclass(frozen=True)
class ContestantSpec:
    name: str
    interface: Interface
    app: str
    """`module:attribute` of the application, or of a factory when `factory` is true."""
    servers: tuple[str, ...]
    """The servers it runs under; the first is its default."""
    packages: tuple[str, ...]
    """Distributions whose installed versions describe this contestant."""
    summary: str
    factory: bool = False
    baseline: str | None = None
    """The raw contestant that is its physical limit (None for the baselines themselves)."""
    secret_env: str | None = None
    """The environment variable its framework reads its signing key from; the launcher sets it
    to one random key per server, so all workers of that server share sessions."""
    flaws: frozenset[str] = frozenset()
    """Known departures from RULES.md, kept on purpose (the article's code as published):
    `n+1` (one query per post's author), `blocking-io` (sync database calls on the event loop)."""
    lacks: tuple[tuple[str, str], ...] = ()
    """Parts of the contract it does not implement, as (part, why) pairs: `upstream` (GET
    /authors/{id}/profile) or `image` (GET /images/{name}). The suite reports their checks as
    not applicable, and so are its trials of a scenario that needs a part it lacks."""

    def versions(self) -> dict[str, str]:
        found = {}
        for package in self.packages:
            try:
                found[package] = metadata.version(package)
            except metadata.PackageNotFoundError:
                found[package] = "not installed"
        return found


WSGI_SERVERS = ("gunicorn-gthread", "gunicorn-sync", "granian")
ASGI_SERVERS = ("uvicorn", "gunicorn-uvicorn", "granian")

CONTESTANTS: dict[str, ContestantSpec] = {
    spec.name: spec
    for spec in (
        ContestantSpec(
            name="django",
            interface="wsgi",
            app="framematrix.contestants.django.wsgi:application",
            servers=WSGI_SERVERS,
            packages=("django", "djangorestframework", "psycopg"),
            summary="Django + Django REST framework (serializers, viewsets, router)",
            baseline="raw-wsgi",
            secret_env="DJANGO_SECRET_KEY",
        ),
        ContestantSpec(
            name="fastapi",
            interface="asgi",
            app="framematrix.contestants.fastapi.main:app",
            servers=ASGI_SERVERS,
            packages=("fastapi", "pydantic", "sqlalchemy", "asyncpg", "aiosqlite"),
            summary="FastAPI + Pydantic 2 + SQLAlchemy 2 async sessions",
            baseline="raw-asgi",
            secret_env="FASTAPI_SECRET_KEY",
        ),
        ContestantSpec(
            name="fastapi-as-published",
            interface="asgi",
            app="framematrix.contestants.fastapi_as_published.main:app",
            servers=ASGI_SERVERS,
            packages=("fastapi", "pydantic", "sqlalchemy", "psycopg"),
            summary="The article's FastAPI code: sync Session in async def (blocks the loop), N+1",
            baseline="raw-asgi",
            flaws=frozenset({"n+1", "blocking-io"}),
            lacks=(
                ("upstream", "not in the article's code"),
                ("image", "not in the article's code"),
            ),
        ),
        ContestantSpec(
            name="flask",
            interface="wsgi",
            app="framematrix.contestants.flask.app:create_app",
            factory=True,
            servers=WSGI_SERVERS,
            packages=("flask", "flask-sqlalchemy", "sqlalchemy", "marshmallow", "psycopg"),
            summary="Flask app factory + blueprint + Flask-SQLAlchemy",
            baseline="raw-wsgi",
            secret_env="FLASK_SECRET_KEY",
        ),
        ContestantSpec(
            name="flask-as-published",
            interface="wsgi",
            app="framematrix.contestants.flask_as_published.app:app",
            servers=WSGI_SERVERS,
            packages=("flask", "flask-sqlalchemy", "sqlalchemy", "marshmallow", "psycopg"),
            summary="The article's Flask code: lazy relationship + to_dict() (N+1 on /posts)",
            baseline="raw-wsgi",
            flaws=frozenset({"n+1"}),
            lacks=(
                ("upstream", "not in the article's code"),
                ("image", "not in the article's code"),
            ),
        ),
        ContestantSpec(
            name="raw-wsgi",
            interface="wsgi",
            app="framematrix.contestants.raw_wsgi.app:application",
            servers=WSGI_SERVERS,
            packages=("psycopg",),
            summary="Baseline: a bare WSGI callable over sqlite3 / psycopg",
        ),
        ContestantSpec(
            name="raw-asgi",
            interface="asgi",
            app="framematrix.contestants.raw_asgi.app:application",
            servers=ASGI_SERVERS,
            packages=("asyncpg", "aiosqlite"),
            summary="Baseline: a bare ASGI callable over aiosqlite / asyncpg",
        ),
    )
}


def get(name: str) -> ContestantSpec:
    try:
        return CONTESTANTS[name]
    except KeyError:
        known = ", ".join(CONTESTANTS)
        raise FramematrixError(f"unknown contestant {name!r}; known: {known}") from None


DEFAULT_CONTESTANTS = ("django", "fastapi", "flask", "raw-wsgi", "raw-asgi")
"""What `bench` and `matrix` compare unless told otherwise."""
