"""Commands about the contestants themselves: list them, run one, prove the contract, seed a
database."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from framematrix.cli.common import (
    BrokerOption,
    DbOption,
    JsonOption,
    UpstreamTimeoutOption,
    default_db_url,
    friendly,
)
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.output import console, errors, print_json

PANEL = "Contestants"


def contestants(as_json: JsonOption = False) -> None:
    """List the contestants, the servers each runs under, and the versions installed."""
    from framematrix.contestants.registry import CONTESTANTS
    from framematrix.servers import servers_for

    rows: list[dict[str, Any]] = [
        {
            "name": spec.name,
            "interface": spec.interface,
            "summary": spec.summary,
            "servers": list(servers_for(spec)),
            "default_server": servers_for(spec)[0],
            "baseline": spec.baseline,
            "versions": spec.versions(),
            "realtime": asdict(spec.realtime) if spec.realtime else None,
            "lacks": dict(spec.lacks),
        }
        for spec in CONTESTANTS.values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Contestants")
    for column in ("name", "interface", "servers (default first)", "versions", "what", "lacks"):
        table.add_column(column)
    for row in rows:
        versions = ", ".join(f"{k} {v}" for k, v in row["versions"].items())
        lacks = "; ".join(f"{part}: {why}" for part, why in row["lacks"].items()) or "—"
        table.add_row(row["name"], row["interface"].upper(), ", ".join(row["servers"]), versions,
                      row["summary"], lacks)  # fmt: skip
    console.print(table)


def db_init(
    db: DbOption = None,
    authors: Annotated[int, typer.Option(min=1, help="Authors to seed.")] = 1000,
    posts: Annotated[int, typer.Option(min=0, help="Posts to seed.")] = 10_000,
    reset: Annotated[bool, typer.Option("--reset", help="Drop and recreate the tables.")] = False,
) -> None:
    """Create the neutral schema and seed it deterministically (idempotent)."""
    from framematrix.db.init import check, create_if_missing, init
    from framematrix.db.seed import SeedSize

    url = DatabaseURL.parse(db or default_db_url())
    if create_if_missing(url):
        console.print(f"created database {url.redacted()}", highlight=False, soft_wrap=True)
    version = check(url)
    state = init(url, SeedSize(authors=authors, posts=posts), reset=reset)
    action = "created" if state.created else "found"
    seeded = "seeded" if state.seeded else "left as it was"
    console.print(
        f"{version} at {url.redacted()}: schema {action}, data {seeded} "
        f"({state.authors:,} authors, {state.posts:,} posts)",
        soft_wrap=True,
    )


def verify(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[CONTESTANT]...", help="Default: all.")
    ] = None,
    server: Annotated[
        str | None, typer.Option(help="Only this server; default: every server of each.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="embedded (the default: the embedded PostgreSQL), sqlite (a temporary file), "
            "sqlite:///FILE or postgresql://HOST/NAME.",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Check a server that is already running.")
    ] = None,
    workers: Annotated[int, typer.Option(min=0, help="Workers per server; 0 = one per core.")] = 1,
    ledger: Annotated[
        bool,
        typer.Option(
            "--ledger",
            help="Instead of the suite: the database work per request of each contestant "
            "(round trips, statements, transactions), and any difference FAIRNESS.md does "
            "not name.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Prove each contestant implements the contract: run the suite over real HTTP."""
    from framematrix.measure import verify as contract

    if ledger:
        if url is not None or server is not None:
            raise FramematrixError("--ledger starts each contestant under its default server")
        _ledger(names or [], db, as_json)
        return
    if url is not None:
        if names or server or db:
            raise FramematrixError("--url checks a running server: no contestant, --server, --db")
        verdicts = [contract.verify_url(url)]
    else:
        plan = contract.plan(names or [], server)
        verdicts = []
        with contract.database(db) as database:
            for name, server_name in plan:
                if not as_json:
                    errors.print(f"verifying {name} under {server_name}", style="dim")
                verdicts.append(contract.verify_contestant(name, server_name, database, workers))
    if as_json:
        print_json([verdict.record() for verdict in verdicts])
    else:
        _print_verdicts(verdicts)
    if not all(verdict.passed for verdict in verdicts):
        raise typer.Exit(1)


