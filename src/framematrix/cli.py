"""The `framematrix` command: one Typer app, each command a thin shell over a package."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from framematrix import __version__
from framematrix.errors import FramematrixError

app = typer.Typer(
    help="Django vs FastAPI vs Flask, re-measured on your machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create and seed the neutral database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console()
errors = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL: sqlite:///FILE or postgresql://HOST/NAME."),
]


def friendly(command: F) -> F:
    """Turn a FramematrixError into one red line and its exit code; never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FramematrixError as exc:
            errors.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def default_db_url() -> str:
    """The embedded default: a SQLite file in the current folder."""
    from pathlib import Path

    return f"sqlite:///{Path('framematrix.db').resolve()}"


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"framematrix {__version__}")
        raise typer.Exit()


@app.command()
@friendly
def contestants(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the contestants, the servers each runs under, and the versions installed."""
    from framematrix.contestants.registry import CONTESTANTS

    rows = [
        {
            "name": spec.name,
            "interface": spec.interface,
            "summary": spec.summary,
            "servers": list(spec.servers),
            "default_server": spec.servers[0],
            "baseline": spec.baseline,
            "versions": spec.versions(),
        }
        for spec in CONTESTANTS.values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Contestants")
    for column in ("name", "interface", "servers (default first)", "versions", "what"):
        table.add_column(column)
    for row in rows:
        versions = ", ".join(f"{k} {v}" for k, v in row["versions"].items())  # type: ignore[union-attr]
        table.add_row(row["name"], row["interface"].upper(), ", ".join(row["servers"]), versions,
                      row["summary"])  # fmt: skip
    console.print(table)


@db_app.command("init")
@friendly
def db_init(
    db: DbOption = None,
    authors: Annotated[int, typer.Option(min=1, help="Authors to seed.")] = 1000,
    posts: Annotated[int, typer.Option(min=0, help="Posts to seed.")] = 10_000,
    reset: Annotated[bool, typer.Option("--reset", help="Drop and recreate the tables.")] = False,
) -> None:
    """Create the neutral schema and seed it deterministically (idempotent)."""
    from framematrix.db.init import check, init
    from framematrix.db.seed import SeedSize
    from framematrix.db.url import DatabaseURL

    url = DatabaseURL.parse(db or default_db_url())
    version = check(url)
    state = init(url, SeedSize(authors=authors, posts=posts), reset=reset)
    action = "created" if state.created else "found"
    seeded = "seeded" if state.seeded else "left as it was"
    console.print(
        f"{version} at {url.redacted()}: schema {action}, data {seeded} "
        f"({state.authors:,} authors, {state.posts:,} posts)"
    )


@app.command()
@friendly
def serve(
    contestant: Annotated[str, typer.Argument(help="Contestant name (see `contestants`).")],
    server: Annotated[str | None, typer.Option(help="Server; default: the contestant's.")] = None,
    workers: Annotated[int, typer.Option(min=0, help="Workers; 0 = one per core.")] = 0,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    init_db: Annotated[
        bool, typer.Option("--init-db/--no-init-db", help="Create and seed the database if needed.")
    ] = True,
) -> None:
    """Run a contestant under its production server until Ctrl-C."""
    from framematrix.db.init import check, init
    from framematrix.db.seed import SeedSize
    from framematrix.db.url import DatabaseURL
    from framematrix.servers import RunningServer, ServerConfig, resolve

    _, server_name = resolve(contestant, server)
    url = DatabaseURL.parse(db or default_db_url())
    check(url)
    if init_db:
        init(url, SeedSize())
    config = ServerConfig(contestant, server_name, url.url, host=host, port=port, workers=workers)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with RunningServer(config) as running:
        console.print(
            f"{contestant} under {server_name} ({config.worker_count} workers) on "
            f"{url.redacted()}\n{config.url}",
            highlight=False,
        )
        while not stop.wait(0.5):
            if not running.alive():
                raise FramematrixError(f"the server exited: {running.log_tail()}")
    console.print("stopped", style="dim")
