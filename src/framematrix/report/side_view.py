"""The side measurements (`measure.side`) as tables: cold start, install footprint, test
clients. One builder gives each table's title, head and rows; the terminal prints them with
Rich, the HTML report with its table macro."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from framematrix.measure.side import Side


@dataclass(frozen=True)
class SideTable:
    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _s(value: float | None) -> str:
    return f"{value:.2f} s" if value is not None else "—"


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
    return found


def rich_tables(side: Side) -> list[Table]:
    made = []
    for found in tables(side):
        table = Table(title=found.title, title_justify="left")
        for i, column in enumerate(found.head):
            table.add_column(column, justify="left" if i < 2 else "right")
        for row in found.rows:
            table.add_row(*row)
        made.append(table)
    return made
