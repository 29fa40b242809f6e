"""Which database a command measures on (`--db` as given), and that database while it runs.

- nothing, or `embedded`: the embedded PostgreSQL (`db.embedded`), started for the command and
  stopped with it; the default of every command that measures or serves;
- `sqlite`: the embedded SQLite, in a file of the command's (a run's own folder for `bench`,
  `./framematrix.db` for `serve`, `verify` and `audit`);
- `sqlite:///FILE` or `postgresql://USER@HOST/NAME`: that database, as given.

A run stores the choice, not an address: `embedded` is started again by `--resume`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framematrix.db.init import check, create_if_missing, init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL

EMBEDDED = "embedded"
SQLITE = "sqlite"


def parse(text: str | None) -> str:
    """`--db` checked and named: `embedded`, `sqlite`, or a database URL (one clear line for a
    bad one)."""
    given = (text or "").strip()
    if given in ("", EMBEDDED):
        return EMBEDDED
    if given == SQLITE:
        return SQLITE
    return DatabaseURL.parse(given).url


def kind(choice: str) -> str:
    """`postgresql` or `sqlite`: what the choice measures on."""
    if choice == EMBEDDED:
        return "postgresql"
    if choice == SQLITE:
        return "sqlite"
    return DatabaseURL.parse(choice).kind


def described(choice: str) -> str:
    """How a plan shows it: the embedded ones by name, a URL without its password."""
    return choice if choice in (EMBEDDED, SQLITE) else DatabaseURL.parse(choice).redacted()


@dataclass(frozen=True)
class Opened:
    """A database ready for the command: its URL and what run.json says of its server."""

    url: DatabaseURL
    server: dict[str, Any] = field(default_factory=dict)
    """`{"server", "version", "embedded"}` for the embedded PostgreSQL; empty: read it from the
    server (`db.init.check`)."""


@contextmanager
def opened(
    choice: str, *, sqlite_file: Path, cpus: tuple[int, ...] | None = None
) -> Iterator[Opened]:
    """The chosen database for as long as the command needs it; the embedded PostgreSQL runs
    for that long (`cpus`: the cores it is pinned to) and is stopped on the way out, whatever
    the way out."""
    if choice == EMBEDDED:
        from framematrix.db.embedded import EmbeddedPostgres

        server = EmbeddedPostgres(cpus=cpus)
        with server as url:
            yield Opened(url, server.record())
        return
    if choice == SQLITE:
        yield Opened(DatabaseURL(f"sqlite:///{sqlite_file.resolve()}"))
        return
    yield Opened(DatabaseURL.parse(choice))


@contextmanager
def seeded(given: str | None, *, sqlite_file: Path, size: SeedSize) -> Iterator[Opened]:
    """The chosen database (`--db` as given), created if its server lacks it, checked and seeded
    with the neutral schema: what `verify`, `audit` and `serve` run contestants on."""
    with opened(parse(given), sqlite_file=sqlite_file) as database:
        create_if_missing(database.url)
        check(database.url)
        init(database.url, size)
        yield database
