"""What `bench`, `matrix` and `sweep` share: a run created or resumed, its trials executed with
live progress (and more trials where a verdict is undecided, when a budget is given), the
database-work ledger beside them. Showing and exporting the results is the report's part."""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from framematrix.contestants.registry import CONTESTANTS
from framematrix.db import broker
from framematrix.db.choice import SQLITE, Opened, opened
from framematrix.db.embedded_broker import EmbeddedBroker
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError, Interrupted
from framematrix.output import errors
from framematrix.results.formatting import place
from framematrix.results.store import LEDGER_FILE, Run
from framematrix.run import budget, install_cache, tuning
from framematrix.run.options import BenchOptions, parse_duration
from framematrix.run.plan import BenchPlan, default_sqlite, lacked
from framematrix.run.runner import Progress, Runner
from framematrix.run.security_audit import record_audit
from framematrix.run.validation import build_plan, validate
from framematrix.trials import TrialSpec

if TYPE_CHECKING:
    from framematrix.measure.batteries.battery import Battery


def open_run(options: BenchOptions) -> tuple[Run, BenchPlan]:
    """The run to work on: resumed (its stored plan), or created from a checked plan. Every
    plan is validated here, once, and a new run's before its folder is created."""
    root = Path(options.out)
    if options.resume and options.rerun:
        raise FramematrixError("give --resume or --rerun, not both")
    if options.rerun:
        return rerun(options, root)
    if options.resume:
        run = Run.open(options.resume, root)
        plan = stored_plan(run, options.db, "resumed")
        validate(plan)
        return run, plan
    plan = build_plan(options)
    validate(plan)
    root.mkdir(parents=True, exist_ok=True)
    run = Run.create(root, {"created": _now(), "plan": {}})
    return run, _own_sqlite(plan, run)


def _own_sqlite(plan: BenchPlan, run: Run) -> BenchPlan:
    """`--db sqlite`: a SQLite file of the run's own, in its folder."""
    return replace(plan, db_url=default_sqlite(run.path)) if plan.db_url == SQLITE else plan


def stored_plan(run: Run, db: str | None, how: str) -> BenchPlan:
    """The plan `run` keeps, for `--resume` or `--rerun`; `db` replaces a redacted URL."""
    stored = run.meta().get("plan") or {}
    if not stored:
        raise FramematrixError(f"run {run.id} has no plan: it cannot be {how}")
    if "***" in (stored.get("db_url") or "") and not db:
        raise FramematrixError("this run's database URL has a password: give it again with --db")
    return BenchPlan.from_dict(stored, db_url=db)


def rerun(options: BenchOptions, root: Path) -> tuple[Run, BenchPlan]:
    """`--rerun RUN`: a new run with RUN's stored plan, each version set installed from its
    recorded distributions; RUN's own SQLite file is not reused, the new run gets its own."""
    before = Run.open(options.rerun or "", root)
    plan = stored_plan(before, options.db, "rerun")
    if plan.db_url == default_sqlite(before.path):
        plan = replace(plan, db_url=SQLITE)
    validate(plan)
    drift = installed_drift(before) if not plan.version_sets else []
    if drift:
        errors.print(
            f"[yellow]warning:[/] {before.id} ran with {', '.join(drift)}: this "
            "install differs (measure in that version set with --versions)",
            highlight=False,
        )
    root.mkdir(parents=True, exist_ok=True)
    run = Run.create(root, {"created": _now(), "plan": {}, "rerun_of": before.id})
    return run, _own_sqlite(plan, run)


def installed_drift(run: Run) -> list[str]:
    """`name==version` of what `run` recorded and this install has otherwise."""
    from framematrix.measure.environment import installed

    recorded: dict[str, str] = (run.meta().get("environment") or {}).get("packages") or {}
    now = installed(recorded)
    return [f"{n}=={v}" for n, v in recorded.items() if now.get(n) != v]


