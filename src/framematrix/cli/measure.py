"""Commands that measure and show measurements: bench, matrix, results, report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from framematrix.cli.common import (
    CpusOption,
    DbOption,
    EngineOption,
    ExportCsv,
    ExportJson,
    ExportMarkdown,
    LoadProcessesOption,
    LocustMasterOption,
    LocustRemoteWorkersOption,
    LocustWorkersOption,
    OutOption,
    RateOption,
    ReferenceOption,
    ResumeOption,
    RunArgument,
    ServersOption,
    TuningOption,
    WorkersOption,
    friendly,
)
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import errors, write_text

PANEL = "Measure"


def bench(
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
    tuning: TuningOption = "equal",
    cpus: CpusOption = None,
    load_processes: LoadProcessesOption = 0,
    locust_workers: LocustWorkersOption = None,
    locust_remote_workers: LocustRemoteWorkersOption = 0,
    locust_master: LocustMasterOption = None,
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
    from framematrix.bench import BenchOptions, run_bench

    options = BenchOptions(
        contestants=contestants, servers=servers, db=db, scenario=scenario,
        concurrency=concurrency, rate=rate, duration=duration, warmup=warmup, trials=trials,
        engine=engine, workers=workers, tuning=tuning, cpus=cpus, load_processes=load_processes,
        locust_workers=locust_workers, locust_remote_workers=locust_remote_workers,
        locust_master=locust_master, url=url, out=out, resume=resume, reference=reference,
        exports={"json": export_json, "csv": export_csv, "markdown": export_markdown},
    )  # fmt: skip
    run_bench(options, as_json=as_json)


def results(
    run: RunArgument = None,
    out: OutOption = "runs",
    reference: ReferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Every trial as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Every trial as CSV.")] = False,
) -> None:
    """Print a run's results: the summary table, or every trial as JSON or CSV."""
    from framematrix.bench import export, show_results
    from framematrix.store import Run

    found = Run.find(run, Path(out))
    if as_csv:
        export(found, "csv", "-")
    else:
        show_results(found, as_json=as_json, reference=reference, title="Run")


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
    tuning: TuningOption = "equal",
    cpus: CpusOption = None,
    load_processes: LoadProcessesOption = 0,
    locust_workers: LocustWorkersOption = None,
    locust_remote_workers: LocustRemoteWorkersOption = 0,
    locust_master: LocustMasterOption = None,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The article's decision matrix, measured: every contestant, the claims, an HTML report.

    Runs the comparison, prints the matrix and the verdict on each of the article's claims,
    and writes report.html into the run folder."""
    from framematrix import bench as presets
    from framematrix.bench import article_db, run_matrix

    preset = presets.ARTICLE if article else presets.QUICK
    options = replace(
        preset,
        contestants=contestants or preset.contestants, servers=servers, db=db, rate=rate,
        scenario=scenario or preset.scenario, concurrency=concurrency or preset.concurrency,
        duration=duration or preset.duration, warmup=warmup or preset.warmup,
        trials=trials or preset.trials, engine=engine, workers=workers, tuning=tuning, cpus=cpus,
        load_processes=load_processes, locust_workers=locust_workers,
        locust_remote_workers=locust_remote_workers, locust_master=locust_master, out=out,
        resume=resume,
    )  # fmt: skip
    if rate and not concurrency:
        options = replace(options, concurrency=None)  # a rate alone is an open-loop matrix
    if article and not resume:
        options = replace(options, db=article_db(db))
    run_matrix(options, as_json=as_json)


def report(
    run: RunArgument = None,
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
    out: OutOption = "runs",
) -> None:
    """Write a run's report: the matrix, charts, the claims' verdicts, code size, environment."""
    from framematrix.report import export
    from framematrix.report.model import build
    from framematrix.store import Run

    if fmt not in export.FORMATS:
        raise FramematrixError(f"unknown --format {fmt!r}; known: {', '.join(export.FORMATS)}")
    found = Run.find(run, Path(out))
    text = export.render(build(found), fmt)
    target = output or (str(found.path / "report.html") if fmt == "html" else "-")
    write_text(target, text)
    if target != "-":
        errors.print(f"report written to {target}", highlight=False)


def locust_worker(
    master: Annotated[
        str, typer.Option(help="The locust master's HOST[:PORT] (the port defaults to 5557).")
    ],
    cpus: Annotated[
        str | None, typer.Option(help="Comma-separated cores to pin the worker to.")
    ] = None,
    wait: Annotated[
        str, typer.Option(help="How long to wait for the master, at first and between trials.")
    ] = "60s",
    once: Annotated[bool, typer.Option("--once", help="Serve one trial, then exit.")] = False,
) -> None:
    """Send load for a `bench --engine locust` master on another machine, trial after trial.

    The worker downloads each trial's locustfile from the master and refuses one written by
    another framematrix or Locust version. Exit 2 when no master answers within --wait."""
    import os

    from framematrix.bench import parse_duration, split_list, stop_on_sigterm
    from framematrix.engines.locust_worker import serve

    cores = split_list(cpus, int, "--cpus") or None
    if cores and not set(cores) <= os.sched_getaffinity(0):
        raise FramematrixError(f"bad --cpus {cpus!r}: this machine has cores "
                               f"{sorted(os.sched_getaffinity(0))}")  # fmt: skip
    stop_on_sigterm()
    try:
        serve(master, cpus=cores, wait_s=parse_duration(wait), once=once,
              say=lambda line: errors.print(line, highlight=False))  # fmt: skip
    except KeyboardInterrupt:
        raise Interrupted("locust worker stopped") from None


def register(app: typer.Typer) -> None:
    for command in (bench, results, matrix, report, locust_worker):
        app.command(rich_help_panel=PANEL)(friendly(command))
