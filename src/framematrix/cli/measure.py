"""Commands that measure and show measurements: bench, matrix, sweep, results, report, and the
locust worker. `bench`, `matrix` and `sweep` take their options from their one declaration
(`run.options.BenchOptions` and the engines' records it holds): each says only which it takes,
and where its help or default differs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from framematrix.cli.common import (
    Given,
    OutOption,
    Own,
    ReferenceOption,
    RunArgument,
    WideOption,
    friendly,
    with_options,
)
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import errors, widen, write_text
from framematrix.results.formatting import place
from framematrix.run.options import ARTICLE, QUICK, SWEEP, WORKLOAD_SWEEP, BenchOptions

PANEL = "Measure"
MATRIX_LEAVES = (
    "url",
    "workload",
    "versions",
    "rerun",
    "reference",
    "export_json",
    "export_csv",
    "export_markdown",
)
"""What `matrix` does not take: it measures its own contestants, in this install, and writes
its own report."""
FROM_PRESET = {
    "contestants": Own("Comma-separated contestants; default: all of them.", preset=True),
    "scenario": Own(
        "Scenarios; default: list-posts,crud,upstream,image,iot (--article: crud).", preset=True
    ),
    "concurrency": Own(
        f"Connection counts; default: {QUICK.concurrency} (--article: {ARTICLE.concurrency}).",
        preset=True,
    ),
    "duration": Own(
        f"Measured time per trial; default: {QUICK.duration} (--article: {ARTICLE.duration}).",
        preset=True,
    ),
    "warmup": Own(
        f"Warm-up per trial, FIRST[,LATER]; default: {QUICK.warmup} (--article: {ARTICLE.warmup}).",
        preset=True,
    ),
    "trials": Own(
        f"Trials (rounds) per point; default: {QUICK.trials} (--article: {ARTICLE.trials}).",
        preset=True,
    ),
    "budget": Own(preset=True),
}
"""`matrix`'s options whose default is its preset's."""
PREPARE_OWN = {
    "contestants": Own("Comma-separated contestants (matrix's by default)."),
    "db": Own("The database matrix will measure on; default: the embedded PostgreSQL."),
}
SWEEP_TAKES = (
    "scenario",
    "workload",
    "contestants",
    "servers",
    "db",
    "concurrency",
    "duration",
    "warmup",
    "trials",
    "engine",
    "workers",
    "tuning",
    "retune",
    "cpus",
    "load_processes",
    "upstream_ms",
    "out",
    "resume",
    "control",
)
"""What `sweep` takes: one scenario swept over the concurrencies it chooses itself, or a
described workload swept over the range one of its keys takes."""
SWEEP_OWN = {
    "scenario": Own("The scenario to sweep over concurrency (e.g. upstream).", preset=True),
    "workload": Own(
        "Instead: a described workload with one key as a range (calls=0..4, "
        "compute_ms=0..50/10): every contestant at each value, and where their lines cross."
    ),
    "concurrency": Own(
        "--workload: the connection counts of every value; default: 64.", preset=True
    ),
    "duration": Own("Measured time per trial; default: 5s (--workload: 2s).", preset=True),
    "warmup": Own(
        f"Warm-up per trial, FIRST[,LATER]; default: {SWEEP.warmup} (--workload: "
        f"{WORKLOAD_SWEEP.warmup}).",
        preset=True,
    ),
    "trials": Own(
        "Trials per point; default: 2 (--workload: 5, the rounds its crossings are judged on).",
        preset=True,
    ),
    "control": Own(
        "The A/A control (a second server of the reference contestant), whose noise sets the "
        "least difference called real; default: off (--workload: on).",
        preset=True,
    ),
}
NO_SWEEP = (
    "sweep needs --scenario S (each contestant against concurrency) or --workload SPEC with one "
    "key as a range (each contestant against that key: a crossover map)"
)


@with_options(BenchOptions(), leave=("budget", "audit"))
def bench(
    given: Given[BenchOptions],
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Run a matrix of trials; every trial is stored the moment it finishes."""
    from framematrix.cli.running import run_bench

    options = given.options
    if options.workload and "scenario" not in given:  # a described workload replaces it
        options = replace(options, scenario="")
    if options.wide:
        widen()
    run_bench(options, as_json=as_json)


def results(
    run: RunArgument = None,
    out: OutOption = "runs",
    reference: ReferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Every trial as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Every trial as CSV.")] = False,
    wide: WideOption = False,
) -> None:
    """Print a run's results: a table per load point, or every trial as JSON or CSV."""
    from framematrix.report.results import export, show_results
    from framematrix.results.store import Run

    found = Run.find(run, Path(out))
    if wide:
        widen()
    if as_csv:
        export(found, "csv", "-")
    else:
        show_results(found, as_json=as_json, reference=reference, title="Run", wide=wide)


