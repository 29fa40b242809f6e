"""`framematrix compare RUN_A RUN_B`: the same points of two runs side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framematrix.cli.common import JsonOption, OutOption, friendly
from framematrix.output import console, print_json

PANEL = "Measure"


def compare(
    run_a: Annotated[str, typer.Argument(help="Run A (before): an id under --out, or a folder.")],
    run_b: Annotated[str, typer.Argument(help="Run B (after): an id under --out, or a folder.")],
    ignore: Annotated[
        str | None,
        typer.Option(
            help="Match points on everything but these: db, engine, server, tuning, version_set."
        ),
    ] = None,
    fail_if_slower: Annotated[
        float | None,
        typer.Option(
            min=0,
            help="Exit 1 when a point of B is slower than A by more than PCT% in req/s, even at "
            "the best its trials allow.",
            metavar="PCT",
        ),
    ] = None,
    out: OutOption = "runs",
    as_json: JsonOption = False,
) -> None:
    """B against A, point by point: "1.23x faster (1.10…1.35)", hyperfine-style."""
    from framematrix.report import compare_view
    from framematrix.results.compare import compare as compare_runs
    from framematrix.results.store import Run
    from framematrix.run.options import split_list

    root = Path(out)
    found = compare_runs(
        Run.open(run_a, root), Run.open(run_b, root), split_list(ignore, str, "--ignore")
    )
    if as_json:
        print_json(found.record(fail_if_slower))
    else:
        compare_view.show(found, console, fail_if_slower)
    if fail_if_slower is not None and found.failing(fail_if_slower):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(friendly(compare))
