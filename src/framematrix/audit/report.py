"""Terminal tables for audits: probes down, contestant/profile across; every probe's detail.

The article's security claims judged from them are rendered with the other claims
(`framematrix.report.claims_ledger.security_table`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from framematrix.audit.model import AuditResult
from framematrix.audit.probes import PROBE_NAMES

MARKS = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: "[dim]n/a[/]"}


def probe_table(audits: Sequence[AuditResult]) -> Table:
    table = Table(title="Security audit (Observatory-style score)")
    table.add_column("probe")
    for audit in audits:
        table.add_column(f"{audit.contestant}\n{audit.profile}", justify="center")
    for name in PROBE_NAMES:
        cells = []
        for audit in audits:
            probe = audit.probe(name)
            modifier = audit.scored.modifiers.get(name, 0)
            mark = MARKS[probe.passed] if probe else MARKS[None]
            cells.append(f"{mark} {modifier:+d}" if modifier else mark)
        table.add_row(name, *cells)
    table.add_section()
    table.add_row("[bold]score[/]", *(f"[bold]{a.score}[/]" for a in audits))
    table.add_row("[bold]grade[/]", *(f"[bold]{a.grade}[/]" for a in audits))
    return table


def details(audit: AuditResult) -> Table:
    """Every probe's detail for one audit: what `--verbose` shows."""
    table = Table(title=f"{audit.contestant} ({audit.profile}): {audit.score} {audit.grade}")
    for column in ("probe", "result", "detail"):
        table.add_column(column, overflow="fold")
    for probe in audit.probes:
        table.add_row(probe.name, MARKS[probe.passed], probe.detail)
    return table