Display = Callable[[int, float], AbstractContextManager[Progress]]
"""Opens the live display for a number of trials and their estimated seconds; the runner
reports to the hooks it yields (the CLI's Rich progress bar)."""


def measure(options: BenchOptions, display: Display, out: Console) -> Run:
    """Create (or resume) a run and execute every pending trial with live progress, then the
    budget's extra trials and the ledger, on the run's database (the embedded PostgreSQL runs
    for as long as this does); the run, finished."""
    run, plan = open_run(options)
    stop_on_sigterm()
    try:
        with _database(plan, run) as database, _broker(plan) as broker:
            _measure(run, plan, database, broker, options, display, out)
    except KeyboardInterrupt:
        done = len(run.done_keys())
        raise Interrupted(
            f"interrupted: {done} trials are saved in {place(run.path)}; "
            f"continue with `framematrix bench --resume {run.id} --out {options.out}`"
        ) from None
    run.update_meta(finished=_now())
    return run


def _database(plan: BenchPlan, run: Run) -> AbstractContextManager[Opened | None]:
    if plan.url:
        return nullcontext(None)
    return opened(plan.db_url, sqlite_file=run.path / "blog.db", cpus=plan.db_cpus)


@contextmanager
def _broker(plan: BenchPlan) -> Iterator[EmbeddedBroker | None]:
    """The embedded broker of a realtime run that was given none, for as long as the run."""
    if not plan.realtime_points or plan.url or broker.given(plan.realtime.broker_url):
        yield None
        return
    with EmbeddedBroker(plan.db_cpus) as server:
        yield server


def _measure(
    run: Run,
    plan: BenchPlan,
    database: Opened | None,
    embedded: EmbeddedBroker | None,
    options: BenchOptions,
    display: Display,
    out: Console,
) -> None:
    runner = Runner(plan, run, database, broker_url=embedded.url if embedded else None)
    if plan.version_sets:
        count = len(plan.version_sets)
        out.print(f"preparing {count} version-set environment{'s' * (count > 1)}", style="dim")
    environment = runner.prepare()
    if embedded is not None:
        environment["broker_server"] = embedded.record()
    runner.plan = tuning.resolve_best(runner, lambda line: out.print(line, highlight=False))
    plan = runner.plan  # with the version sets' exact distributions and the best configurations
    run.update_meta(plan=plan.to_dict(), environment=environment)
    for label, env in runner.envs.items():
        if env.error:
            out.print(
                f"[yellow]warning:[/] version set {label!r} could not be installed "
                f"(its trials fail): {env.error}",
                highlight=False,
            )
    pending = runner.pending()
    lacking = sum(lacked(spec.point) is not None for spec in pending)
    out.print(
        f"run [bold]{run.id}[/] in {place(run.path)}: {len(pending) - lacking} trials to do "
        f"(~{plan.estimated_s(len(pending) - lacking) / 60:.1f} min), engine {plan.engine}, "
        f"{environment.get('database', 'no database')}"
        + (f"; {lacking} not applicable" if lacking else ""),
        highlight=False,
    )

    def execute(specs: list[TrialSpec] | None = None) -> None:
        todo = pending if specs is None else specs
        with display(len(todo), plan.estimated_s(len(todo))) as hooks:
            runner.progress = hooks
            runner.execute(todo)

    execute()
    budget_s = parse_duration(options.budget)
    if budget_s > 0:
        spent = budget.spend(run, plan, budget_s, execute)
        run.update_meta(budget=spent.record())
        out.print(
            f"budget: {spent.trials} more trials in {spent.looks - 1} more looks "
            f"({spent.seconds:.0f} of {budget_s:g} s) where verdicts were undecided",
            highlight=False,
        )
    if options.ledger and database is not None and not plan.version_sets:
        record_ledger(run, plan, database.url, out)  # this install's: not the version sets'
    if options.audit and database is not None and not plan.version_sets:
        record_audit(run, plan, database.url, _db_server(run), out)  # nothing is being timed
    if options.side and database is not None:
        record_side(run, plan, database.url, out)


