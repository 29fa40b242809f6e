"""Commands that measure and show measurements: bench, matrix, results, report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from framematrix.cli.common import (
    BrokerOption,
    CpusOption,
    DbOption,
    DeviceRateOption,
    DevicesOption,
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
    SubscribersOption,
    ThreadsOption,
    TuningOption,
    UpstreamJitterOption,
    UpstreamMsOption,
    UpstreamTimeoutOption,
    WideOption,
    WorkersOption,
    friendly,
)
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import errors, widen, write_text
from framematrix.results.formatting import place

PANEL = "Measure"


def bench(
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: the five.")
    ] = None,
    servers: ServersOption = None,
    db: DbOption = None,
    scenario: Annotated[
        str,
        typer.Option(
            help="Comma-separated scenarios (see the README: list-posts, crud, upstream, "
            "image, iot, ...)."
        ),
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
    threads: ThreadsOption = 0,
    tuning: TuningOption = "equal",
    cpus: CpusOption = None,
    load_processes: LoadProcessesOption = 0,
    upstream_ms: UpstreamMsOption = 50.0,
    upstream_jitter_ms: UpstreamJitterOption = 0.0,
    upstream_timeout: UpstreamTimeoutOption = 2.0,
    devices: DevicesOption = "100",
    device_rate: DeviceRateOption = 1.0,
    subscribers: SubscribersOption = 2,
    broker: BrokerOption = None,
    locust_workers: LocustWorkersOption = None,
    locust_remote_workers: LocustRemoteWorkersOption = 0,
    locust_master: LocustMasterOption = None,
    url: Annotated[
        str | None, typer.Option(help="Benchmark a running server instead of a contestant.")
    ] = None,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    versions: Annotated[
        list[str] | None,
        typer.Option(
            "--versions",
            help='A version set to measure in, its own environment (repeatable): "django==4.2.*"'
            ", several requirements space-separated, NAME @ URL, or a project folder.",
        ),
    ] = None,
    rerun: Annotated[
        str | None,
        typer.Option(help="Measure RUN's plan again, in a new run, with its exact versions."),
    ] = None,
    reference: ReferenceOption = None,
    export_json: ExportJson = None,
    export_csv: ExportCsv = None,
    export_markdown: ExportMarkdown = None,
    wide: WideOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Run a matrix of trials; every trial is stored the moment it finishes."""
    from framematrix.cli.running import run_bench
    from framematrix.run.options import BenchOptions

    options = BenchOptions(
        contestants=contestants, servers=servers, db=db, scenario=scenario,
        concurrency=concurrency, rate=rate, duration=duration, warmup=warmup, trials=trials,
        engine=engine, workers=workers, threads=threads, tuning=tuning, cpus=cpus,
        load_processes=load_processes, url=url, out=out, resume=resume, reference=reference,
        upstream_ms=upstream_ms, upstream_jitter_ms=upstream_jitter_ms,
        upstream_timeout=upstream_timeout, devices=devices, device_rate=device_rate,
        subscribers=subscribers, broker=broker, wide=wide,
        locust_workers=locust_workers, locust_remote_workers=locust_remote_workers,
        locust_master=locust_master, versions=tuple(versions or ()), rerun=rerun,
        exports={"json": export_json, "csv": export_csv, "markdown": export_markdown},
    )  # fmt: skip
    if wide:
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
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: all of them.")
    ] = None,
    servers: ServersOption = None,
    db: DbOption = None,
    scenario: Annotated[
        str | None,
        typer.Option(help="Scenarios; default: list-posts,crud,upstream,image (--article: crud)."),
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
    threads: ThreadsOption = 0,
    tuning: TuningOption = "equal",
    cpus: CpusOption = None,
    load_processes: LoadProcessesOption = 0,
    budget: Annotated[
        str | None,
        typer.Option(
            help="Time for more trials where a verdict is still undecided (0 = none); "
            "default 40s (--article: 60s)."
        ),
    ] = None,
    upstream_ms: UpstreamMsOption = 50.0,
    upstream_jitter_ms: UpstreamJitterOption = 0.0,
    upstream_timeout: UpstreamTimeoutOption = 2.0,
    devices: DevicesOption = "100",
    device_rate: DeviceRateOption = 1.0,
    subscribers: SubscribersOption = 2,
    broker: BrokerOption = None,
    locust_workers: LocustWorkersOption = None,
    locust_remote_workers: LocustRemoteWorkersOption = 0,
    locust_master: LocustMasterOption = None,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    wide: WideOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The article's decision matrix, measured: every contestant, the claims, an HTML report.

    Runs the comparison, prints the matrix and the verdict on each of the article's claims,
    and writes report.html into the run folder."""
    from framematrix.cli.running import run_matrix
    from framematrix.run import options as presets
    from framematrix.run.options import article_db

    if article and full:
        raise FramematrixError("--article and --full are two different matrices: choose one")
    preset = presets.ARTICLE if article else presets.FULL if full else presets.QUICK
    options = replace(
        preset,
        contestants=contestants or preset.contestants, servers=servers, db=db, rate=rate,
        scenario=scenario or preset.scenario,
        concurrency=concurrency or presets.preset_for(preset, scenario),
        duration=duration or preset.duration, warmup=warmup or preset.warmup,
        trials=trials or preset.trials, engine=engine, workers=workers, threads=threads,
        tuning=tuning, cpus=cpus, load_processes=load_processes, out=out, resume=resume,
        wide=wide, upstream_ms=upstream_ms, budget=budget or preset.budget,
        upstream_jitter_ms=upstream_jitter_ms, upstream_timeout=upstream_timeout,
        devices=devices if devices != "100" else preset.devices, device_rate=device_rate,
        subscribers=subscribers, broker=broker,
        locust_workers=locust_workers, locust_remote_workers=locust_remote_workers,
        locust_master=locust_master,
    )  # fmt: skip
    if wide:
        widen()
    if rate and not concurrency:
        options = replace(options, concurrency=None)  # a rate alone is an open-loop matrix
    if article and not resume:
        options = replace(options, db=article_db(db))
    run_matrix(options, as_json=as_json)


def sweep(
    scenario: Annotated[str, typer.Option(help="The scenario to sweep (e.g. upstream).")],
    contestants: Annotated[
        str | None, typer.Option(help="Comma-separated contestants; default: the five.")
    ] = None,
    start: Annotated[int, typer.Option("--from", min=1, help="Lowest concurrency.")] = 1,
    stop: Annotated[int, typer.Option("--to", min=1, help="Highest concurrency.")] = 1024,
    p99_target: Annotated[
        float, typer.Option(min=0.001, help="p99 the knee must stay under (ms).")
    ] = 1000.0,
    growth: Annotated[
        float,
        typer.Option(min=0.0, help="Share by which throughput must still grow per step."),
    ] = 0.10,
    servers: ServersOption = None,
    db: DbOption = None,
    duration: Annotated[str, typer.Option(help="Measured time per trial.")] = "5s",
    warmup: Annotated[str, typer.Option(help="Warm-up per trial.")] = "1s",
    trials: Annotated[int, typer.Option(min=1, help="Trials per point (interleaved).")] = 2,
    engine: EngineOption = None,
    workers: WorkersOption = 0,
    tuning: TuningOption = "equal",
    cpus: CpusOption = None,
    load_processes: LoadProcessesOption = 0,
    upstream_ms: UpstreamMsOption = 50.0,
    out: OutOption = "runs",
    resume: ResumeOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print trials and knees as JSON.")
    ] = False,
) -> None:
    """Sweep concurrency (1, 2, 4 ... 1024) and find each contestant's knee: the highest
    concurrency at which throughput still grows and p99 stays under the target."""
    from framematrix.cli.running import run_sweep
    from framematrix.results import sweep as sweeps
    from framematrix.run.options import BenchOptions

    series = ",".join(str(c) for c in sweeps.concurrencies(start, stop))
    options = BenchOptions(
        contestants=contestants, servers=servers, db=db, scenario=scenario, concurrency=series,
        duration=duration, warmup=warmup, trials=trials, engine=engine, workers=workers,
        tuning=tuning, cpus=cpus, load_processes=load_processes, upstream_ms=upstream_ms,
        out=out, resume=resume,
    )  # fmt: skip
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

    from framematrix.engines.locust_worker import serve
    from framematrix.run.bench import stop_on_sigterm
    from framematrix.run.options import parse_duration, split_list

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
    for command in (bench, results, matrix, sweep, report, locust_worker):
        app.command(rich_help_panel=PANEL)(friendly(command))
