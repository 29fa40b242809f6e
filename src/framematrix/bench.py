"""What `bench` and `matrix` share: options turned into a checked plan, a run created or
resumed, its trials executed with live progress, and (for `matrix`) the report."""

from __future__ import annotations

import io
import json
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from framematrix import scenarios
from framematrix.contestants.registry import CONTESTANTS, DEFAULT_CONTESTANTS
from framematrix.db.init import check, create_if_missing
from framematrix.db.url import DatabaseURL
from framematrix.engines import default_engine, get_engine
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import console, errors, print_json, write_text
from framematrix.runner import BenchPlan, Runner, default_sqlite, parse_cpus, validate
from framematrix.servers import SERVERS, TUNINGS, resolve
from framematrix.store import Run
from framematrix.trials import TrialResult

T = TypeVar("T")
ARTICLE_DB = "postgresql://postgres@127.0.0.1:5432/framematrix"
EXPORTS = ("json", "csv", "markdown")
"""`--export-json/-csv/-markdown FILE` (`-` for stdout), as hyperfine names them."""


@dataclass(frozen=True)
class BenchOptions:
    """The options of `bench` and `matrix` as the command line gave them (text, unparsed):
    `build_plan` checks them all before anything starts."""

    contestants: str | None = None
    servers: str | None = None
    db: str | None = None
    scenario: str = "list-posts"
    concurrency: str | None = None
    rate: str | None = None
    duration: str = "10s"
    warmup: str = "2s"
    trials: int = 3
    engine: str | None = None
    workers: int = 0
    cpus: str | None = None
    url: str | None = None
    out: str = "runs"
    resume: str | None = None
    reference: str | None = None
    exports: Mapping[str, str | None] = field(default_factory=dict)
    connection_per_request: bool = False
    tuning: str = "equal"
    """Comma-separated server tunings (`equal`, `docs`): each target is measured under each."""
    load_processes: int = 0
    """Processes of the builtin load engine; 0: one per load core."""
    locust_workers: int | None = None
    """Workers the locust engine starts here; None: one per load core."""
    locust_remote_workers: int = 0
    locust_master: str | None = None


EVERY_CONTESTANT = ",".join(CONTESTANTS)
QUICK = BenchOptions(contestants=EVERY_CONTESTANT, scenario="list-posts,crud",
                     concurrency="16,64", duration="1s", warmup="1s", trials=2)  # fmt: skip
"""`matrix` with no options: every contestant, the article's patterns as published included,
in under 3 minutes on 2 cores (56 trials of 1 s after 1 s of warm-up: wrk counts whole seconds)."""
ARTICLE = BenchOptions(contestants=EVERY_CONTESTANT, scenario="crud", concurrency="1000",
                       duration="10s", warmup="2s", trials=3,
                       connection_per_request=True)  # fmt: skip
"""`matrix --article`: the article's test setup, as far as one machine allows."""


def article_db(db: str | None) -> str:
    """The PostgreSQL database `--article` runs on, created if the server lacks it and checked
    before anything starts."""
    url = DatabaseURL.parse(db or ARTICLE_DB)
    if url.is_sqlite:
        raise FramematrixError("--article runs on PostgreSQL, as the article did: give --db "
                               "postgresql://USER@HOST/NAME")  # fmt: skip
    try:
        create_if_missing(url)
        check(url)
    except FramematrixError as exc:
        raise FramematrixError(
            f"--article needs PostgreSQL: {exc}; give --db postgresql://USER@HOST/NAME"
        ) from None
    return url.url


def split_list(text: str | None, convert: Callable[[str], T], name: str) -> tuple[T, ...]:
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


def build_plan(options: BenchOptions) -> BenchPlan:
    """A BenchPlan from the bench/matrix command-line options, checked before anything starts."""
    contestants = split_list(options.contestants, str, "--contestants") or DEFAULT_CONTESTANTS
    if not options.url:
        for name in contestants:
            resolve(name, None)
    servers = split_list(options.servers, str, "--servers")
    for server in servers:
        if server not in SERVERS:
            raise FramematrixError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
    names = split_list(options.scenario, str, "--scenario")
    for name in names:
        scenarios.get(name)
    tunings = split_list(options.tuning, str, "--tuning") or ("equal",)
    for tuning in tunings:
        if tuning not in TUNINGS:
            raise FramematrixError(f"unknown tuning {tuning!r}; known: {', '.join(TUNINGS)}")
    concurrencies = split_list(options.concurrency, int, "--concurrency")
    rates = split_list(options.rate, float, "--rate")
    if any(c < 1 for c in concurrencies) or any(r <= 0 for r in rates):
        raise FramematrixError("--concurrency and --rate must be positive")
    if not concurrencies and not rates:
        concurrencies = (16, 64, 256)
    engine = options.engine or default_engine()
    get_engine(engine)
    check_locust_options(options, engine)
    server_cpus, load_cpus = parse_cpus(options.cpus)
    db_url = options.db or ""
    if db_url and not options.url:
        DatabaseURL.parse(db_url)
    return BenchPlan(
        contestants=contestants,
        servers=servers,
        scenarios=names,
        concurrencies=concurrencies,
        rates=rates,
        engine=engine,
        db_url=db_url,
        duration_s=parse_duration(options.duration),
        warmup_s=parse_duration(options.warmup),
        trials=options.trials,
        workers=options.workers,
        server_cpus=server_cpus,
        load_cpus=load_cpus,
        url=options.url,
        connection_per_request=options.connection_per_request,
        tunings=tunings,
        load_processes=options.load_processes,
        locust_workers=options.locust_workers,
        locust_remote_workers=options.locust_remote_workers,
        locust_master=options.locust_master or "",
    )


