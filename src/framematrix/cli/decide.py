"""Commands that turn the evidence into a recommendation: decide, and the local web page."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from framematrix.cli.common import Given, Own, friendly, with_options
from framematrix.errors import FramematrixError
from framematrix.flags import declared
from framematrix.output import console, errors, print_json, write_text
from framematrix.run.options import BenchOptions, split_list

if TYPE_CHECKING:
    from framematrix.decide.request import Request
    from framematrix.results.store import Run

PANEL = "Decide"


MEASURE = BenchOptions(
    contestants=None,
    concurrency="64",
    duration="1s",
    warmup="0.5s",
    trials=3,
    engine="builtin",
    ledger=False,
)
"""`decide --measure`: your request and its neighbours, 3 rounds of 1 s at 64 users, each
contestant the decision ranks and the A/A control's second Django, judged once."""
MEASURING = ("db", "concurrency", "duration", "warmup", "trials", "engine", "cpus")
"""The options only a measurement takes."""
MEASURE_TAKES = ("tuning", *MEASURING, "out")
"""`--tuning` and `--out` also say which run's points and where runs are, for `--run`."""
MEASURE_OWN = {
    "tuning": Own(
        "The tuning your request is measured (--measure) or judged (--run) under: equal, docs "
        "or best; default: equal (--run: the run's, equal settings first)."
    ),
    "db": Own(
        "--measure: embedded (the default), sqlite, sqlite:///FILE or postgresql://HOST/NAME."
    ),
    "concurrency": Own("--measure: connection counts."),
    "engine": Own("--measure: builtin, wrk, ab or locust."),
    "duration": Own("--measure: measured time per trial."),
    "warmup": Own("--measure: warm-up per trial."),
    "trials": Own("--measure: trials (rounds) per point."),
    "out": Own("Folder that holds the runs: --measure's new one, --run's and the latest."),
}


@with_options(MEASURE, only=MEASURE_TAKES, own=MEASURE_OWN)
def decide(
    answers: Annotated[
        Path | None,
        typer.Option(help="Answers file (YAML, JSON or TOML); without it a terminal asks."),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            help="Run folder (or id under ./runs/) whose measurements replace the article's "
            "figures; default: the latest run, if any. Answers describing your request need a "
            "run that measured it."
        ),
    ] = None,
    no_run: Annotated[
        bool, typer.Option("--no-run", help="Ignore runs: decide on the article's figures.")
    ] = False,
    measure: Annotated[
        bool,
        typer.Option(
            "--measure",
            help="Measure your request (the answers' queries, writes, calls, compute_ms, "
            "items) and its neighbours in the frameworks ranked, in a new run, and rank on it.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output (framematrix.decide.engine).")
    ] = False,
    adr: Annotated[Path | None, typer.Option(help="Also write a MADR 4 decision record.")] = None,
    include: Annotated[
        str | None,
        typer.Option(
            help="Also rank frameworks beyond the article, comma-separated (litestar, "
            "django-ninja): measured ratings from the run, framematrix's own elsewhere."
        ),
    ] = None,
    *,
    given: Given[BenchOptions],
) -> None:
    """Django, FastAPI or Flask for your answers: ranking, why, and what it costs to run.

    Also the article's decision tree and its verdict, what would change the answer (or that it
    is too close to call), each rating's kind, and a capacity and cost plan from the run used
    (the latest by default) or the article's figures, labelled so. Answers that describe your
    request lead with it, measured (--measure, or a run that measured it): each framework's
    req/s against Django's and where the answer would flip."""
    from framematrix.decide import adr as record
    from framematrix.decide import engine, evidence, knowledge, questions, render

    _check(given, measure, run, no_run)
    names = tuple(n.strip() for n in (include or "").split(",") if n.strip())
    kb = knowledge.load().including(names)
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
    request = resolved.request
    root = Path(given.options.out)
    tuning = given.options.tuning if "tuning" in given or measure else None
    if measure:
        if request is None:
            raise FramematrixError(
                "--measure needs your request: answer queries, writes, calls, compute_ms or items"
            )
        contestants = tuple(kb.frameworks[f].contestant for f in kb.order)
        made = measure_request(request, contestants, given.options)
        measured, note = evidence.load(made.path, kb), f"measured your request in run {made.id}"
    elif no_run:
        measured, note = None, "--no-run: the article's figures"
    else:
        measured, note = evidence.choose(run, kb, root)
    decision = engine.decide(resolved, measured, kb, run_note=note, tuning=tuning)
    if (run or measure) and isinstance(decision.on_request, str):
        raise FramematrixError(decision.on_request)  # that run was asked for: it must have it
    if adr is not None:
        write_text(adr, record.render(decision))
    if as_json:
        print_json(decision.to_json())
        return
    render.show(decision, console)
    if adr is not None:
        console.print(f"decision record written to {adr}")


def _check(given: Given[BenchOptions], measure: bool, run: str | None, no_run: bool) -> None:
    """The options that go together, before anything is asked or measured."""
    if measure and (run or no_run):
        raise FramematrixError("--measure makes its own run: give --measure, --run or --no-run")
    if run and no_run:
        raise FramematrixError("give --run or --no-run, not both")
    if not measure:
        wrong = [
            d.spelling for d in declared(BenchOptions) if d.name in MEASURING and d.name in given
        ]
        if wrong:
            raise FramematrixError(f"{', '.join(wrong)} measures your request: add --measure")
    tunings = split_list(given.options.tuning, str, "--tuning")
    if len(tunings) != 1:
        raise FramematrixError("decide judges your request under one --tuning")


def measure_request(request: Request, contestants: tuple[str, ...], options: BenchOptions) -> Run:
    """Your request and its neighbours measured in a new run, as `bench --workload` measures
    them, the progress on stderr so that the decision leads the output."""
    from framematrix.cli.progress import display
    from framematrix.run.bench import measure

    specs = (request.spec, *(n.spec for n in request.neighbours()))
    bench = replace(
        options,
        contestants=",".join(contestants),
        scenario="",
        workload=tuple(spec.text() for spec in specs),
        upstream_ms=request.upstream_ms,
    )
    return measure(bench, display(errors), errors)


def ui(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 picks a free one.")] = 8765,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; the page has no authentication and starts runs."),
    ] = "127.0.0.1",
    run: Annotated[
        str | None, typer.Option(help="Run to show; default: the newest under ./runs/.")
    ] = None,
) -> None:
    """Serve the page until Ctrl-C: a run's verdicts and charts, the questionnaire and its
    decision, runs started and watched from the page, two runs compared."""
    import ipaddress

    from framematrix.ui.server import make_server

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        errors.print(
            f"[yellow]warning:[/] listening on {host}: the page has no authentication, "
            "and anyone who reaches it can start benchmarks on this machine",
            highlight=False,
        )
    server = make_server(host, port, run)
    console.print(f"framematrix ui on http://{host}:{server.server_address[1]}/", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped", style="dim")
    finally:
        server.server_close()  # stops a run the page started, keeping its finished trials


def register(app: typer.Typer) -> None:
    for command in (decide, ui):
        app.command(rich_help_panel=PANEL)(friendly(command))
