"""What the page shows of runs: the runs to choose from, a run's answer (the report's first
screen: verdicts, quality, the headline chart) and its figures with their spreads, a run's
results as tables, and two runs compared. Everything comes from the report model and the compare
module; the page only lays it out."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from framematrix.errors import FramematrixError
from framematrix.report import charts, crossover_view, sections, svg
from framematrix.report.model import Report, build
from framematrix.results.compare import compare
from framematrix.results.formatting import relative, spread, times
from framematrix.results.store import Run
from framematrix.results.summary import ratio
from framematrix.trials import LoadPoint

CACHED = 8


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


def choices(root: Path) -> list[Choice]:
    """Every run, newest first, labelled with what it measured."""
    found = []
    for run in reversed(Run.all(root)):
        try:
            plan = run.meta().get("plan") or {}
        except FramematrixError:
            continue
        what = ", ".join(plan.get("scenarios") or []) or "?"
        count = len(list(run.trials_dir.glob("*.json")))
        found.append(Choice(run.id, f"{run.id} — {what}, {count} trials"))
    return found


class Reports:
    """Reports built once per state of their run (its trial count and run.json), kept a while:
    building one may count code sizes."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, int, float], Report] = {}
        self._lock = threading.Lock()

    def of(self, run: Run) -> Report:
        key = (
            str(run.path),
            len(list(run.trials_dir.glob("*.json"))),
            (run.path / "run.json").stat().st_mtime,
        )
        with self._lock:
            if key not in self._built:
                if len(self._built) >= CACHED:
                    self._built.pop(next(iter(self._built)))
                self._built[key] = build(run)
            return self._built[key]


def run_view(report: Report) -> dict[str, Any]:
    """The answer, req/s and p95 per scenario as bars with the trials' min…max, and the
    crossover maps of the workload series the run measured."""
    palette = svg.colours(list(dict.fromkeys(row.point.who for row in report.rows)))
    bars = []
    for scenario in dict.fromkeys(at.scenario for at in report.loads()):
        rows = [row for row in report.rows if row.point.at.scenario == scenario]
        loads = list(dict.fromkeys(row.point.at.label for row in rows))
        for name, title, unit in (
            ("rps", "Throughput", "req/s"),
            ("p95_ms", "p95 latency", "p95 ms"),
        ):
            values = {
                (row.point.who, row.point.at.label): row.metrics[name].measured for row in rows
            }
            bars.append(
                charts.grouped_bars(
                    f"{title}: {scenario}", loads, list(palette), values, unit, palette
                )
            )
    return {
        **sections.first_screen(report),
        "report": report,
        "charts": [Markup(chart) for chart in bars if chart],
        "crossover": crossover_view.figures(report.crossover, palette),
    }


@dataclass(frozen=True)
class ResultRow:
    who: str
    rps: str
    vs: str
    p95: str
    errors: str


def result_tables(report: Report) -> list[tuple[LoadPoint, str, list[ResultRow]]]:
    """Per load point, one row per contestant, req/s against the first contestant named: the
    terminal's compact table as data."""
    reference = next(iter(report.plan.get("contestants") or []), None)
    found = []
    for at, representatives in report.summary.loads.items():
        group = report.summary.at(at)
        base = representatives.get(reference or "") or group[0]
        ordered = sorted(group, key=lambda s: -(s.rps.median if s.rps else -1.0))
        rows = [
            ResultRow(
                s.point.who,
                spread(s.rps, 0),
                times(ratio(s.rps, base.rps)) if s.rps and base.rps else "—",
                spread(s.p95_ms, 1),
                f"{s.failed}/{s.trials} failed" if s.failed else f"{s.errors:,}",
            )
            for s in ordered
        ]
        found.append((at, base.point.who, rows))
    return found


def comparison(root: Path, a: str, b: str, ignore: str) -> dict[str, Any]:
    """Two runs side by side, as `framematrix compare` shows them."""
    left = tuple(name.strip() for name in ignore.split(",") if name.strip())
    found = compare(Run.open(a, root), Run.open(b, root), left)
    groups: dict[LoadPoint, list[dict[str, Any]]] = defaultdict(list)
    for p in found.points:
        groups[p.key.at].append(
            {
                "who": p.key.who,
                "server": p.key.server,
                "a": spread(p.a.rps, 0),
                "b": spread(p.b.rps, 0),
                "says": p.says(),
                "verdict": p.verdict,
                "p95": relative(p.p95, "higher", "lower"),
            }
        )
    return {"comparison": found, "groups": list(groups.items())}
