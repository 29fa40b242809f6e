"""The `framematrix` command: one Typer app, each command a thin shell over a package."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from framematrix import __version__
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError

app = typer.Typer(
    help="Django vs FastAPI vs Flask, re-measured on your machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create and seed the neutral database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# Piped output is not squeezed to 80 columns: tables stay one row per line for logs and CI.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
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
def verify(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[CONTESTANT]...", help="Default: all.")
    ] = None,
    server: Annotated[
        str | None, typer.Option(help="Only this server; default: every server of each.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL; default: a temporary SQLite file."),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Check a server that is already running.")
    ] = None,
    workers: Annotated[int, typer.Option(min=0, help="Workers per server; 0 = one per core.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Prove each contestant implements the contract: run the suite over real HTTP."""
    from framematrix.contract import verify as contract

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


def _print_verdicts(verdicts: list[Any]) -> None:
    table = Table(title="Contract")
    for column in ("contestant", "server", "checks passed", "result"):
        table.add_column(column)
    for verdict in verdicts:
        score = f"{sum(r.passed for r in verdict.results)}/{len(verdict.results)}"
        result = "[green]pass[/]" if verdict.passed else "[red]FAIL[/]"
        table.add_row(verdict.contestant, verdict.server or "-", score, result)
    console.print(table)
    for verdict in verdicts:
        where = verdict.contestant + (f" under {verdict.server}" if verdict.server else "")
        for failure in verdict.failures:
            line = escape(f"{where}: {failure.name}: {failure.detail}")
            console.print(f"[red]FAIL[/] {line}", highlight=False, soft_wrap=True)


