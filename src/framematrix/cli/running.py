"""The measuring commands' work: a run measured under the live display, then shown, exported
or reported. `run.bench` measures; the report package shows; this module puts them in order."""

from __future__ import annotations

from dataclasses import replace

from framematrix.cli.progress import display
from framematrix.output import console, errors, print_json, write_text
from framematrix.report.results import export, show_results, trials_document
from framematrix.results import sweep
from framematrix.results.formatting import place
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import CODESIZE_FILE, Run
from framematrix.run.bench import measure
from framematrix.run.options import BenchOptions


def run_bench(
    options: BenchOptions, *, as_json: bool, title: str = "Results", show: bool = True
) -> Run:
    """Measure a run with live progress, write its exports, print its results (unless `show` is
    false: `matrix` and `sweep` print their own)."""
    out = console if not as_json else errors
    run = measure(options, display(out), out)
    for fmt, target in options.exports.items():
        if target:
            export(run, fmt, target)
    if show:
        show_results(
            run, as_json=as_json, reference=options.reference, title=title, wide=options.wide
        )
    return run


def run_matrix(options: BenchOptions, *, as_json: bool) -> None:
    """`matrix`: the run, its code sizes, report.html in the run folder, the matrix printed."""
    from framematrix.report import export as report_export
    from framematrix.report import matrix as terminal_matrix
    from framematrix.report.model import build, save_code_sizes

    run = run_bench(replace(options, side=True), as_json=as_json, title="Matrix", show=False)
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

    run = run_bench(replace(options, ledger=False), as_json=as_json, title="Sweep", show=False)
    summary = RunSummary.read(run)
    found = sweep.knees(summary.points, **rule)
    run.update_meta(sweep={"rule": rule, "knees": [k.record() for k in found]})
    if as_json:
        print_json({**trials_document(run, summary), "knees": [k.record() for k in found]})
        return run
    show_results(run, as_json=False, reference=options.reference, title="Sweep", summary=summary)
    console.print(knees_table(found, rule))
    return run
