"""`framematrix compare` for people: per load point one line per contestant (A's and B's req/s,
B against A in hyperfine's words for req/s and p95), what differs between the runs, the points
only one run has, and the points slower than `--fail-if-slower` allows. Fits 100 columns."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from framematrix.report.terminal import load_table
from framematrix.results.compare import Comparison, PointComparison
from framematrix.results.formatting import MISSING, number, relative
from framematrix.results.summary import PointSummary, Spread
from framematrix.servers import default_server
from framematrix.trials import LoadPoint


def _style(figure: Spread | None, better_above: bool) -> str:
    """Green or red only when the whole range is on one side of 1."""
    if figure is None or figure.n < 2 or figure.low <= 1 <= figure.high:
        return ""
    return "green" if (figure.low > 1) == better_above else "red"


def _who(p: PointComparison) -> str:
    """The contestant, with its server where that is not its default."""
    server = p.key.server
    named = server and server != default_server(p.key.contestant)
    return f"{p.key.who} ({server})" if named else p.key.who


def _rps(s: PointSummary) -> str:
    return MISSING if s.rps is None else number(s.rps.median, 0)


def _cell(text: str, style: str) -> str:
    return f"[{style}]{escape(text)}[/]" if style else escape(text)


def point_table(at: LoadPoint, points: list[PointComparison]) -> Table:
    table = load_table(
        f"{at.describe()}: B against A", 30, ("A req/s", "B req/s", "B req/s vs A", "B p95 vs A")
    )
    for p in points:
        table.add_row(
            escape(_who(p)),
            _rps(p.a),
            _rps(p.b),
            _cell(p.says(), _style(p.rps, True)),
            _cell(relative(p.p95, "higher", "lower"), _style(p.p95, False)),
        )
    return table


def _described(found: list[PointSummary]) -> str:
    return "; ".join(f"{s.point.who} at {s.point.at.describe()}" for s in found)


def show(c: Comparison, console: Console, pct: float | None) -> None:
    for name, run in (("A", c.a), ("B", c.b)):
        created = run.meta().get("created") or "?"
        console.print(f"[bold]{name}[/]: run {run.id} ({created})", highlight=False)
    if c.ignore:
        console.print(f"points matched on everything but {', '.join(c.ignore)}", style="dim")
    if c.changes:
        console.print("What differs between the runs (the ratios may reflect it):")
        for change in c.changes:
            console.print(
                f"  {escape(change.what)}: {escape(str(change.a))} → {escape(str(change.b))}",
                highlight=False,
            )
    groups: dict[LoadPoint, list[PointComparison]] = defaultdict(list)
    for p in c.points:
        groups[p.key.at].append(p)
    for at, points in groups.items():
        console.print()
        console.print(point_table(at, points))
    for label, found in (("only in A", c.only_a), ("only in B", c.only_b)):
        if found:
            console.print(f"[yellow]{label}:[/] {escape(_described(found))}", highlight=False)
    if pct is None:
        return
    slower = c.failing(pct)
    if not slower:
        console.print(f"[green]no point is slower than A by more than {pct:g}%[/]")
        return
    console.print(
        f"[red]{len(slower)} point(s) slower than A by more than {pct:g}% "
        "(the best case their trials allow):[/]"
    )
    for p in slower:
        console.print(
            f"  [red]{escape(_who(p))}[/] at {p.key.at.describe()}: {escape(p.says())}",
            highlight=False,
        )