def check_locust_options(options: BenchOptions, engine: str) -> None:
    """The `--locust-*` options belong to `--engine locust`; its master address is checked."""
    given = [name for name, value in (
        ("--locust-workers", options.locust_workers is not None),
        ("--locust-remote-workers", options.locust_remote_workers),
        ("--locust-master", options.locust_master),
    ) if value]  # fmt: skip
    if given and engine != "locust":
        raise FramematrixError(f"{', '.join(given)} apply to --engine locust only")
    if options.locust_master:
        from framematrix.engines.locust import parse_master

        parse_master(options.locust_master)


def open_run(options: BenchOptions) -> tuple[Run, BenchPlan]:
    """The run to work on: resumed (its stored plan), or created from a checked plan."""
    root = Path(options.out)
    if options.resume:
        run = Run.open(options.resume, root)
        stored = run.meta().get("plan") or {}
        if not stored:
            raise FramematrixError(f"run {run.id} has no plan: it cannot be resumed")
        if "***" in (stored.get("db_url") or "") and not options.db:
            raise FramematrixError(
                "this run's database URL has a password: give it again with --db"
            )
        return run, BenchPlan.from_dict(stored, db_url=options.db)
    plan = build_plan(options)
    validate(plan)
    root.mkdir(parents=True, exist_ok=True)
    run = Run.create(root, {"created": _now(), "plan": {}})
    if not plan.db_url and not plan.url:
        plan = replace(plan, db_url=default_sqlite(run.path))
    return run, plan


def run_bench(
    options: BenchOptions, *, as_json: bool, title: str = "Results", show: bool = True
) -> Run:
    """Create (or resume) a run, execute every pending trial with live progress, print results
    (unless `show` is false: `matrix` prints its own)."""
    from framematrix.report.terminal import LiveProgress

    run, plan = open_run(options)
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
        raise Interrupted(
            f"interrupted: {done} trials are saved in {run.path}; "
            f"continue with `framematrix bench --resume {run.id} --out {options.out}`"
        ) from None
    run.update_meta(finished=_now())
    for fmt, target in options.exports.items():
        if target:
            export(run, fmt, target)
    if show:
        show_results(run, as_json=as_json, reference=options.reference, title=title)
    return run


def run_matrix(options: BenchOptions, *, as_json: bool) -> None:
    """`matrix`: the run, its code sizes, report.html in the run folder, the matrix printed."""
    from framematrix.report import export as report_export
    from framematrix.report import matrix as terminal_matrix
    from framematrix.report.model import CODESIZE_FILE, build, save_code_sizes

    run = run_bench(options, as_json=as_json, title="Matrix", show=False)
    if not (run.path / CODESIZE_FILE).exists():
        names = run.meta().get("plan", {}).get("contestants")
        save_code_sizes(run, tuple(names) if names else None)
    report = build(run)
    path = run.path / "report.html"
    path.write_text(report_export.render(report, "html"), encoding="utf-8")
    if as_json:
        write_text("-", report_export.render(report, "json"))
        return
    terminal_matrix.show(report, console)
    console.print(f"report written to {path}", highlight=False)


def show_results(
    run: Run, *, as_json: bool, reference: str | None = None, title: str = "Results"
) -> None:
    """The results table, hyperfine's comparison lines and the warnings; or the JSON document."""
    from framematrix.report.terminal import comparisons, results_table, warnings_of
    from framematrix.summary import summarise

    results = list(run.trials())
    if as_json:
        print_json(trials_document(run, results))
        return
    summaries = summarise(results)
    if reference is None:  # hyperfine's rule: the first one named is the reference
        reference = next(iter(run.meta().get("plan", {}).get("contestants") or []), None)
    console.print(results_table(summaries, title=f"{title} — run {run.id}"))
    for line in comparisons(summaries, reference):
        console.print(line, highlight=False)
    for line in warnings_of(summaries, results):
        console.print(f"[yellow]warning:[/] {line}", highlight=False)


def trials_document(run: Run, results: list[TrialResult]) -> dict[str, Any]:
    """What `--json` prints: the run and every trial but its bulky encoded histogram."""
    return {"run": run.id, "path": str(run.path), "trials": [public(t) for t in results]}


def export(run: Run, fmt: str, target: str) -> None:
    from framematrix.report import export as report_export
    from framematrix.report.model import build
    from framematrix.report.tabular import write_csv

    results = list(run.trials())
    if fmt == "json":
        text = json.dumps(trials_document(run, results), indent=2, default=str) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(results, buffer)
        text = buffer.getvalue()
    else:
        text = report_export.render(build(run), "md")
    write_text(target, text)


def public(result: TrialResult) -> dict[str, Any]:
    """A trial as `--json` prints it: everything but the bulky encoded histogram."""
    data = result.to_dict()
    data.pop("histogram", None)
    return data


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stop_on_sigterm() -> None:
    """SIGTERM behaves like Ctrl-C: servers are stopped and finished trials kept."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
