"""What `bench` and `matrix` share: a run created or resumed, its trials executed with live
progress (and, for `matrix`, more trials where a verdict is undecided), the ledger, and the
results shown or exported; `matrix` also writes its report."""

from __future__ import annotations

import io
import json
import signal
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from framematrix import budget, sweep
from framematrix.contestants.registry import CONTESTANTS
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError, Interrupted
from framematrix.formatting import place
from framematrix.options import BenchOptions, build_plan, parse_duration
from framematrix.output import console, errors, print_json, write_text
from framematrix.plan import BenchPlan, default_sqlite, validate
from framematrix.report.model import LEDGER_FILE
from framematrix.runner import Runner, lacked
from framematrix.store import Run
from framematrix.trials import TrialResult, TrialSpec

EXPORTS = ("json", "csv", "markdown")
"""`--export-json/-csv/-markdown FILE` (`-` for stdout), as hyperfine names them."""


def open_run(options: BenchOptions) -> tuple[Run, BenchPlan]:
    """The run to work on: resumed (its stored plan), or created from a checked plan."""
    root = Path(options.out)
    if options.resume and options.rerun:
        raise FramematrixError("give --resume or --rerun, not both")
    if options.rerun:
        return rerun(options, root)
    if options.resume:
        run = Run.open(options.resume, root)
        return run, stored_plan(run, options.db, "resumed")
    plan = build_plan(options)
    validate(plan)
    root.mkdir(parents=True, exist_ok=True)
    run = Run.create(root, {"created": _now(), "plan": {}})
    if not plan.db_url and not plan.url:
        plan = replace(plan, db_url=default_sqlite(run.path))
    return run, plan


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
    own_sqlite = plan.db_url == default_sqlite(before.path)
    if own_sqlite:
        plan = replace(plan, db_url="")
    drift = installed_drift(before) if not plan.version_sets else []
    if drift:
        errors.print(f"[yellow]warning:[/] {before.id} ran with {', '.join(drift)}: this "
                     "install differs (measure in that version set with --versions)",
                     highlight=False)  # fmt: skip
    root.mkdir(parents=True, exist_ok=True)
    run = Run.create(root, {"created": _now(), "plan": {}, "rerun_of": before.id})
    if not plan.db_url and not plan.url:
        plan = replace(plan, db_url=default_sqlite(run.path))
    return run, plan


def installed_drift(run: Run) -> list[str]:
    """`name==version` of what `run` recorded and this install has otherwise."""
    from framematrix.measure.environment import installed

    recorded: dict[str, str] = (run.meta().get("environment") or {}).get("packages") or {}
    now = installed(recorded)
    return [f"{n}=={v}" for n, v in recorded.items() if now.get(n) != v]


def run_bench(
    options: BenchOptions, *, as_json: bool, title: str = "Results", show: bool = True
) -> Run:
    """Create (or resume) a run, execute every pending trial with live progress, print results
    (unless `show` is false: `matrix` prints its own)."""
    from framematrix.report.terminal import LiveProgress

    run, plan = open_run(options)
    out = console if not as_json else errors
    runner = Runner(plan, run)
    if plan.version_sets:
        count = len(plan.version_sets)
        out.print(f"preparing {count} version-set environment{'s' * (count > 1)}", style="dim")
    environment = runner.prepare()
    plan = runner.plan  # with the version sets' exact distributions, for --resume and --rerun
    run.update_meta(plan=plan.to_dict(), environment=environment)
    for label, env in runner.envs.items():
        if env.error:
            out.print(f"[yellow]warning:[/] version set {label!r} could not be installed "
                      f"(its trials fail): {env.error}", highlight=False)  # fmt: skip
    pending = runner.pending()
    lacking = sum(lacked(spec.point) is not None for spec in pending)
    out.print(
        f"run [bold]{run.id}[/] in {place(run.path)}: {len(pending) - lacking} trials to do "
        f"(~{plan.estimated_s(len(pending) - lacking) / 60:.1f} min), engine {plan.engine}"
        + (f"; {lacking} not applicable" if lacking else ""),
        highlight=False,
    )
    stop_on_sigterm()

    def execute(specs: list[TrialSpec] | None = None) -> None:
        todo = pending if specs is None else specs
        with LiveProgress(out, len(todo), plan.estimated_s(len(todo))) as live:
            runner.progress = live.hooks()
            runner.execute(todo)

    try:
        execute()
        budget_s = parse_duration(options.budget)
        if budget_s > 0:
            spent = budget.spend(run, plan, budget_s, execute)
            run.update_meta(budget=spent.record())
            out.print(f"budget: {spent.trials} more trials in {spent.rounds} rounds "
                      f"({spent.seconds:.0f} of {budget_s:g} s) where verdicts were undecided",
                      highlight=False)  # fmt: skip
    except KeyboardInterrupt:
        done = len(run.done_keys())
        raise Interrupted(
            f"interrupted: {done} trials are saved in {place(run.path)}; "
            f"continue with `framematrix bench --resume {run.id} --out {options.out}`"
        ) from None
    if options.ledger and not plan.url and not plan.version_sets:
        record_ledger(run, plan, out)  # in this install: it would not be true of version sets
    run.update_meta(finished=_now())
    for fmt, target in options.exports.items():
        if target:
            export(run, fmt, target)
    if show:
        show_results(run, as_json=as_json, reference=options.reference, title=title,
                     wide=options.wide)  # fmt: skip
    return run


