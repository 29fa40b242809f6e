"""Every contestant, in one list: how to import it, which servers run it, what to report.

Adding a contestant is one new package under `contestants/` plus one table in contestants.toml:
everything the rest of framematrix needs to know about a contestant is a field of its record.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import metadata, resources
from typing import Any, Literal

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

    serializer: str | None = None
    """Whose code turns its posts into JSON: its framework's own serialiser, as its `/work`
    endpoint and list views use it; None for the article's code as published."""

    def versions(self) -> dict[str, str]:
        found = {}
        for package in self.packages + (self.realtime.packages if self.realtime else ()):
            try:
                found[package] = metadata.version(package)
            except metadata.PackageNotFoundError:
                found[package] = "not installed"
        return found


def _fields(table: dict[str, Any]) -> dict[str, Any]:
    """A TOML table's values as a record's: its lists as tuples."""
    return {key: tuple(v) if isinstance(v, list) else v for key, v in table.items()}


def parse(text: str) -> dict[str, ContestantSpec]:
    """The contestants of a TOML text laid out as contestants.toml, one table each."""
    specs = {}
    for name, table in tomllib.loads(text).items():
        realtime = table.pop("realtime", None)
        specs[name] = ContestantSpec(
            name=name,
            flaws=frozenset(table.pop("flaws", ())),
            lacks=tuple(table.pop("lacks", {}).items()),
            realtime=RealtimeSpec(**_fields(realtime)) if realtime else None,
            **_fields(table),
        )
    return specs


CONTESTANTS: dict[str, ContestantSpec] = parse(
    resources.files(__package__).joinpath("contestants.toml").read_text(encoding="utf-8")
)


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
