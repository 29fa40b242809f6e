"""What `bench` and `matrix` share: options turned into a checked plan, a run created or
resumed, and its trials executed with live progress."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from framematrix.contestants.registry import CONTESTANTS
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import console, errors, print_json, write_text

EVERY_CONTESTANT = ",".join(CONTESTANTS)
QUICK = {"contestants": EVERY_CONTESTANT, "scenario": "list-posts,crud", "concurrency": "16,64",
         "duration": "1s", "warmup": "1s", "trials": 2}  # fmt: skip
"""`matrix` with no options: every contestant, the article's patterns as published included,
in under 3 minutes on 2 cores (56 trials of 1 s after 1 s of warm-up: wrk counts whole seconds)."""
ARTICLE = {"contestants": EVERY_CONTESTANT, "scenario": "crud", "concurrency": "1000",
           "duration": "10s", "warmup": "2s", "trials": 3}  # fmt: skip
"""`matrix --article`: the article's test setup, as far as one machine allows."""
ARTICLE_DB = "postgresql://postgres@127.0.0.1:5432/framematrix"


def article_db(db: str | None) -> str:
    """The PostgreSQL database `--article` runs on, created if the server lacks it and checked
    before anything starts."""
    from framematrix.db.init import check, create_if_missing

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
    from framematrix.report.terminal import LiveProgress
    from framematrix.runner import BenchPlan, Runner, default_sqlite, validate
    from framematrix.store import Run

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
        raise Interrupted(
            f"interrupted: {done} trials are saved in {run.path}; "
            f"continue with `framematrix bench --resume {run.id} --out {root}`"
        ) from None
    run.update_meta(finished=_now())
    for fmt, target in options.get("exports", {}).items():
        if target:
            export(run, fmt, target)
    if show:
        show_results(run, as_json=as_json, reference=options.get("reference"), title=title)
    return run


def show_results(
    run: Any, *, as_json: bool, reference: str | None = None, title: str = "Results"
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


def trials_document(run: Any, results: list[Any]) -> dict[str, Any]:
    """What `--json` prints: the run and every trial but its bulky encoded histogram."""
    return {"run": run.id, "path": str(run.path), "trials": [public(t) for t in results]}


EXPORTS = ("json", "csv", "markdown")
"""`--export-json/-csv/-markdown FILE` (`-` for stdout), as hyperfine names them."""


def export(run: Any, fmt: str, target: str) -> None:
    import io
    import json

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


def public(result: Any) -> dict[str, Any]:
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
