"""The matrix in the terminal (Rich): one table per load, then the claims and code size."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table

from framematrix.report.cells import article_lines, cells
from framematrix.report.model import METRICS, Report
from framematrix.trials import LoadPoint

VERDICT_STYLE = {"holds": "green", "does not hold": "red", "cannot tell": "yellow"}


def load_table(report: Report, at: LoadPoint) -> Table:
    """One column per figure; each cell: median (min…max), then vs Django and vs raw, then the
    article's figure, so the table fits a normal terminal."""
    table = Table(title=f"{at.scenario}, {at.label}", title_justify="left", show_lines=True)
    table.add_column("contestant")
    for name in METRICS:
        table.add_column(METRICS[name][0], justify="right")
    for row in report.rows_at(at):
        s = row.summary
        failed = f"\n[red]{s.failed} failed[/]" if s.failed else ""
        errors = f"\n[red]{s.error_share:.1%} errors[/]" if s.errors else ""
        line = [f"{s.point.who}{failed}{errors}\n[dim]{s.point.server or ''}[/]"]
        for name in METRICS:
            measured, vs_django, vs_raw, article = cells(name, row.metrics[name])
            text = f"{measured}\n{vs_django} Django" + (f", {vs_raw} raw" if vs_raw != "—" else "")
            if article != "—":
                text += f"\n[dim]article {article}[/]"
            line.append(text)
        table.add_row(*line)
    return table


def claims_table(report: Report) -> Table:
    table = Table(title=f"The article's claims (judged at {report.reference or '—'})",
                  title_justify="left", show_lines=True)  # fmt: skip
    for column in ("claim", "verdict", "evidence"):
        table.add_column(column)
    for claim in report.claims:
        style = VERDICT_STYLE[claim.verdict]
        table.add_row(escape(claim.claim), f"[{style}]{claim.verdict}[/]", escape(claim.evidence))
    return table


def code_table(report: Report) -> Table:
    table = Table(title="Code size (radon: source lines, no blanks/comments/docstrings)",
                  title_justify="left")  # fmt: skip
    for column in ("contestant", "files", "source lines", "API only", "complexity mean/max",
                   "article"):  # fmt: skip
        table.add_column(column, justify="left" if column == "contestant" else "right")
    for c in report.code:
        table.add_row(c.contestant, str(c.files), f"{c.source_lines:,}",
                      f"{c.api_source_lines:,}", f"{c.complexity_mean} / {c.complexity_max}",
                      article_lines(c.contestant))  # fmt: skip
    return table


def show(report: Report, console: Console) -> None:
    console.print(Group(*(load_table(report, at) for at in report.loads())))
    console.print(claims_table(report))
    console.print(code_table(report))