def _ledger(names: list[str], db: str | None, as_json: bool) -> None:
    """`verify --ledger`: measure, print, and exit 1 on a difference FAIRNESS.md does not name."""
    from framematrix.contestants.registry import CONTESTANTS, get
    from framematrix.measure import allowances
    from framematrix.measure import ledger as db_work
    from framematrix.measure import verify as contract
    from framematrix.report import ledger_view

    chosen = [get(name).name for name in names] or list(CONTESTANTS)
    with contract.database(db) as database:
        errors.print(f"measuring the database work of {', '.join(chosen)}", style="dim")
        measured = db_work.measure(chosen, database)
    unexplained = allowances.unexplained(measured, allowances.load())
    if as_json:
        print_json({**measured.record(), "unexplained": [str(d) for d in unexplained]})
    else:
        console.print(ledger_view.table(measured))
        for difference in unexplained:
            console.print(f"[red]not named in FAIRNESS.md:[/] {escape(str(difference))}")
    if unexplained:
        raise typer.Exit(1)


def _print_verdicts(verdicts: list[Any]) -> None:
    table = Table(title="Contract")
    for column in ("contestant", "server", "checks passed", "result"):
        table.add_column(column)
    for verdict in verdicts:
        applicable = len(verdict.results) - len(verdict.not_applicable)
        score = f"{applicable - len(verdict.failures)}/{applicable}"
        if verdict.not_applicable:
            score += f" (+{len(verdict.not_applicable)} n/a)"
        result = "[green]pass[/]" if verdict.passed else "[red]FAIL[/]"
        table.add_row(verdict.contestant, verdict.server or "-", score, result)
    console.print(table)
    for verdict in verdicts:
        where = verdict.contestant + (f" under {verdict.server}" if verdict.server else "")
        for failure in verdict.failures:
            line = escape(f"{where}: {failure.name}: {failure.detail}")
            console.print(f"[red]FAIL[/] {line}", highlight=False, soft_wrap=True)


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
    upstream: Annotated[
        str | None,
        typer.Option(help="The service GET /authors/{id}/profile calls (http://HOST:PORT)."),
    ] = None,
    upstream_timeout: UpstreamTimeoutOption = 2.0,
    realtime: Annotated[
        bool, typer.Option("--realtime", help="Serve the contestant's WebSocket side.")
    ] = False,
    broker: BrokerOption = None,
) -> None:
    """Run a contestant under its production server until Ctrl-C."""
    from framematrix.db import broker as brokers
    from framematrix.servers import RunningServer, ServerConfig, resolve
    from framematrix.upstream.settings import UpstreamSettings

    _, server_name = resolve(contestant, server, realtime=realtime)
    env = UpstreamSettings((upstream or "").rstrip("/"), upstream_timeout).env()
    if broker:
        env[brokers.URL_ENV] = brokers.parse(broker)
    if realtime:
        brokers.check(broker or brokers.url())
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with _serve_database(db, init_db) as url:
        config = ServerConfig(contestant, server_name, url.url, host=host, port=port,
                              workers=workers, env=env, realtime=realtime)  # fmt: skip
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


@contextmanager
def _serve_database(given: str | None, init_db: bool) -> Iterator[DatabaseURL]:
    """`serve`'s database: the embedded PostgreSQL by default (running as long as the server
    does), `sqlite` for ./framematrix.db, or the URL given; created and seeded unless told not
    to (then only checked)."""
    from framematrix.db import choice
    from framematrix.db.init import check
    from framematrix.db.seed import SeedSize

    sqlite_file = Path("framematrix.db")
    if init_db:
        with choice.seeded(given, sqlite_file=sqlite_file, size=SeedSize()) as database:
            yield database.url
        return
    with choice.opened(choice.parse(given), sqlite_file=sqlite_file) as database:
        check(database.url)
        yield database.url


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Create and seed the neutral database.", no_args_is_help=True)
    db_app.command("init")(friendly(db_init))
    app.add_typer(db_app, name="db", rich_help_panel=PANEL)
    for command in (contestants, verify, serve):
        app.command(rich_help_panel=PANEL)(friendly(command))
