"""The `framematrix` command: one Typer app; each command is a thin shell over a package.

One module per command group: `contestants` (contestants, serve, verify, db), `measure` (bench,
matrix, results, report), `compare`, `decide` (decide, ui) and `audit`. Shared options and the error
wrapper are in `common`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from framematrix import __version__
from framematrix.cli import audit, compare, contestants, decide, measure
from framematrix.output import console

app = typer.Typer(
    help="Django vs FastAPI vs Flask, re-measured on your machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"framematrix {__version__}")
        raise typer.Exit()


for group in (contestants, measure, compare, decide, audit):
    group.register(app)
