"""The ledger as a terminal table (fits 100 columns) and as Markdown (one cell per contestant)."""

from __future__ import annotations

from rich import box
from rich.table import Table

from framematrix.contract.ledger import Ledger, LedgerRow

CELL = "round trips / statements / transactions"


def table(ledger: Ledger) -> Table:
    """One line per request kind and contestant, grouped by request kind."""
    view = Table(
        title=f"Database work per request ({ledger.db}, {ledger.repetitions} repetitions)",
        box=box.SIMPLE_HEAD,
        caption="a-b: fewest-most over the repetitions; commands of the cheapest one",
    )
    view.add_column("request", no_wrap=True)
    view.add_column("contestant", no_wrap=True)
    for heading in ("round\ntrips", "state-\nments", "trans-\nactions", "new\nconns"):
        view.add_column(heading, justify="right", no_wrap=True)
    view.add_column("commands", overflow="fold", ratio=1)
    for request in ledger.requests:
        rows = [row for row in ledger.rows if row.request == request]
        for index, row in enumerate(rows):
            view.add_row(
                request if index == 0 else "",
                row.contestant,
                str(row.round_trips),
                str(row.statements),
                str(row.transactions),
                str(row.connections),
                ", ".join(row.trace) or "-",
                end_section=index == len(rows) - 1,
            )
    return view


def cell(row: LedgerRow | None) -> str:
    if row is None:
        return ""
    text = f"{row.round_trips} / {row.statements} / {row.transactions}"
    return text if row.connections.high == 0 else f"{text} (+{row.connections} conn)"


def markdown(ledger: Ledger) -> str:
    """A Markdown table: request kinds down, contestants across, `CELL` in each cell."""
    names = ledger.contestants
    lines = [
        f"| request ({ledger.db}: {CELL}) | " + " | ".join(names) + " |",
        "|---" * (len(names) + 1) + "|",
    ]
    for request in ledger.requests:
        cells = [cell(ledger.row(name, request)) for name in names]
        lines.append(f"| `{request}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
