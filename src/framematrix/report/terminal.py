"""Rich output for people: live progress while a run works, and the results after.

The default view fits 100 columns: per load point one table, one line per contestant (req/s with
its range, the ratio to the reference with its range, p95, PSS, errors). `--wide` keeps the full
table (every percentile, CPU) and hyperfine's comparison lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rich import box
from rich.markup import escape
from rich.table import Table

from framematrix.results.formatting import MISSING, listed, number, spread, times
from framematrix.results.run_summary import RunSummary
from framematrix.results.summary import PointSummary, Spread, ratio
from framematrix.results.sweep import GROWTH, P99_TARGET_MS, Knee
from framematrix.servers import default_server
from framematrix.trials import LoadPoint, TrialResult

NOISY = 0.2
"""Trials of one point whose req/s differ by more than this share of their median are noisy."""


def errors_cell(s: PointSummary) -> str:
    """`0`, `12 (0.3%)` in red, or `2/2 failed` in red: what went wrong at a point."""
    if s.failed:
        return f"[red]{s.failed}/{s.trials} failed[/]"
    if s.errors:
        return f"[red]{s.errors:,} ({s.error_share:.1%})[/]"
    return "0"


def _median(value: Spread | None, digits: int | None = None) -> str:
    return MISSING if value is None else number(value.median, digits)


def _short_who(s: PointSummary, group: list[PointSummary]) -> str:
    """The contestant, with its server only where that is not its default or it ran under
    several: the compact view's one name column."""
    servers = {t.point.server for t in group if t.point.contestant == s.point.contestant}
    named = s.point.server and (
        len(servers) > 1 or s.point.server != default_server(s.point.contestant)
    )
    return f"{s.point.who} ({s.point.server})" if named else s.point.who


def load_table(title: str, name_width: int, columns: Iterable[str]) -> Table:
    """The compact table of one load point: the contestant's name, then right-aligned figures;
    `results` and `compare` both show their points this way."""
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    table.add_column("contestant", no_wrap=True, overflow="ellipsis", max_width=name_width)
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    return table


def compact_table(
    at: LoadPoint,
    group: list[PointSummary],
    representatives: Mapping[str, PointSummary],
    reference: str | None,
) -> Table:
    """One load point, one line per contestant (under its default server unless named), the
    reference's req/s as 1.00x (its `representatives`' figure: `RunSummary.loads`)."""
    base = representatives.get(reference or "") or (group[0] if group else None)
    base_name = _short_who(base, group) if base else MISSING
    against = f"vs {base.point.who if base else 'ref'}"
    table = load_table(
        f"{at.describe()}: req/s against {base_name}",
        34,
        ("req/s", against, "p95 ms", "PSS MB", "errors"),
    )
    ordered = sorted(group, key=lambda s: -(s.rps.median if s.rps else -1.0))
    for s in ordered:
        vs = ratio(s.rps, base.rps) if s.rps and base and base.rps else None
        table.add_row(
            escape(_short_who(s, group)),
            spread(s.rps, 0),
            times(vs),
            _median(s.p95_ms),
            _median(s.pss_mb, 0),
            errors_cell(s),
        )
    return table


def compact_tables(summary: RunSummary, reference: str | None) -> list[Table]:
    """`compact_table` for every load point, in the order they were measured."""
    return [
        compact_table(at, summary.at(at), found, reference) for at, found in summary.loads.items()
    ]


def results_table(summaries: list[PointSummary], title: str = "Results") -> Table:
    """The full table (`--wide`): every percentile, PSS and CPU, one row per point."""
    table = Table(title=title, title_justify="left")
    for column in ("contestant", "server", "scenario"):
        table.add_column(column)
    for column in (
        "load",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "PSS MB",
        "CPU s/1k",
        "trials",
        "errors",
    ):
        table.add_column(column, justify="right")
    for s in summaries:
        trials = f"{s.trials - s.failed}/{s.trials}" if s.not_applicable is None else "n/a"
        table.add_row(
            s.point.who,
            s.point.server or "",
            s.point.at.scenario,
            s.point.at.label,
            spread(s.rps, 0),
            spread(s.p50_ms, 1),
            spread(s.p95_ms, 1),
            spread(s.p99_ms, 1),
            spread(s.pss_mb, 0),
            spread(s.cpu_s_per_1k, 3),
            trials if not s.failed else f"[red]{trials}[/]",
            f"[red]{s.errors:,}[/]" if s.errors else "0",
        )
    return table


