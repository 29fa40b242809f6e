"""A run's trials for people and programs: a table per load point (or the wide tables and
hyperfine's comparison lines), the `--json` document, and the `--export-*` files."""

from __future__ import annotations

import io
import json
from typing import Any

from framematrix.output import console, print_json, write_text
from framematrix.report import crossover_view, serializer_view
from framematrix.results import crossover
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import Run
from framematrix.trials import TrialResult

EXPORTS = ("json", "csv", "markdown")
"""`--export-json/-csv/-markdown FILE` (`-` for stdout), as hyperfine names them."""


def show_results(
    run: Run,
    *,
    as_json: bool,
    reference: str | None = None,
    title: str = "Results",
    wide: bool = False,
    summary: RunSummary | None = None,
) -> None:
    """Per load point a 100-column table, one line per contestant, then the warnings (`wide`:
    the full table and hyperfine's comparison lines); or the JSON document. `summary`: the
    run's, when the caller has read it already."""
    from framematrix.report.terminal import (
        compact_tables,
        comparisons,
        results_table,
        warnings_of,
    )

    summary = summary or RunSummary.read(run)
    if as_json:
        print_json(trials_document(run, summary))
        return
    results, summaries = list(summary.trials), list(summary.points)
    database = (run.meta().get("environment") or {}).get("database")
    if reference is None:  # hyperfine's rule: the first one named is the reference
        reference = next(iter(run.meta().get("plan", {}).get("contestants") or []), None)
    if wide:
        named = f"{title} — run {run.id}" + (f", {database}" if database else "")
        console.print(results_table(summaries, title=named))
        for line in comparisons(summaries, reference):
            console.print(line, highlight=False)
    else:
        console.print(
            f"[bold]{title} — run {run.id}[/]: medians of the trials (min…max), each "
            "contestant under its default server unless named"
            + (f"; database {database}" if database else ""),
            highlight=False,
        )
        for table in compact_tables(summary, reference):
            console.print(table)
            console.print()
    for line in crossover_view.lines(crossover.maps(summary)):
        console.print(line, highlight=False, soft_wrap=True)  # one sentence a line, for grep
    for line in serializer_view.said(summary):
        console.print(line, highlight=False, soft_wrap=True)
    for line in warnings_of(summaries, results):
        console.print(f"[yellow]warning:[/] {line}", highlight=False)


def trials_document(run: Run, summary: RunSummary) -> dict[str, Any]:
    """What `--json` prints: the run, every trial but its bulky encoded histogram, and the
    crossover maps of the workload series it measured (`results.crossover`)."""
    return {
        "run": run.id,
        "path": str(run.path),
        "trials": [public(t) for t in summary.trials],
        "crossover": [found.record() for found in crossover.maps(summary)],
        "serializers": serializer_view.said(summary),
    }


def export(run: Run, fmt: str, target: str) -> None:
    from framematrix.report import export as report_export
    from framematrix.report.model import build
    from framematrix.report.tabular import write_csv

    if fmt == "json":
        text = json.dumps(trials_document(run, RunSummary.read(run)), indent=2, default=str)
        text += "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(list(run.trials()), buffer)
        text = buffer.getvalue()
    else:
        text = report_export.render(build(run), "md")
    write_text(target, text)


def public(result: TrialResult) -> dict[str, Any]:
    """A trial as `--json` prints it: everything but the bulky encoded histogram."""
    data = result.to_dict()
    data.pop("histogram", None)
    return data
