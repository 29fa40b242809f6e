"""Commands that turn the evidence into a recommendation: decide, and the local web page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from framematrix.cli.common import friendly
from framematrix.output import console, errors, print_json, write_text

PANEL = "Decide"


def decide(
    answers: Annotated[
        Path | None,
        typer.Option(help="Answers file (YAML, JSON or TOML); without it a terminal asks."),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            help="Run folder (or id under ./runs/) whose measurements replace the article's "
            "figures; default: the latest run, if any."
        ),
    ] = None,
    no_run: Annotated[
        bool, typer.Option("--no-run", help="Ignore runs: decide on the article's figures.")
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
) -> None:
    """Django, FastAPI or Flask for your answers: ranking, why, and what it costs to run.

    Also the article's decision tree and its verdict, what would change the answer (or that it
    is too close to call), each rating's kind, and a capacity and cost plan from the run used
    (the latest by default) or the article's figures, labelled so."""
    from framematrix.decide import adr as record
    from framematrix.decide import engine, evidence, knowledge, questions, render

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
    if no_run:
        measured, note = None, "--no-run: the article's figures"
    else:
        measured, note = evidence.choose(run, kb)
    decision = engine.decide(resolved, measured, kb, run_note=note)
    if adr is not None:
        write_text(adr, record.render(decision))
    if as_json:
        print_json(decision.to_json())
        return
    render.show(decision, console)
    if adr is not None:
        console.print(f"decision record written to {adr}")


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