def record_side(run: Run, plan: BenchPlan, db: DatabaseURL, out: Console) -> None:
    """Cold start, footprint and test clients of the run's contestants (`measure.side`), once
    the trials are done, in this install, on the run's database, on the run's cores (the
    server's and the load's, both free now); the batteries from the install's cache where they
    were probed with the same code and versions, since nothing about them is timed."""
    from framematrix.measure import side

    names = [name for name in plan.contestants if name in CONTESTANTS]
    found = side.measure(
        names,
        db.url,
        cores=(*(plan.server_cpus or ()), *(plan.load_cpus or ())) or None,
        probe=kept_batteries,
        say=lambda what: out.print(f"beside the trials: {what}", style="dim", highlight=False),
    )
    run.write(side.FILE, found.record())


def kept_batteries(family: str) -> list[Battery]:
    """One family's batteries, taken from the install's cache where they were probed with the
    same code and versions."""
    from framematrix.measure.batteries import battery

    versions = {k: v for spec in CONTESTANTS.values() for k, v in spec.versions().items()}
    found, _ = install_cache.kept(
        "batteries",
        family,
        install_cache.key(("measure",), versions=versions),
        lambda: battery.measure(family),
        record=lambda rows: [row.record() for row in rows],
        from_record=lambda rows: [battery.Battery.from_record(row) for row in rows],
    )
    return found


def prepare(options: BenchOptions, out: Console) -> None:
    """Find now what a run of `options` finds once per install (`framematrix prepare`, which
    `./bootstrap` runs): the embedded database's cluster, the ledger's counts and the audits on
    it, the batteries. A scratch run in a temporary folder holds what they need and goes with
    it; the findings stay in the install's cache, where the next run takes them from."""
    from framematrix.measure.batteries.battery import FAMILIES

    with tempfile.TemporaryDirectory(prefix="framematrix-prepare-") as scratch:
        run, plan = open_run(replace(options, out=scratch, resume=None, rerun=None))
        with _database(plan, run) as database:
            runner = Runner(plan, run, database)
            try:
                run.update_meta(environment=runner.prepare())
            finally:
                runner.close()
            if database is not None and options.ledger:
                record_ledger(run, plan, database.url, out)
            if database is not None and options.audit:
                record_audit(run, plan, database.url, _db_server(run), out)
    out.print("the frameworks' batteries: probed, or taken from this install's cache", style="dim")
    for family in FAMILIES:
        kept_batteries(family)


def record_ledger(run: Run, plan: BenchPlan, db: DatabaseURL, out: Console) -> None:
    """The database work per request of the run's contestants, on the run's database, kept
    beside its trials for the report (one repetition: the counts are exact), each contestant's
    taken from the install's cache where it was counted with the same code and versions."""
    from framematrix.run import ledger_cache

    names = [name for name in plan.contestants if name in CONTESTANTS]
    if not names:
        return
    server = _db_server(run)
    out.print(
        f"the database work of {len(names)} contestants: counted, or taken from this "
        "install's cache",
        style="dim",
    )
    try:
        measured, cached = ledger_cache.measured(names, db, server, repetitions=1)
    except FramematrixError as exc:
        out.print(f"[yellow]warning:[/] no ledger for this run: {exc}", highlight=False)
        return
    run.write(LEDGER_FILE, {**measured.record(), "cached": cached})


def _db_server(run: Run) -> str:
    """The run's database server, as the install's cache keys its findings: `PostgreSQL 18.6`."""
    return str((run.meta().get("environment") or {}).get("database", "")).removesuffix(
        " (embedded)"
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stop_on_sigterm() -> None:
    """SIGTERM behaves like Ctrl-C: servers are stopped and finished trials kept."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
