"""builtin: the pure-Python engine, always available.

asyncio (with uvloop when installed) over raw HTTP/1.1 keep-alive connections parsed by llhttp
(httptools), in one or more processes; closed loop or open loop with coordinated-omission-correct
latency. Warm-up and measured window run on the same connections; a closed loop's rate counts the
responses near the window's edges in part (`window.py`). Each process measures its own CPU time,
so a trial where the engine itself ran out of CPU is flagged.
"""

from __future__ import annotations

from framematrix.engines import histogram as hist
from framematrix.engines.base import (
    EngineResult,
    LoadEngine,
    LoadPlan,
    Measuring,
    OpenConnections,
    Progress,
)
from framematrix.engines.builtin.load import Outcome
from framematrix.engines.builtin.processes import MODULE, run_processes
from framematrix.engines.builtin.window import SoftWindow


class BuiltinEngine(LoadEngine):
    name = "builtin"
    """Always available, and every scenario, closed or open loop: nothing to refuse."""
    processes_module = MODULE

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        outcomes = run_processes(plan, on_progress, on_measuring)
        errors: dict[str, int] = {}
        for outcome in outcomes:
            for kind, count in outcome.errors.items():
                errors[kind] = errors.get(kind, 0) + count
        warnings = list(dict.fromkeys(w for outcome in outcomes for w in outcome.warnings))
        connections = _open_connections(outcomes) if plan.concurrency and not plan.rate else None
        if connections is not None and (short := connections.shortfall()) is not None:
            warnings.append(short)
        try:
            import uvloop  # noqa: F401
        except ImportError:
            warnings.append("uvloop is not installed: the builtin engine runs on plain asyncio")
        return EngineResult(
            engine=self.name,
            requests=sum(outcome.requests for outcome in outcomes),
            duration_s=max(outcome.duration_s for outcome in outcomes),
            histogram=hist.merge(outcome.histogram for outcome in outcomes),
            errors=errors,
            engine_cpu_s=sum(outcome.cpu_s for outcome in outcomes),
            cores=min(plan.processes, plan.cores),
            warnings=tuple(warnings),
            connections=connections,
            soft_rps=None if plan.open_loop else _soft_rps(plan, outcomes),
        )


def _soft_rps(plan: LoadPlan, outcomes: list[Outcome]) -> float:
    """The processes' soft-edged counts over the window they share (an open loop's requests are
    the ones scheduled in the window: no count that jumps at its edges)."""
    length = SoftWindow(0.0, plan.duration_s, plan.warmup_s).length_s
    return sum(outcome.served for outcome in outcomes) / length


def _open_connections(outcomes: list[Outcome]) -> OpenConnections:
    """The processes' gauges added up: the means exactly, the lows and peaks as bounds."""
    return OpenConnections(
        asked=sum(outcome.connections_asked for outcome in outcomes),
        mean=sum(outcome.connections_mean for outcome in outcomes),
        low=sum(outcome.connections_low for outcome in outcomes),
        peak=sum(outcome.connections_peak for outcome in outcomes),
    )
