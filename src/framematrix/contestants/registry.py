"""Every contestant, in one list: how to import it, which servers run it, what to report.

Adding a contestant is one new package under `contestants/` plus one entry here: everything the
rest of framematrix needs to know about a contestant is a field of its record.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Literal

from framematrix.errors import FramematrixError

Interface = Literal["wsgi", "asgi"]


@dataclass(frozen=True)
class RealtimeSpec:
    """How a contestant serves the realtime contract (RULES.md, "Real time"): its WebSocket
    application, which may differ from its HTTP one (Django's HTTP API stays WSGI)."""

    app: str
    interface: Interface
    broker: str
    """What carries readings between its worker processes."""
    summary: str
    """Its routes or consumers and its validation, in a few words."""
    packages: tuple[str, ...]
    """Distributions its WebSocket side adds to the contestant's own."""
    servers: tuple[str, ...] = ()
    """The servers its WebSockets run under, its default first; empty: every server of its
    interface that speaks WebSockets."""
    factory: bool = False
    extension: str | None = None
    """The package that adds WebSockets to the framework (Channels, Flask-Sock); None where the
    framework has them itself (the article's "WebSocket support was native")."""


@dataclass(frozen=True)
class ContestantSpec:
    name: str
    interface: Interface
    app: str
    """`module:attribute` of the application, or of a factory when `factory` is true."""
    packages: tuple[str, ...]
    """Distributions whose installed versions describe this contestant (and every run records)."""
    summary: str
    servers: tuple[str, ...] = ()
    """The servers it runs under, its default first; empty: every server of its interface, in
    the server catalog's order (`framematrix.servers.servers_for`)."""
    factory: bool = False
    baseline: str | None = None
    """The raw contestant that is its physical limit (None for the baselines themselves)."""
    secret_env: str | None = None
    """The environment variable its framework reads its signing key from; the launcher sets it
    to one random key per server, so all workers of that server share sessions."""
    flaws: frozenset[str] = frozenset()
    """Known departures from RULES.md, kept on purpose (the article's code as published):
    `n+1` (one query per post's author), `blocking-io` (sync database calls on the event loop),
    `extra-routes` (answers paths the contract calls unknown), `orm-cascade` (the framework
    deletes an author's posts itself, not the database's ON DELETE CASCADE)."""
    framework: str | None = None
    """Which of the article's frameworks it stands for (its figures sit beside this contestant's);
    None for the baselines and for frameworks the article does not compare."""
    as_published: bool = False
    """The article's own code, kept as published, rather than the framework's idiomatic way."""
    web_side: tuple[str, ...] = ()
    """Modules of its package that make the server-rendered web side (audit/WEB_CONTRACT.md):
    counted in its code size, but not in its API's. A name with a dot (`django.web_settings`)
    is a module of another contestant package that it imports."""
    beyond_blog: tuple[str, ...] = ()
    """Modules (dotted, under `framematrix.contestants`) of the contract's parts beyond the blog
    API (the upstream call, the image, the WebSocket side): counted in its code size, but not in
    the blog API's, the part the article's code compares."""
    password_hook: str | None = None
    """`module:function` that hashes a password as its login checks it (audit/WEB_CONTRACT.md);
    None for a contestant without the web side."""
    lacks: tuple[tuple[str, str], ...] = ()
    """Parts of the contract it does not implement, as (part, why) pairs: `upstream` (GET
    /authors/{id}/profile), `image` (GET /images/{name}), `work` (GET /work), `realtime` (the
    WebSocket part). The
    suite reports their checks as not applicable, and its trials there are marked as such,
    never skipped silently."""
    realtime: RealtimeSpec | None = None
    """Its WebSocket side; None when it lacks the realtime part (see `lacks`)."""
    sqlite_adapter: str | None = None
    """How an async stack reaches SQLite, which has no async driver: what a run on SQLite
    measures beside the framework itself, said beside the verdicts it touches. None for the
    synchronous stacks."""

    def versions(self) -> dict[str, str]:
        found = {}
        for package in self.packages + (self.realtime.packages if self.realtime else ()):
            try:
                found[package] = metadata.version(package)
            except metadata.PackageNotFoundError:
                found[package] = "not installed"
        return found


NO_WEBSOCKETS = "the article's code as published has no WebSocket part"
NOT_IN_THE_ARTICLE = "not in the article's code"
AS_PUBLISHED_LACKS = (
    ("upstream", NOT_IN_THE_ARTICLE),
    ("image", NOT_IN_THE_ARTICLE),
    ("work", NOT_IN_THE_ARTICLE),
    ("realtime", NO_WEBSOCKETS),
)
"""What the article's own code lacks: it has only the blog API."""
NINJA_NO_WEBSOCKETS = (
    "Django Ninja has no WebSocket side; a Django project adds Channels (the django contestant's)"
)
ASYNC_PUBSUB = "redis-py asyncio pub/sub, one subscription per worker"
AIOSQLITE = "aiosqlite: every statement is a hop to the connection's own thread and back"


def _here(target: str) -> str:
    """`module:attribute` under this package: `django.wsgi:application`."""
    return f"framematrix.contestants.{target}"


def _async_pubsub(app: str, summary: str) -> RealtimeSpec:
    """The WebSocket side of an ASGI contestant that fans readings out by redis-py's asyncio
    pub/sub on its own (FastAPI, Litestar, raw ASGI: `contestants/broadcast.py`)."""
    return RealtimeSpec(
        app=_here(app),
        interface="asgi",
        broker=ASYNC_PUBSUB,
        summary=summary,
        packages=("redis", "websockets"),
    )


CONTESTANTS: dict[str, ContestantSpec] = {
    spec.name: spec
    for spec in (
        ContestantSpec(
            name="django",
            interface="wsgi",
            app=_here("django.wsgi:application"),
            packages=("django", "djangorestframework", "psycopg"),
            summary="Django + Django REST framework (serializers, viewsets, router)",
            baseline="raw-wsgi",
            secret_env="DJANGO_SECRET_KEY",
            framework="django",
            web_side=("pages", "forms", "passwords", "csp", "web_settings"),
            beyond_blog=(
                "django.images",
                "django.work",
                "django.upstream",
                "django.consumers",
                "django.routing",
                "django.asgi",
            ),
            password_hook=_here("django.passwords:hash_password"),
            realtime=RealtimeSpec(
                app=_here("django.asgi:application"),
                interface="asgi",
                broker="channels-redis RedisChannelLayer (a group)",
                summary="Channels AsyncJsonWebsocketConsumer + DRF serializer",
                packages=("channels", "channels-redis", "uvicorn"),
                extension="channels",
            ),
        ),
        ContestantSpec(
            name="django-as-published",
            interface="wsgi",
            app=_here("django_as_published.wsgi:application"),
            packages=("django", "djangorestframework", "psycopg"),
            summary="The article's Django code: DefaultRouter's extra routes, Django-side cascade",
            baseline="raw-wsgi",
            secret_env="DJANGO_SECRET_KEY",
            flaws=frozenset({"extra-routes", "orm-cascade"}),
            framework="django",
            as_published=True,
            # The idiomatic project's settings and viewsets it imports bring these along.
            web_side=("django.web_settings",),
            beyond_blog=("django.upstream",),
            lacks=AS_PUBLISHED_LACKS,
        ),
        ContestantSpec(
            name="fastapi",
            interface="asgi",
            app=_here("fastapi.main:app"),
            packages=("fastapi", "pydantic", "sqlalchemy", "asyncpg", "aiosqlite"),
            summary="FastAPI + Pydantic 2 + SQLAlchemy 2 async sessions",
            baseline="raw-asgi",
            secret_env="FASTAPI_SECRET_KEY",
            framework="fastapi",
            web_side=("pages", "passwords", "security"),
            beyond_blog=(
                "fastapi.realtime",
                "fastapi.upstream",
                "fastapi.routers.images",
                "fastapi.routers.profiles",
                "fastapi.routers.work",
                "broadcast",
                "readings",
            ),
            password_hook=_here("fastapi.passwords:hash_password"),
            realtime=_async_pubsub(
                "fastapi.main:app", "APIRouter WebSocket routes + Pydantic model"
            ),
            sqlite_adapter=AIOSQLITE,
        ),
        ContestantSpec(
            name="fastapi-as-published",
            interface="asgi",
            app=_here("fastapi_as_published.main:app"),
            packages=("fastapi", "pydantic", "sqlalchemy", "psycopg"),
            summary="The article's FastAPI code: sync Session in async def (blocks the loop), N+1",
            baseline="raw-asgi",
            flaws=frozenset({"n+1", "blocking-io"}),
            framework="fastapi",
            as_published=True,
            lacks=AS_PUBLISHED_LACKS,
        ),
        ContestantSpec(
            name="flask",
            interface="wsgi",
            app=_here("flask.app:create_app"),
            factory=True,
            packages=("flask", "flask-sqlalchemy", "sqlalchemy", "marshmallow", "psycopg"),
            summary="Flask app factory + blueprint + Flask-SQLAlchemy",
            baseline="raw-wsgi",
            secret_env="FLASK_SECRET_KEY",
            framework="flask",
            web_side=("pages", "passwords", "security"),
            beyond_blog=(
                "flask.images",
                "flask.profiles",
                "flask.work",
                "flask.upstream",
                "flask.realtime",
                "flask.broadcast",
            ),
            password_hook=_here("flask.passwords:hash_password"),
            realtime=RealtimeSpec(
                app=_here("flask.app:create_app"),
                interface="wsgi",
                factory=True,
                servers=("gunicorn-gthread",),
                broker="redis-py pub/sub, one listener thread per worker",
                summary="Flask-Sock routes (a thread per socket) + marshmallow schema",
                packages=("flask-sock", "simple-websocket", "redis"),
                extension="flask-sock",
            ),
        ),
        ContestantSpec(
            name="flask-as-published",
            interface="wsgi",
            app=_here("flask_as_published.app:app"),
            packages=("flask", "flask-sqlalchemy", "sqlalchemy", "marshmallow", "psycopg"),
            summary="The article's Flask code: lazy relationship + to_dict() (N+1 on /posts)",
            baseline="raw-wsgi",
            flaws=frozenset({"n+1"}),
            framework="flask",
            as_published=True,
            lacks=AS_PUBLISHED_LACKS,
        ),
        ContestantSpec(
            name="litestar",
            interface="asgi",
            app=_here("litestar.app:app"),
            packages=(
                "litestar",
                "msgspec",
                "advanced-alchemy",
                "sqlalchemy",
                "asyncpg",
                "aiosqlite",
            ),
            summary="Litestar: controllers + msgspec Structs + SQLAlchemy plugin and DTOs",
            baseline="raw-asgi",
            beyond_blog=(
                "litestar.upstream",
                "litestar.profiles",
                "litestar.images",
                "litestar.work",
                "litestar.realtime",
                "broadcast",
                "readings",
            ),
            realtime=_async_pubsub(
                "litestar.app:app", "Litestar @websocket handlers + msgspec Struct"
            ),
            sqlite_adapter=AIOSQLITE,
        ),
        ContestantSpec(
            name="django-ninja",
            interface="asgi",
            app=_here("django_ninja.asgi:application"),
            packages=("django", "django-ninja", "pydantic", "psycopg", "psycopg-pool"),
            summary="Django Ninja, async: NinjaAPI + routers + Schemas on Django's async ORM",
            baseline="raw-asgi",
            secret_env="DJANGO_SECRET_KEY",
            web_side=("django.web_settings",),
            beyond_blog=("django_ninja.upstream", "django_ninja.images", "django_ninja.work"),
            lacks=(("realtime", NINJA_NO_WEBSOCKETS),),
            sqlite_adapter=(
                "Django's async ORM runs each query in a thread (sync_to_async) and opens a "
                "SQLite connection per request"
            ),
        ),
        ContestantSpec(
            name="django-ninja-sync",
            interface="wsgi",
            app=_here("django_ninja_sync.wsgi:application"),
            packages=("django", "django-ninja", "pydantic", "psycopg"),
            summary="Django Ninja, sync: the same API with def operations, over WSGI",
            baseline="raw-wsgi",
            secret_env="DJANGO_SECRET_KEY",
            web_side=("django.web_settings",),
            beyond_blog=(
                "django_ninja_sync.upstream",
                "django_ninja_sync.images",
                "django_ninja_sync.work",
            ),
            lacks=(("realtime", NINJA_NO_WEBSOCKETS),),
        ),
        ContestantSpec(
            name="raw-wsgi",
            interface="wsgi",
            app=_here("raw_wsgi.app:application"),
            packages=("psycopg",),
            summary="Baseline: a bare WSGI callable over sqlite3 / psycopg",
            beyond_blog=("raw_wsgi.upstream", "raw_core.workloads", "raw_core.work"),
            lacks=(("realtime", "WSGI has no WebSocket interface; raw-asgi is the floor there"),),
        ),
        ContestantSpec(
            name="raw-asgi",
            interface="asgi",
            app=_here("raw_asgi.app:application"),
            packages=("asyncpg", "aiosqlite", "pydantic-core"),
            summary="Baseline: a bare ASGI callable over aiosqlite / asyncpg",
            beyond_blog=(
                "raw_asgi.upstream",
                "raw_asgi.realtime",
                "raw_core.workloads",
                "raw_core.work",
                "broadcast",
            ),
            realtime=_async_pubsub(
                "raw_asgi.app:application",
                "the ASGI websocket protocol by hand, hand-written checks",
            ),
            sqlite_adapter=AIOSQLITE,
        ),
    )
}


def get(name: str) -> ContestantSpec:
    try:
        return CONTESTANTS[name]
    except KeyError:
        known = ", ".join(CONTESTANTS)
        raise FramematrixError(f"unknown contestant {name!r}; known: {known}") from None


def realtime(name: str) -> RealtimeSpec:
    """The contestant's WebSocket side, or one clear line saying why it has none."""
    spec = get(name)
    if spec.realtime is None:
        why = dict(spec.lacks).get("realtime", "it has no WebSocket side")
        raise FramematrixError(f"{name} does not implement the realtime contract: {why}")
    return spec.realtime


DEFAULT_CONTESTANTS = ("django", "fastapi", "flask", "raw-wsgi", "raw-asgi")
"""What `bench` and `matrix` compare unless told otherwise."""
ARTICLE_FRAMEWORKS = tuple(
    spec.name for spec in CONTESTANTS.values() if spec.framework == spec.name
)
"""The idiomatic contestant of each framework the article compares: django, fastapi, flask."""


def article_framework(name: str) -> str | None:
    """Which of the article's frameworks a contestant (or a `--url` target: none) stands for."""
    spec = CONTESTANTS.get(name)
    return spec.framework if spec else None


def beyond_article(name: str) -> bool:
    """A framework contestant the article does not compare (Litestar, Django Ninja): not one of
    its frameworks, not a baseline. The report shows its rows as "beyond the article"."""
    spec = CONTESTANTS.get(name)
    return spec is not None and spec.framework is None and spec.baseline is not None