def comparisons(summaries: list[PointSummary], reference: str | None = None) -> list[str]:
    """hyperfine's closing summary, per load point: each contestant's req/s as a multiple of the
    reference's (`--reference`, else the first contestant), with the range the trials allow."""
    groups: dict[LoadPoint, list[PointSummary]] = defaultdict(list)
    for s in summaries:
        if s.rps is not None:
            groups[s.point.at].append(s)
    lines = []
    for at, group in groups.items():
        if len(group) < 2:
            continue
        servers = len({s.point.server for s in group}) > 1
        base = next((s for s in group if s.point.contestant == reference), group[0])
        assert base.rps is not None
        lines.append(
            f"[bold]{at.scenario} at {at.label}[/]: req/s against [bold]{_who(base, servers)}[/]"
        )
        for s in sorted(group, key=lambda s: -s.rps.median if s.rps else 0.0):
            if s is not base and s.rps is not None:
                lines.append(f"  {_who(s, servers)}: {times(ratio(s.rps, base.rps))}")
        failed = [
            f for f in summaries if f.rps is None and f.point.at == at and not f.not_applicable
        ]
        lines += [f"  {_who(f, servers)}: [red]no successful trial[/]" for f in failed]
    return lines


def _who(s: PointSummary, with_server: bool) -> str:
    return f"{s.point.who} ({s.point.server})" if with_server else s.point.who


def warnings_of(summaries: list[PointSummary], results: list[TrialResult]) -> list[str]:
    """Each distinct warning once, with the trials it came from."""
    lines = []
    for result in results:
        if not result.ok and result.applicable:
            lines.append(f"{result.spec.key}: FAILED — {result.reason}")
    lacking = {s.not_applicable for s in summaries if s.not_applicable}
    lines += sorted(lacking)
    points: dict[str, list[str]] = {}
    for s in summaries:
        where = f"{s.point.who}/{s.point.at.scenario}/{s.point.at.label}"
        for warning in s.warnings:
            points.setdefault(warning, []).append(where)
    for warning, where_from in points.items():
        lines.append(
            f"{where_from[0]}: {warning}"
            if len(where_from) == 1
            else f"{warning} ({len(where_from)} points: {listed(where_from)})"
        )
    for s in summaries:
        where = f"{s.point.who}/{s.point.at.scenario}/{s.point.at.label}"
        if s.rps and s.rps.n >= 2 and s.rps.relative_spread > NOISY:
            lines.append(
                f"{where}: trials differ by "
                f"{s.rps.relative_spread:.0%} in req/s — try more --trials or a longer --duration"
            )
    return lines


def knees_table(knees: list[Knee], rule: dict[str, float]) -> Table:
    """Where each curve bends: the knee, the peak, and why the sweep stopped counting."""
    target = rule.get("target_ms", P99_TARGET_MS)
    growth = rule.get("growth", GROWTH)
    table = Table(
        title=f"Knees (throughput grows > {growth:.0%} a step, p99 under {target:,.0f} ms)",
        title_justify="left",
    )
    for column in ("contestant", "scenario", "knee", "p99 ms there", "peak req/s", "why"):
        table.add_column(column, justify="right" if column != "why" else "left")
    for k in knees:
        table.add_row(
            k.contestant,
            k.scenario,
            f"c={k.concurrency}" if k.concurrency else "—",
            f"{k.p99_ms:,.1f}" if k.p99_ms is not None else "—",
            f"{k.peak_rps:,.0f} (c={k.peak_at})",
            k.why,
        )
    return table
