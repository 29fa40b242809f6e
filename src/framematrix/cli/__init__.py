"""The `framematrix` command: one Typer app; each command is a thin shell over a package.

One module per command group: `contestants` (contestants, serve, verify, db), `measure` (bench,
matrix, results, report), `compare`, `decide` (decide, ui) and `audit`. Shared options and the error
wrapper are in `common`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

try:  # typer vendors click (typer._click) in the versions framematrix is tested with
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - a typer on the real click
    from click.exceptions import (  # type: ignore[assignment]  # the same classes, from click
        ClickException,
        NoArgsIsHelpError,
    )

from framematrix import __version__
from framematrix.cli import audit, compare, contestants, decide, measure
from framematrix.output import console, errors

app = typer.Typer(
    help="Django vs FastAPI vs Flask, re-measured on your machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def options(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"framematrix {__version__}")
        raise typer.Exit()


for group in (contestants, measure, compare, decide, audit):
    group.register(app)


def main() -> None:
    """The `framematrix` command: a usage error (an unknown option, a value out of range) is
    one line and exit code 2, like every other bad input, instead of click's boxed help."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        console.print(exc.ctx.get_help() if exc.ctx else "", highlight=False)
        sys.exit(0)
    except ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        where = f"{ctx.command_path}: " if ctx is not None else ""
        errors.print(
            f"[red]error:[/] {where}{exc.format_message()}", highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except typer.Abort:
        errors.print("aborted", style="dim")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