@app.command()
@friendly
def decide(
    answers: Annotated[
        Path | None,
        typer.Option(help="Answers file (YAML, JSON or TOML); without it a terminal asks."),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(help="Run folder (or id under ./runs/) replacing the article's figures."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output (framematrix.decide.engine).")
    ] = False,
    adr: Annotated[Path | None, typer.Option(help="Also write a MADR 4 decision record.")] = None,
) -> None:
    """Django, FastAPI or Flask for your answers: ranking, the article's tree, why, what would
    change it, and a capacity and cost plan."""
    from framematrix.decide import adr as record
    from framematrix.decide import engine, evidence, knowledge, questions, render

    try:
        if answers is not None:
            resolved = questions.read(answers)
        elif sys.stdin.isatty():
            resolved = render.ask(errors if as_json else console)
        else:
            errors.print("no --answers and no terminal: using the stated defaults", style="dim")
            resolved = questions.resolve({})
    except questions.AnswersError as exc:
        for problem in exc.problems:
            errors.print(f"[red]error:[/] {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    measured = evidence.load(run, knowledge.load()) if run else None
    decision = engine.decide(resolved, measured)
    if adr is not None:
        try:
            adr.write_text(record.render(decision), encoding="utf-8")
        except OSError as exc:
            raise FramematrixError(f"cannot write {adr}: {exc.strerror}") from None
    if as_json:
        print_json(decision.to_json())
        return
    render.show(decision, console)
    if adr is not None:
        console.print(f"decision record written to {adr}")


@app.command()
@friendly
def ui(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 picks a free one.")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    run: Annotated[
        str | None, typer.Option(help="Run to show; default: the newest under ./runs/.")
    ] = None,
) -> None:
    """Serve the questionnaire and its result as a local web page until Ctrl-C."""
    from framematrix.ui.server import make_server

    server = make_server(host, port, run)
    console.print(f"framematrix ui on http://{host}:{server.server_address[1]}/", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped", style="dim")
    finally:
        server.server_close()


@app.command()
@friendly
def audit(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[CONTESTANT]...", help="Default: all.")
    ] = None,
    profile: Annotated[
        list[str] | None,
        typer.Option("--profile", help="default or hardened; repeatable. Default: both."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Audit a server already running there (one profile).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL; default: a throw-away SQLite file."),
    ] = None,
    server: Annotated[str | None, typer.Option(help="Server; default: each contestant's.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to merge audit.json into, after each audit.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every probe's detail.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Probe security over HTTP and grade it the way the Mozilla HTTP Observatory does."""
    import tempfile

    from framematrix.audit import report, runner, store
    from framematrix.audit.claims import evaluate
    from framematrix.audit.model import PROFILES
    from framematrix.contestants.registry import CONTESTANTS, get
    from framematrix.db.init import check, init
    from framematrix.db.seed import SeedSize

    profiles = profile or (["default"] if url else list(PROFILES))
    for name in profiles:
        if name not in PROFILES:
            raise FramematrixError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}")
    audits = []
    failures = 0
    if url:
        if len(profiles) > 1 or len(names or []) > 1:
            raise FramematrixError("with --url give at most one CONTESTANT and one --profile")
        db_url = DatabaseURL.parse(db).url if db else None
        label = (names or ["url"])[0]
        audits.append(runner.audit_url(url, profiles[0], db_url, label))  # type: ignore[arg-type]
    else:
        specs = [get(name) for name in names or CONTESTANTS]
        with tempfile.TemporaryDirectory(prefix="framematrix-audit-") as scratch:
            database = DatabaseURL.parse(db or f"sqlite:///{Path(scratch) / 'audit.db'}")
            check(database)
            init(database, SeedSize() if db else SeedSize(authors=20, posts=100))
            for spec in specs:
                for name in runner.profiles_for(spec, profiles):  # type: ignore[arg-type]
                    errors.print(f"auditing {spec.name} ({name})", style="dim", highlight=False)
                    try:
                        audits.append(runner.audit_contestant(spec.name, name, database, server))
                    except FramematrixError as exc:
                        failures += 1
                        errors.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
                        continue
                    if out:
                        store.save(out, audits[-1:])
    if url and out:
        store.save(out, audits)
    if as_json:
        print_json(store.document(audits))
    elif audits:
        console.print(report.probe_table(audits))
        for audited in audits if verbose else ():
            console.print(report.details(audited))
        frameworks = {a.contestant for a in audits}
        verdicts = [v for v in evaluate(audits) if v.framework in frameworks]
        if verdicts:
            console.print(report.claims_table(verdicts))
    if failures:
        raise typer.Exit(1)


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


def split_list(text: str | None, convert: Callable[[str], Any] = str, name: str = "") -> tuple:
    """`a,b,c` -> ('a', 'b', 'c'), each converted; one clear error for a bad item."""
    if not text:
        return ()
    items = [item.strip() for item in text.split(",") if item.strip()]
    try:
        return tuple(convert(item) for item in items)
    except ValueError:
        raise FramematrixError(f"bad {name} {text!r}: expected a comma-separated list") from None


def parse_duration(text: str) -> float:
    """Seconds from `10`, `10s`, `500ms` or `1m`, as wrk and hyperfine users write them."""
    units = {"ms": 0.001, "s": 1.0, "m": 60.0}
    for unit in ("ms", "s", "m"):
        if text.endswith(unit):
            number, scale = text.removesuffix(unit), units[unit]
            break
    else:
        number, scale = text, 1.0
    try:
        value = float(number) * scale
    except ValueError:
        raise FramematrixError(f"bad duration {text!r}: use e.g. 10s, 500ms or 1m") from None
    if value < 0:
        raise FramematrixError(f"bad duration {text!r}: it cannot be negative")
    return value


BenchOptions = dict[str, Any]


def build_plan(options: BenchOptions) -> Any:
    """A BenchPlan from the bench/matrix command-line options, checked before anything starts."""
    from framematrix import scenarios
    from framematrix.contestants.registry import DEFAULT_CONTESTANTS
    from framematrix.engines import default_engine, get_engine
    from framematrix.runner import BenchPlan, parse_cpus
    from framematrix.servers import SERVERS, resolve

    contestants = split_list(options["contestants"], name="--contestants") or DEFAULT_CONTESTANTS
    if not options["url"]:
        for name in contestants:
            resolve(name, None)
    servers = split_list(options["servers"], name="--servers")
    for server in servers:
        if server not in SERVERS:
            raise FramematrixError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
    names = split_list(options["scenario"], name="--scenario")
    for name in names:
        scenarios.get(name)
    concurrencies = split_list(options["concurrency"], int, "--concurrency")
    rates = split_list(options["rate"], float, "--rate")
    if any(c < 1 for c in concurrencies) or any(r <= 0 for r in rates):
        raise FramematrixError("--concurrency and --rate must be positive")
    if not concurrencies and not rates:
        concurrencies = (16, 64, 256)
    engine = options["engine"] or default_engine()
    get_engine(engine)
    server_cpus, load_cpus = parse_cpus(options["cpus"])
    db_url = options["db"] or ""
    if db_url and not options["url"]:
        DatabaseURL.parse(db_url)
    return BenchPlan(
        contestants=contestants,
        servers=servers,
        scenarios=names,
        concurrencies=concurrencies,
        rates=rates,
        engine=engine,
        db_url=db_url,
        duration_s=parse_duration(options["duration"]),
        warmup_s=parse_duration(options["warmup"]),
        trials=options["trials"],
        workers=options["workers"],
        server_cpus=server_cpus,
        load_cpus=load_cpus,
        url=options["url"],
        connection_per_request=options.get("connection_per_request", False),
    )


def run_bench(
    options: BenchOptions, *, as_json: bool, title: str = "Results", show: bool = True
) -> Any:
    """Create (or resume) a run, execute every pending trial with live progress, print results
    (unless `show` is false: `matrix` prints its own)."""
    from framematrix.report.terminal import LiveProgress, results_table, warnings_of
    from framematrix.runner import BenchPlan, Runner, default_sqlite, validate
    from framematrix.store import Run
    from framematrix.summary import summarise

    root = Path(options["out"])
    if options["resume"]:
        run = Run.open(options["resume"], root)
        stored = run.meta().get("plan") or {}
        if not stored:
            raise FramematrixError(f"run {run.id} has no plan: it cannot be resumed")
        if "***" in (stored.get("db_url") or "") and not options["db"]:
            raise FramematrixError(
                "this run's database URL has a password: give it again with --db"
            )
        plan = BenchPlan.from_dict(stored, db_url=options["db"])
    else:
        plan = build_plan(options)
        validate(plan)
        root.mkdir(parents=True, exist_ok=True)
        run = Run.create(root, {"created": _now(), "plan": {}})
        if not plan.db_url and not plan.url:
            plan = replace(plan, db_url=default_sqlite(run.path))
    out = console if not as_json else errors
    runner = Runner(plan, run)
    environment = runner.prepare()
    run.update_meta(plan=plan.to_dict(), environment=environment)
    pending = runner.pending()
    out.print(
        f"run [bold]{run.id}[/] in {run.path}: {len(pending)} trials to do "
        f"(~{plan.estimated_s(len(pending)) / 60:.1f} min), engine {plan.engine}",
        highlight=False,
    )
    stop_on_sigterm()
    try:
        with LiveProgress(out, len(pending), plan.estimated_s(len(pending))) as live:
            runner.progress = live.hooks()
            runner.execute()
    except KeyboardInterrupt:
        done = len(run.done_keys())
        errors.print(
            f"[yellow]interrupted[/]: {done} trials are saved in {run.path}; "
            f"continue with `framematrix bench --resume {run.id} --out {root}`",
            highlight=False,
        )
        raise typer.Exit(130) from None
    run.update_meta(finished=_now())
    if not show:
        return run
    results = list(run.trials())
    summaries = summarise(results)
    if as_json:
        print_json({"run": run.id, "path": str(run.path), "trials": [public(t) for t in results]})
    else:
        console.print(results_table(summaries, title=f"{title} — run {run.id}"))
        for line in warnings_of(summaries, results):
            console.print(f"[yellow]warning:[/] {line}", highlight=False)
    return run


def public(result: Any) -> dict[str, Any]:
    """A trial as `--json` prints it: everything but the bulky encoded histogram."""
    data = result.to_dict()
    data.pop("histogram", None)
    return data


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def stop_on_sigterm() -> None:
    """SIGTERM behaves like Ctrl-C: servers are stopped and finished trials kept."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def bench_options(
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: the five.")
    ] = None,
    servers: Annotated[
        str | None, typer.Option(help="Comma-separated servers; default: each one's own.")
    ] = None,
    db: DbOption = None,
    scenario: Annotated[
        str,
        typer.Option(help="Comma-separated scenarios (health, read-one, list-posts, crud, write)."),
    ] = "list-posts",
    concurrency: Annotated[
        str | None, typer.Option(help="Closed loop: comma-separated connection counts.")
    ] = None,
    rate: Annotated[
        str | None, typer.Option(help="Open loop: comma-separated request rates (req/s).")
    ] = None,
    duration: Annotated[
        str, typer.Option(help="Measured time per trial (10s, 500ms, 1m).")
    ] = "10s",
    warmup: Annotated[str, typer.Option(help="Unmeasured warm-up before each trial.")] = "2s",
    trials: Annotated[int, typer.Option(min=1, help="Trials per point (interleaved).")] = 3,
    engine: Annotated[
        str | None, typer.Option(help="builtin, wrk or ab; default: wrk when on PATH.")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=0, help="Server workers; 0 = one per server core.")
    ] = 0,
    cpus: Annotated[
        str | None, typer.Option(help="SERVER:LOAD cores, e.g. 0:1; default: split in two.")
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Benchmark a running server instead of a contestant.")
    ] = None,
    out: Annotated[str, typer.Option(help="Folder that holds the runs.")] = "runs",
    resume: Annotated[
        str | None, typer.Option(help="Continue RUN, skipping the trials it finished.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Run a matrix of trials; every trial is stored the moment it finishes."""
    run_bench(
        dict(contestants=contestants, servers=servers, db=db, scenario=scenario,
             concurrency=concurrency, rate=rate, duration=duration, warmup=warmup, trials=trials,
             engine=engine, workers=workers, cpus=cpus, url=url, out=out, resume=resume),
        as_json=as_json,
    )  # fmt: skip


app.command("bench")(friendly(bench_options))


@app.command()
@friendly
def results(
    run: Annotated[
        str | None, typer.Argument(help="Run id or folder; default: the latest.")
    ] = None,
    out: Annotated[str, typer.Option(help="Folder that holds the runs.")] = "runs",
    as_json: Annotated[bool, typer.Option("--json", help="Every trial as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Every trial as CSV.")] = False,
) -> None:
    """Print a run's results: the summary table, or every trial as JSON or CSV."""
    from framematrix.report.terminal import results_table, warnings_of
    from framematrix.store import Run
    from framematrix.summary import summarise

    found = Run.open(run, Path(out)) if run else Run.latest(Path(out))
    trials = list(found.trials())
    if as_json:
        print_json(
            {"run": found.id, "path": str(found.path), "trials": [public(t) for t in trials]}
        )
    elif as_csv:
        from framematrix.report.tabular import write_csv

        write_csv(trials, sys.stdout)
    else:
        summaries = summarise(trials)
        console.print(results_table(summaries, title=f"Run {found.id}"))
        for line in warnings_of(summaries, trials):
            console.print(f"[yellow]warning:[/] {line}", highlight=False)


QUICK = {"scenario": "list-posts,crud", "concurrency": "16,64", "duration": "2s",
         "warmup": "0.5s", "trials": 2}  # fmt: skip
"""`matrix` with no options: a complete comparison in under 3 minutes on 2 cores."""
ARTICLE = {"scenario": "crud", "concurrency": "1000", "duration": "10s", "warmup": "2s",
           "trials": 3}  # fmt: skip
"""`matrix --article`: the article's test setup, as far as one machine allows."""
ARTICLE_DB = "postgresql://postgres@127.0.0.1:5432/framematrix"


def article_db(db: str | None) -> str:
    """The PostgreSQL database `--article` runs on, checked before anything starts."""
    from framematrix.db.init import check

    url = DatabaseURL.parse(db or ARTICLE_DB)
    if url.is_sqlite:
        raise FramematrixError("--article runs on PostgreSQL, as the article did: give --db "
                               "postgresql://USER@HOST/NAME")  # fmt: skip
    try:
        check(url)
    except FramematrixError as exc:
        raise FramematrixError(
            f"--article needs PostgreSQL: {exc}; give --db postgresql://USER@HOST/NAME "
            f"(or create the default: createdb -h 127.0.0.1 -U postgres framematrix)"
        ) from None
    return url.url


@app.command()
@friendly
def matrix(
    article: Annotated[
        bool,
        typer.Option(
            "--article",
            help="The article's setup: PostgreSQL, crud, 1,000 "
            "connections, one connection per request (like ab).",
        ),
    ] = False,
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: the five.")
    ] = None,
    servers: Annotated[
        str | None, typer.Option(help="Comma-separated servers; default: each one's own.")
    ] = None,
    db: DbOption = None,
    scenario: Annotated[
        str | None, typer.Option(help="Scenarios; default: list-posts,crud (--article: crud).")
    ] = None,
    concurrency: Annotated[
        str | None, typer.Option(help="Connection counts; default: 16,64 (--article: 1000).")
    ] = None,
    rate: Annotated[str | None, typer.Option(help="Open loop: request rates (req/s).")] = None,
    duration: Annotated[
        str | None, typer.Option(help="Measured time per trial; default: 2s (--article: 10s).")
    ] = None,
    warmup: Annotated[
        str | None, typer.Option(help="Warm-up per trial; default: 0.5s (--article: 2s).")
    ] = None,
    trials: Annotated[
        int | None, typer.Option(min=1, help="Trials per point; default: 2 (--article: 3).")
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="builtin, wrk or ab; default: wrk when on PATH.")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=0, help="Server workers; 0 = one per server core.")
    ] = 0,
    cpus: Annotated[
        str | None, typer.Option(help="SERVER:LOAD cores, e.g. 0:1; default: split in two.")
    ] = None,
    out: Annotated[str, typer.Option(help="Folder that holds the runs.")] = "runs",
    resume: Annotated[
        str | None, typer.Option(help="Continue RUN, skipping the trials it finished.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The article's decision matrix, measured: run the comparison, print the matrix and the
    claims' verdicts, and write report.html into the run folder."""
    from framematrix.report import export
    from framematrix.report import matrix as terminal_matrix
    from framematrix.report.model import build, save_code_sizes

    preset = ARTICLE if article else QUICK
    options: BenchOptions = dict(
        contestants=contestants, servers=servers, db=db, rate=rate, engine=engine,
        workers=workers, cpus=cpus, url=None, out=out, resume=resume,
        scenario=scenario or preset["scenario"], duration=duration or preset["duration"],
        concurrency=concurrency or (None if rate else preset["concurrency"]),
        warmup=warmup or preset["warmup"], trials=trials or preset["trials"],
        connection_per_request=article,
    )  # fmt: skip
    if article and not resume:
        options["db"] = article_db(db)
    run = run_bench(options, as_json=as_json, title="Matrix", show=False)
    if not (run.path / "codesize.json").exists():
        names = run.meta().get("plan", {}).get("contestants")
        save_code_sizes(run, tuple(names) if names else None)
    report_data = build(run)
    path = run.path / "report.html"
    path.write_text(export.render(report_data, "html"), encoding="utf-8")
    if as_json:
        sys.stdout.write(export.render(report_data, "json"))
        return
    terminal_matrix.show(report_data, console)
    console.print(f"report written to {path}", highlight=False)


@app.command()
@friendly
def report(
    run: Annotated[
        str | None, typer.Argument(help="Run id or folder; default: the latest.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, md, json or csv.")] = "html",
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="File to write; - for stdout. Default: html into "
            "the run folder, the others to stdout.",
        ),
    ] = None,
    out: Annotated[str, typer.Option(help="Folder that holds the runs.")] = "runs",
) -> None:
    """Write a run's report: the matrix, charts, the claims' verdicts, code size, environment."""
    from framematrix.report import export
    from framematrix.report.model import build
    from framematrix.store import Run

    if fmt not in export.FORMATS:
        raise FramematrixError(f"unknown --format {fmt!r}; known: {', '.join(export.FORMATS)}")
    found = Run.open(run, Path(out)) if run else Run.latest(Path(out))
    text = export.render(build(found), fmt)
    target = output or (str(found.path / "report.html") if fmt == "html" else "-")
    if target == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FramematrixError(f"cannot write {target}: {exc.strerror}") from None
    errors.print(f"report written to {target}", highlight=False)
