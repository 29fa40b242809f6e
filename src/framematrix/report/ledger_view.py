"""The ledger as terminal tables (fit 100 columns) and as Markdown (one cell per contestant),
each with the statements run prepared and the pool each contestant used under load."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table

from framematrix.measure.ledger import POOL_CONCURRENCY, Ledger, LedgerRow
from framematrix.report.tables import markdown_table

CELL = "round trips / statements / transactions"


def table(ledger: Ledger) -> Group:
    """The counts, one line per request kind and contestant; then the commands, one line per
    request kind and sequence, since most contestants share one and it would not fit beside."""
    return Group(counts(ledger), sequences(ledger))


def counts(ledger: Ledger) -> Table:
    view = Table(
        title=f"Database work per request ({ledger.db}, {ledger.repetitions} repetitions)",
        box=box.SIMPLE_HEAD,
        caption="a-b: fewest-most over the repetitions; prepared: statements run from a "
        "prepared statement, once warm" + pools(ledger),
        caption_justify="left",
        collapse_padding=True,
        pad_edge=False,
    )
    view.add_column("request", no_wrap=True)
    view.add_column("contestant", no_wrap=True)
    for heading in (
        "round\ntrips",
        "state-\nments",
        "trans-\nactions",
        "pre-\npared",
        "new\nconns",
    ):
        view.add_column(heading, justify="right", no_wrap=True, max_width=7)
    for request in ledger.requests:
        rows = [row for row in ledger.rows if row.request == request]
        for index, row in enumerate(rows):
            view.add_row(
                request if index == 0 else "",
                row.contestant,
                str(row.round_trips),
                str(row.statements),
                str(row.transactions),
                str(row.prepared),
                str(row.connections),
                end_section=index == len(rows) - 1,
            )
    return view


def sequences(ledger: Ledger) -> Table:
    """Per request kind that runs any, each distinct sequence of commands and who sends it."""
    view = Table(
        title="The commands of each request (the cheapest repetition)",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    view.add_column("request", no_wrap=True)
    view.add_column("commands", ratio=3)
    view.add_column("contestants", ratio=2)
    for request in ledger.requests:
        senders: dict[str, list[str]] = {}
        for row in ledger.rows:
            if row.request == request:
                senders.setdefault(commands(row.trace), []).append(row.contestant)
        if list(senders) == ["-"]:
            continue
        for index, (sequence, names) in enumerate(senders.items()):
            view.add_row(
                request if index == 0 else "",
                sequence,
                ", ".join(names),
                end_section=index == len(senders) - 1,
            )
    return view


def commands(trace: tuple[str, ...]) -> str:
    """The commands in order, a run of the same one as `SELECT authors x16`."""
    runs: list[tuple[str, int]] = []
    for command in trace:
        if runs and runs[-1][0] == command:
            runs[-1] = (command, runs[-1][1] + 1)
        else:
            runs.append((command, 1))
    return ", ".join(name if n == 1 else f"{name} x{n}" for name, n in runs) or "-"


def pools(ledger: Ledger) -> str:
    """`; pool at 16 at a time: django 4, fastapi 16`: the connections each contestant's
    statements ran on while it served that many requests at once (empty for old ledgers)."""
    if not ledger.pools:
        return ""
    listed = ", ".join(f"{name} {used}" for name, used in ledger.pools.items())
    return f"; connections used at {POOL_CONCURRENCY} requests at a time: {listed}"


def cell(row: LedgerRow | None) -> str:
    if row is None:
        return ""
    text = f"{row.round_trips} / {row.statements} / {row.transactions}"
    if row.prepared.high:
        text += f", {row.prepared} prepared"
    return text if row.connections.high == 0 else f"{text} (+{row.connections} conn)"


def markdown(ledger: Ledger) -> str:
    """A Markdown table: request kinds down, contestants across, `CELL` in each cell."""
    names = ledger.contestants
    rows = [
        [f"`{request}`", *(cell(ledger.row(name, request)) for name in names)]
        for request in ledger.requests
    ]
    if ledger.pools:
        rows.append(
            [
                f"connections used at {POOL_CONCURRENCY} at a time",
                *(str(ledger.pools.get(n, "")) for n in names),
            ]
        )
    return markdown_table([f"request ({ledger.db}: {CELL})", *names], rows) + "\n"