@with_options(QUICK, leave=MATRIX_LEAVES, own=FROM_PRESET)
def matrix(
    article: Annotated[
        bool,
        typer.Option(
            "--article",
            help="The article's setup: PostgreSQL, crud, 1,000 "
            "connections, one connection per request (like ab).",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Every workload swept over concurrency, 3 trials of 5 s "
            "(about 1.5 h): the knees and the curves.",
        ),
    ] = False,
    *,
    given: Given[BenchOptions],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The article's decision matrix, measured: every contestant, the claims, an HTML report.

    Runs the comparison, prints the matrix and the verdict on each of the article's claims,
    and writes report.html into the run folder."""
    from framematrix.cli.running import run_matrix
    from framematrix.run.options import ARTICLE, FULL, preset_for
    from framematrix.run.validation import article_db

    if article and full:
        raise FramematrixError("--article and --full are two different matrices: choose one")
    preset = ARTICLE if article else FULL if full else QUICK
    options = given.onto(preset)
    if "concurrency" not in given:  # the preset's, for the scenarios chosen; a rate alone is
        concurrency = None if options.rate else preset_for(preset, options.scenario)  # open loop
        options = replace(options, concurrency=concurrency)
    if "tuning" in given or "retune" in given:  # asked for: searched where not cached
        options = replace(options, search=True)
    if options.wide:
        widen()
    if article and not options.resume:
        options = replace(options, db=article_db(options.db))
    run_matrix(options, as_json=as_json)


@with_options(SWEEP, only=SWEEP_TAKES, own=SWEEP_OWN)
def sweep(
    given: Given[BenchOptions],
    start: Annotated[
        int | None, typer.Option("--from", min=1, help="Lowest concurrency; default: 1.")
    ] = None,
    stop: Annotated[
        int | None, typer.Option("--to", min=1, help="Highest concurrency; default: 1024.")
    ] = None,
    p99_target: Annotated[
        float, typer.Option(min=0.001, help="p99 the knee must stay under (ms).")
    ] = 1000.0,
    growth: Annotated[
        float,
        typer.Option(min=0.0, help="Share by which throughput must still grow per step."),
    ] = 0.10,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print trials, knees and crossover maps as JSON.")
    ] = False,
) -> None:
    """Sweep concurrency (1, 2, 4 ... 1024) and find each contestant's knee: the highest
    concurrency at which throughput still grows and p99 stays under the target. Or sweep one
    key of a described workload (--workload calls=0..4) and find where the lines cross."""
    from framematrix.cli.running import run_bench, run_sweep
    from framematrix.results import sweep as sweeps
    from framematrix.run.options import WORKLOAD_SWEEP
    from framematrix.scenarios import workload

    if "workload" in given:
        if "scenario" in given or start or stop:
            raise FramematrixError(
                "sweep --workload sweeps its range at one load: give it without --scenario, "
                "--from and --to"
            )
        for text in given.options.workload:
            workload.swept(text)
        options = replace(given.onto(WORKLOAD_SWEEP), ledger=False)
        run_bench(options, as_json=as_json, title="Sweep")
        return
    if "scenario" not in given:
        raise FramematrixError(NO_SWEEP)
    if "concurrency" in given:
        raise FramematrixError("a concurrency sweep sets its own: give --from and --to")
    series = ",".join(str(c) for c in sweeps.concurrencies(start or 1, stop or 1024))
    options = replace(given.options, concurrency=series)
    run_sweep(options, {"target_ms": p99_target, "growth": growth}, as_json=as_json)


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
    from framematrix.results.store import Run

    if fmt not in export.FORMATS:
        raise FramematrixError(f"unknown --format {fmt!r}; known: {', '.join(export.FORMATS)}")
    found = Run.find(run, Path(out))
    text = export.render(build(found), fmt)
    target = output or (str(found.path / "report.html") if fmt == "html" else "-")
    write_text(target, text)
    if target != "-":
        errors.print(f"report written to {place(Path(target))}", highlight=False)


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

    from framematrix.engines.locust.worker import serve
    from framematrix.run.bench import stop_on_sigterm
    from framematrix.run.options import parse_duration, split_list

    cores = split_list(cpus, int, "--cpus") or None
    if cores and not set(cores) <= os.sched_getaffinity(0):
        raise FramematrixError(
            f"bad --cpus {cpus!r}: this machine has cores {sorted(os.sched_getaffinity(0))}"
        )
    stop_on_sigterm()
    try:
        serve(
            master,
            cpus=cores,
            wait_s=parse_duration(wait),
            once=once,
            say=lambda line: errors.print(line, highlight=False),
        )
    except KeyboardInterrupt:
        raise Interrupted("locust worker stopped") from None


@with_options(QUICK, only=("contestants", "db"), own=PREPARE_OWN)
def prepare(given: Given[BenchOptions]) -> None:
    """Find now what a first run finds once per install, so that the first matrix takes as
    long as the next.

    The database work per request (the ledger), the security audits and the frameworks'
    batteries depend on code, versions and the database server alone: every run takes them from
    this install's cache, but the first one finds them itself (about a minute on 2 cores).
    `./bootstrap` runs this; the cluster of the embedded PostgreSQL is made on the way."""
    from framematrix.output import console
    from framematrix.run.bench import prepare as find_once

    find_once(given.onto(QUICK), console)
    console.print("prepared: a run now takes these from this install's cache", highlight=False)


def register(app: typer.Typer) -> None:
    for command in (bench, results, matrix, sweep, report, prepare, locust_worker):
        app.command(rich_help_panel=PANEL)(friendly(command))
