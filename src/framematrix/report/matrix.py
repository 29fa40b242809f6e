"""The matrix in the terminal (Rich). By default it fits 100 columns: one short table per load
(one line per contestant), the run's quality, then the verdicts last, so they are what stays on
screen when the command ends. `--wide` prints the full tables (every figure in four lines: the
median, vs Django and vs raw, the article's figure), the claims' evidence and the code size.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table

from framematrix.claims import ClaimResult
from framematrix.measure.side import Side
from framematrix.output import unicode_ok
from framematrix.report import answer, rules, side_view
from framematrix.report.cells import article_lines, cells
from framematrix.report.model import METRICS, Report
from framematrix.report.terminal import compact_tables
from framematrix.trials import LoadPoint

VERDICT_STYLE = {"holds": "green", "does not hold": "red", "cannot tell": "yellow"}
MARKS = {"holds": ("✓", "+"), "does not hold": ("✗", "x"), "cannot tell": ("?", "?")}
"""(unicode, ASCII) mark per verdict; the verdict's word is always printed beside it."""
LEVEL_STYLE = {
    "ok": ("green", "✓", "+"),
    "note": ("dim", "·", "-"),
    "warn": ("yellow", "!", "!"),
    "bad": ("red", "✗", "x"),
}
REFERENCE = "django"


def load_table(report: Report, at: LoadPoint) -> Table:
    """`--wide`: one column per figure; each cell: median (min…max), then vs Django and vs raw,
    then the article's figure."""
    table = Table(title=f"{at.scenario}, {at.label}", title_justify="left", show_lines=True)
    table.add_column("contestant")
    for name in METRICS:
        table.add_column(METRICS[name][0], justify="right")
    for row in report.rows_at(at):
        s = row.summary
        failed = f"\n[red]{s.failed} failed[/]" if s.failed else ""
        errors = f"\n[red]{s.error_share:.1%} errors[/]" if s.errors else ""
        beyond = "\n[dim]beyond the article[/]" if row.beyond_article else ""
        line = [f"{s.point.who}{failed}{errors}\n[dim]{s.point.server or ''}[/]{beyond}"]
        for name in METRICS:
            measured, vs_django, vs_raw, article = cells(name, row.metrics[name])
            text = f"{measured}\n{vs_django} Django" + (f", {vs_raw} raw" if vs_raw != "—" else "")
            if article != "—":
                text += f"\n[dim]article {article}[/]"
            line.append(text)
        table.add_row(*line)
    return table


def judged_at(report: Report) -> str:
    """Where and under which rule the claims were judged: `crud c=64 (builtin), under equal
    settings`."""
    return f"{report.reference or '—'}, {rules.judged_under(report.rules)}"


def claims_table(report: Report) -> Table:
    table = Table(
        title=f"The article's claims (judged at {judged_at(report)})",
        title_justify="left",
        show_lines=True,
    )
    head, _ = rules.table(report.claims)
    titles = head[1:] or ["verdict"]
    for column in ("claim", *titles, "evidence"):
        table.add_column(column)
    for claim in report.claims:
        by_rule = [claim.by_rule[r] for r in claim.by_rule] or [vars_of(claim)]
        verdicts = [f"[{VERDICT_STYLE[str(j['verdict'])]}]{j['verdict']}[/]" for j in by_rule]
        evidence = "\n".join(escape(str(j["evidence"])) for j in by_rule)
        table.add_row(escape(claim.claim), *verdicts, evidence)
    return table


def vars_of(claim: ClaimResult) -> dict[str, object]:
    return {"verdict": claim.verdict, "evidence": claim.evidence}


def code_table(report: Report) -> Table:
    table = Table(
        title="Code size (radon: source lines, no blanks/comments/docstrings)", title_justify="left"
    )
    for column in (
        "contestant",
        "files",
        "source lines",
        "API only",
        "complexity mean/max",
        "article",
    ):
        table.add_column(column, justify="left" if column == "contestant" else "right")
    for c in report.code:
        table.add_row(
            c.contestant,
            str(c.files),
            f"{c.source_lines:,}",
            f"{c.api_source_lines:,}",
            f"{c.complexity_mean} / {c.complexity_max}",
            article_lines(c.contestant),
        )
    return table


def side_tables(report: Report, console: Console) -> None:
    """Cold start, install footprint and test clients, where the run measured them."""
    if report.side:
        for table in side_view.rich_tables(Side.from_record(report.side)):
            console.print(table)


def verdict_grid(report: Report, console: Console) -> Table:
    """One entry per claim: mark and verdict, then the claim, its why and its confidence (wrapped
    lines stay in their column)."""
    plain = not unicode_ok(console)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    by_id = {c.id: c for c in report.claims}
    for v in answer.verdicts(report):
        style = VERDICT_STYLE[v.verdict]
        trust = [f"confidence {v.confidence}"] if v.confidence != "—" else []
        rests = "; ".join([*trust, v.rests_on] if v.rests_on else trust)
        grid.add_row(
            f"[{style}]{MARKS[v.verdict][plain]} {v.verdict}[/]",
            f"{escape(v.claim)}\n[dim]{escape(v.why)}"
            + (f" ({escape(rests)})" if rests else "")
            + "[/]",
        )
        for rule, judged in by_id[v.id].by_rule.items() if v.id in by_id else ():
            verdict = str(judged["verdict"])
            grid.add_row(
                f"  [{VERDICT_STYLE[verdict]}]{MARKS[verdict][plain]} {verdict}[/]",
                f"[dim]{escape(rules.title(rule))}[/]",
            )
    return grid


def configurations_grid(report: Report) -> Table:
    """Under each rule, the configuration each contestant reached."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for title, text in rules.configurations(report.claims):
        grid.add_row(f"[bold]{escape(title)}[/]", escape(text))
    return grid


def quality_grid(report: Report, console: Console) -> Table:
    plain = not unicode_ok(console)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in answer.quality(report):
        style, mark, ascii_mark = LEVEL_STYLE[item.level]
        grid.add_row(f"[{style}]{ascii_mark if plain else mark}[/]", escape(item.text))
    return grid


def show(report: Report, console: Console, *, wide: bool = False) -> None:
    if wide:
        console.print(Group(*(load_table(report, at) for at in report.loads())))
        console.print(claims_table(report))
        console.print(code_table(report))
        side_tables(report, console)
        return
    for table in compact_tables(report.summary, REFERENCE):
        console.print(table)
        console.print()
    beyond = sorted({row.point.contestant for row in report.rows if row.beyond_article})
    if beyond:
        console.print(
            f"[dim]Beyond the article (frameworks it does not compare): {', '.join(beyond)}[/]",
            highlight=False,
        )
        console.print()
    side_tables(report, console)
    console.print("[bold]Run quality[/]")
    console.print(quality_grid(report, console), highlight=False)
    console.print()
    console.print(f"[bold]The article's claims[/] (judged at {judged_at(report)})", highlight=False)
    console.print(verdict_grid(report, console), highlight=False)
    if len(report.rules) > 1:
        console.print(configurations_grid(report), highlight=False)
