"""`framematrix audit`: security probes, graded the way the Mozilla HTTP Observatory does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from framematrix.cli.common import JsonOption, friendly
from framematrix.output import console, errors, print_json

if TYPE_CHECKING:
    from framematrix.audit.model import AuditResult


def _progress(message: str, error: str | None) -> None:
    if error is None:
        errors.print(message, style="dim", highlight=False)
    else:
        errors.print(f"[red]error:[/] {message}: {error}", highlight=False, soft_wrap=True)


def audit(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[CONTESTANT]...", help="Default: all.")
    ] = None,
    profile: Annotated[
        list[str] | None,
        typer.Option("--profile", help="default or hardened; repeatable. Default: both."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Audit a server already running there (one profile).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="embedded (the default: the embedded PostgreSQL), sqlite (a throw-away file), "
            "sqlite:///FILE or postgresql://HOST/NAME.",
        ),
    ] = None,
    server: Annotated[str | None, typer.Option(help="Server; default: each contestant's.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to merge audit.json into, after each audit.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every probe's detail.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Probe security over HTTP and grade it the way the Mozilla HTTP Observatory does."""
    from framematrix.audit import report, runner, store
    from framematrix.claims import security
    from framematrix.report.claims_ledger import security_table

    def keep(audited: AuditResult) -> None:
        if out:
            store.save(out, [audited], security.records)

    audits, failures = runner.run_audit(names or [], profile or [], url=url, db=db, server=server,
                                        on_event=_progress, on_audit=keep)  # fmt: skip
    if as_json:
        print_json(store.document(audits, security.records))
    elif audits:
        console.print(report.probe_table(audits))
        for audited in audits if verbose else ():
            console.print(report.details(audited))
        frameworks = {a.contestant for a in audits}
        verdicts = [v for v in security.evaluate(audits) if v.framework in frameworks]
        if verdicts:
            console.print(security_table(verdicts))
    if failures:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Measure")(friendly(audit))
