"""The side measurements (`measure.side`) as tables: cold start, install footprint, test
clients, batteries. One builder gives each table's title, head and rows; the terminal prints
them with Rich, the HTML report with its table macro, the Markdown report as its tables."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from framematrix.measure.batteries.battery import Battery
from framematrix.measure.side import Side
from framematrix.report.tables import markdown_table

BATTERY_HEADS = {
    "openapi": "OpenAPI",
    "docs": "docs",
    "crud": "CRUD",
    "pagination": "paging",
    "filtering": "filters",
    "permissions": "perms",
    "admin": "admin",
    "authentication": "login",
    "test client": "test client",
}


@dataclass(frozen=True)
class SideTable:
    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    left: int = 2
    """Leading columns of text (left-aligned); the rest are figures."""


def _s(value: float | None) -> str:
    return f"{value:.2f} s" if value is not None else "—"


def battery_cell(found: Battery | None) -> str:
    """`yes` (served by default), `+N` (N lines switch it on) or `—`; `*` when it needs a
    package the framework does not install (named in the table of lines)."""
    if found is None:
        return "?"
    shown = {"default": "yes", "absent": "—"}.get(found.level, f"+{found.lines}")
    return shown + (" *" if found.needs else "")


def batteries_table(side: Side) -> SideTable:
    by = {(b.framework, b.battery): b for b in side.batteries}
    frameworks = list(dict.fromkeys(b.framework for b in side.batteries))
    return SideTable(
        "Batteries of minimal apps: yes served by default, +N lines switch it on, — absent, "
        "* needs a package",
        ("framework", *BATTERY_HEADS.values()),
        [(f, *(battery_cell(by.get((f, b))) for b in BATTERY_HEADS)) for f in frameworks],
        len(BATTERY_HEADS) + 1,
    )


def tables(side: Side) -> list[SideTable]:
    found = []
    if side.cold_starts:
        found.append(
            SideTable(
                "Cold start: spawn to the first answer, one worker (serverless)",
                ("contestant", "server", "median", "each start", "app import", "fresh worker RSS"),
                [
                    (
                        c.contestant,
                        c.server,
                        _s(c.median_s) if not c.error else f"failed: {c.error}",
                        ", ".join(f"{t:.2f}" for t in c.starts_s),
                        _s(c.import_s),
                        f"{c.worker_rss_mb:.0f} MB" if c.worker_rss_mb else "—",
                    )
                    for c in side.cold_starts
                ],
            )
        )
    if side.footprints:
        found.append(
            SideTable(
                "Install footprint: what each stack installs (package metadata)",
                ("contestant", "stack", "distributions", "MB"),
                [
                    (f.contestant, ", ".join(f.roots), str(f.count), f"{f.megabytes:.1f}")
                    for f in side.footprints
                ],
            )
        )
    if side.test_clients:
        found.append(
            SideTable(
                "Test clients: the contract's read checks in-process",
                ("contestant", "test client", "checks passed", "setup lines", "ms a check"),
                [
                    (
                        t.contestant,
                        t.client,
                        f"{t.passed}/{len(t.checks)}" if not t.error else f"failed: {t.error}",
                        str(t.setup_lines),
                        f"{t.ms_per_check:.0f}" if t.ms_per_check is not None else "—",
                    )
                    for t in side.test_clients
                ],
            )
        )
    if side.batteries:
        found.append(batteries_table(side))
        switched: list[tuple[str, ...]] = [
            (b.framework, b.battery, b.how, ", ".join(b.needs) or "—")
            for b in side.batteries
            if b.level == "built in" or b.needs
        ]
        if switched:
            found.append(
                SideTable(
                    "Batteries: the lines that switch them on, the packages they need",
                    ("framework", "battery", "lines", "needs"),
                    switched,
                    4,
                )
            )
    return found


def markdown(side: Side) -> list[str]:
    """Each table as a Markdown heading and table."""
    out = []
    for found in tables(side):
        out += [f"### {found.title}", "", markdown_table(found.head, found.rows), ""]
    return out


def rich_tables(side: Side) -> list[Table]:
    made = []
    for found in tables(side):
        table = Table(title=found.title, title_justify="left")
        for i, column in enumerate(found.head):
            table.add_column(column, justify="left" if i < found.left else "right", no_wrap=i == 0)
        for row in found.rows:
            table.add_row(*row)
        made.append(table)
    return made
