"""The `framematrix` command: one Typer app, each command a thin shell over a package."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from framematrix import __version__, bench
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.output import console, errors, print_json, write_text

app = typer.Typer(
    help="Django vs FastAPI vs Flask, re-measured on your machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create and seed the neutral database.", no_args_is_help=True)
app.add_typer(db_app, name="db", rich_help_panel="Contestants")

P = ParamSpec("P")
R = TypeVar("R")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL: sqlite:///FILE or postgresql://HOST/NAME."),
]

ServersOption = Annotated[
    str | None, typer.Option(help="Comma-separated servers; default: each one's own.")
]
RateOption = Annotated[
    str | None, typer.Option(help="Open loop: comma-separated request rates (req/s).")
]
EngineOption = Annotated[
    str | None, typer.Option(help="builtin, wrk or ab; default: wrk when on PATH.")
]
WorkersOption = Annotated[int, typer.Option(min=0, help="Server workers; 0 = one per server core.")]
CpusOption = Annotated[
    str | None, typer.Option(help="SERVER:LOAD cores, e.g. 0:1; default: split in two.")
]
OutOption = Annotated[str, typer.Option(help="Folder that holds the runs.")]
ReferenceOption = Annotated[
    str | None,
    typer.Option(help="Contestant the others' req/s are compared with; default: the first."),
]
ExportJson = Annotated[
    str | None, typer.Option(help="Write the trials as JSON to FILE (- stdout).")
]
ExportCsv = Annotated[str | None, typer.Option(help="Write the trials as CSV to FILE (- stdout).")]
ExportMarkdown = Annotated[
    str | None, typer.Option(help="Write the report as Markdown to FILE (- stdout).")
]
ResumeOption = Annotated[
    str | None, typer.Option(help="Continue RUN, skipping the trials it finished.")
]
"""Options `bench` and `matrix` share, declared once."""


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a FramematrixError into one red line and its exit code; never a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except FramematrixError as exc:
            errors.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


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


@app.command(rich_help_panel="Contestants")
@friendly
def contestants(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the contestants, the servers each runs under, and the versions installed."""
    from framematrix.contestants.registry import CONTESTANTS

    rows: list[dict[str, Any]] = [
        {
            "name": spec.name,
            "interface": spec.interface,
            "summary": spec.summary,
            "servers": list(spec.servers),
            "default_server": spec.servers[0],
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
    for column in ("name", "interface", "servers (default first)", "versions", "what", "realtime"):
        table.add_column(column)
    for row in rows:
        versions = ", ".join(f"{k} {v}" for k, v in row["versions"].items())
        side = row["realtime"]
        realtime = (f"{side['summary']}; {side['broker']}; under {', '.join(side['servers'])}"
                    if side else f"no: {row['lacks'].get('realtime', '')}")  # fmt: skip
        table.add_row(row["name"], row["interface"].upper(), ", ".join(row["servers"]), versions,
                      row["summary"], realtime)  # fmt: skip
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
    from framematrix.db.init import check, create_if_missing, init
    from framematrix.db.seed import SeedSize

    url = DatabaseURL.parse(db or default_db_url())
    if create_if_missing(url):
        console.print(f"created database {url.redacted()}", highlight=False)
    version = check(url)
    state = init(url, SeedSize(authors=authors, posts=posts), reset=reset)
    action = "created" if state.created else "found"
    seeded = "seeded" if state.seeded else "left as it was"
    console.print(
        f"{version} at {url.redacted()}: schema {action}, data {seeded} "
        f"({state.authors:,} authors, {state.posts:,} posts)"
    )


@app.command(rich_help_panel="Contestants")
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


@app.command(rich_help_panel="Decide")
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
    """Django, FastAPI or Flask for your answers: ranking, why, and what it costs to run.

    Also the article's decision tree and its verdict, what would change the answer, and a
    capacity and cost plan from a measured run (or the article's figures, labelled so)."""
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
        write_text(adr, record.render(decision))
    if as_json:
        print_json(decision.to_json())
        return
    render.show(decision, console)
    if adr is not None:
        console.print(f"decision record written to {adr}")


@app.command(rich_help_panel="Decide")
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


def _audit_progress(message: str, error: str | None) -> None:
    if error is None:
        errors.print(message, style="dim", highlight=False)
    else:
        errors.print(f"[red]error:[/] {message}: {error}", highlight=False, soft_wrap=True)


@app.command(rich_help_panel="Measure")
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
    from framematrix.audit import report, runner, store
    from framematrix.audit.claims import evaluate
    from framematrix.audit.model import PROFILES, Profile, is_profile
    from framematrix.contestants.registry import CONTESTANTS

    profiles: list[Profile] = []
    for name in profile or (["default"] if url else list(PROFILES)):
        if not is_profile(name):
            raise FramematrixError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}")
        profiles.append(name)
    failures = 0
    if url:
        if len(profiles) > 1 or len(names or []) > 1:
            raise FramematrixError("with --url give at most one CONTESTANT and one --profile")
        db_url = DatabaseURL.parse(db).url if db else None
        label = (names or ["url"])[0]
        audits = [runner.audit_url(url, profiles[0], db_url, label)]
    else:
        audits, failures = runner.audit_contestants(
            names or list(CONTESTANTS),
            profiles,
            db,
            server,
            out,
            _audit_progress,
        )
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


@app.command(rich_help_panel="Contestants")
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
    from framematrix.db.init import check, create_if_missing, init
    from framematrix.db.seed import SeedSize
    from framematrix.servers import RunningServer, ServerConfig, resolve

    _, server_name = resolve(contestant, server)
    url = DatabaseURL.parse(db or default_db_url())
    if init_db:
        create_if_missing(url)
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


def bench_options(
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: the five.")
    ] = None,
    servers: ServersOption = None,
    db: DbOption = None,
    scenario: Annotated[
        str,
        typer.Option(help="Comma-separated scenarios (health, read-one, list-posts, crud, write)."),
    ] = "list-posts",
    concurrency: Annotated[
        str | None, typer.Option(help="Closed loop: comma-separated connection counts.")
    ] = None,
    rate: RateOption = None,
    duration: Annotated[
        str, typer.Option(help="Measured time per trial (10s, 500ms, 1m).")
    ] = "10s",
    warmup: Annotated[str, typer.Option(help="Unmeasured warm-up before each trial.")] = "2s",
    trials: Annotated[int, typer.Option(min=1, help="Trials per point (interleaved).")] = 3,
    engine: EngineOption = None,
    workers: WorkersOption = 0,
    cpus: CpusOption = None,
    url: Annotated[
        str | None, typer.Option(help="Benchmark a running server instead of a contestant.")
    ] = None,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    reference: ReferenceOption = None,
    export_json: ExportJson = None,
    export_csv: ExportCsv = None,
    export_markdown: ExportMarkdown = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Run a matrix of trials; every trial is stored the moment it finishes."""
    bench.run_bench(
        dict(contestants=contestants, servers=servers, db=db, scenario=scenario,
             concurrency=concurrency, rate=rate, duration=duration, warmup=warmup, trials=trials,
             engine=engine, workers=workers, cpus=cpus, url=url, out=out, resume=resume,
             reference=reference,
             exports={"json": export_json, "csv": export_csv, "markdown": export_markdown}),
        as_json=as_json,
    )  # fmt: skip


app.command("bench", rich_help_panel="Measure")(friendly(bench_options))


@app.command(rich_help_panel="Measure")
@friendly
def results(
    run: Annotated[
        str | None, typer.Argument(help="Run id or folder; default: the latest.")
    ] = None,
    out: OutOption = "runs",
    reference: ReferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Every trial as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Every trial as CSV.")] = False,
) -> None:
    """Print a run's results: the summary table, or every trial as JSON or CSV."""
    from framematrix.store import Run

    found = Run.open(run, Path(out)) if run else Run.latest(Path(out))
    if as_csv:
        bench.export(found, "csv", "-")
    else:
        bench.show_results(found, as_json=as_json, reference=reference, title="Run")


@app.command(rich_help_panel="Measure")
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
        str | None, typer.Option(help="Comma-separated contestants; default: all of them.")
    ] = None,
    servers: ServersOption = None,
    db: DbOption = None,
    scenario: Annotated[
        str | None, typer.Option(help="Scenarios; default: list-posts,crud (--article: crud).")
    ] = None,
    concurrency: Annotated[
        str | None, typer.Option(help="Connection counts; default: 16,64 (--article: 1000).")
    ] = None,
    rate: RateOption = None,
    duration: Annotated[
        str | None, typer.Option(help="Measured time per trial; default: 1s (--article: 10s).")
    ] = None,
    warmup: Annotated[
        str | None, typer.Option(help="Warm-up per trial; default: 1s (--article: 2s).")
    ] = None,
    trials: Annotated[
        int | None, typer.Option(min=1, help="Trials per point; default: 2 (--article: 3).")
    ] = None,
    engine: EngineOption = None,
    workers: WorkersOption = 0,
    cpus: CpusOption = None,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The article's decision matrix, measured: every contestant, the claims, an HTML report.

    Runs the comparison, prints the matrix and the verdict on each of the article's claims,
    and writes report.html into the run folder."""
    from framematrix.report import export
    from framematrix.report import matrix as terminal_matrix
    from framematrix.report.model import build, save_code_sizes

    preset = bench.ARTICLE if article else bench.QUICK
    options: bench.BenchOptions = dict(
        contestants=contestants or preset["contestants"], servers=servers, db=db, rate=rate,
        engine=engine,
        workers=workers, cpus=cpus, url=None, out=out, resume=resume,
        scenario=scenario or preset["scenario"], duration=duration or preset["duration"],
        concurrency=concurrency or (None if rate else preset["concurrency"]),
        warmup=warmup or preset["warmup"], trials=trials or preset["trials"],
        connection_per_request=article,
    )  # fmt: skip
    if article and not resume:
        options["db"] = bench.article_db(db)
    run = bench.run_bench(options, as_json=as_json, title="Matrix", show=False)
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


@app.command(rich_help_panel="Measure")
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
    write_text(target, text)
    if target == "-":
        return
    errors.print(f"report written to {target}", highlight=False)