def record_ledger(run: Run, plan: BenchPlan, out: Console) -> None:
    """The database work per request of the run's contestants, on the run's database, kept
    beside its trials for the report (one repetition: the counts are exact)."""
    from framematrix.contract import ledger

    names = [name for name in plan.contestants if name in CONTESTANTS]
    if not names:
        return
    out.print(f"measuring the database work of {len(names)} contestants", style="dim")
    try:
        measured = ledger.measure(names, DatabaseURL.parse(plan.db_url), repetitions=1)
    except FramematrixError as exc:
        out.print(f"[yellow]warning:[/] no ledger for this run: {exc}", highlight=False)
        return
    run.write(LEDGER_FILE, measured.record())


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
    terminal_matrix.show(report, console, wide=options.wide)
    console.print(f"report written to {place(path)}", highlight=False, soft_wrap=True)


def run_sweep(options: BenchOptions, rule: dict[str, float], *, as_json: bool) -> Run:
    """`sweep`: the run over the concurrency series, then each contestant's knee."""
    from framematrix.report.terminal import knees_table
    from framematrix.summary import summarise

    run = run_bench(replace(options, ledger=False), as_json=as_json, title="Sweep", show=False)
    found = sweep.knees(summarise(run.trials()), **rule)
    run.update_meta(sweep={"rule": rule, "knees": [k.record() for k in found]})
    if as_json:
        print_json({**trials_document(run, list(run.trials())),
                    "knees": [k.record() for k in found]})  # fmt: skip
        return run
    show_results(run, as_json=False, reference=options.reference, title="Sweep")
    console.print(knees_table(found, rule))
    return run


def show_results(
    run: Run,
    *,
    as_json: bool,
    reference: str | None = None,
    title: str = "Results",
    wide: bool = False,
) -> None:
    """Per load point a 100-column table, one line per contestant, then the warnings (`wide`:
    the full table and hyperfine's comparison lines); or the JSON document."""
    from framematrix.report.terminal import (
        compact_tables,
        comparisons,
        results_table,
        warnings_of,
    )
    from framematrix.summary import summarise

    results = list(run.trials())
    if as_json:
        print_json(trials_document(run, results))
        return
    summaries = summarise(results)
    if reference is None:  # hyperfine's rule: the first one named is the reference
        reference = next(iter(run.meta().get("plan", {}).get("contestants") or []), None)
    if wide:
        console.print(results_table(summaries, title=f"{title} — run {run.id}"))
        for line in comparisons(summaries, reference):
            console.print(line, highlight=False)
    else:
        console.print(
            f"[bold]{title} — run {run.id}[/]: medians of the trials (min…max), each "
            "contestant under its default server unless named",
            highlight=False,
        )
        for table in compact_tables(summaries, reference):
            console.print(table)
            console.print()
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
