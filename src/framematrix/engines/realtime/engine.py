"""The realtime engine behind the load-engine seam: a trial's `LoadPlan` (its concurrency is the
device count) and the engine's own options (`RealtimeOptions`) make the `IotPlan` that
`run_iot` measures."""

from __future__ import annotations

from framematrix.engines.base import LoadEngine, LoadPlan, Measuring, Progress
from framematrix.engines.realtime.options import RealtimeOptions
from framematrix.engines.realtime.plan import IotPlan, IotResult
from framematrix.engines.realtime.run import MODULE, run_iot
from framematrix.errors import FramematrixError


class RealtimeEngine(LoadEngine):
    name = "realtime"
    processes_module = MODULE

    def __init__(self, options: RealtimeOptions | None = None) -> None:
        self.options = options or RealtimeOptions()

    def check(self, plan: LoadPlan) -> None:
        """WebSocket scenarios only, at a device count, with a plan `IotPlan` accepts."""
        self.iot_plan(plan)

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> IotResult:
        """`on_measuring()` comes first, before any connection opens: an `iot` trial measures
        the server's memory with its connections in it."""
        iot = self.iot_plan(plan)
        if on_measuring is not None:
            on_measuring()
        return run_iot(iot, on_progress)

    def iot_plan(self, plan: LoadPlan) -> IotPlan:
        if plan.scenario.over_http or plan.concurrency is None:
            raise FramematrixError(
                "the realtime engine drives WebSocket scenarios at a number of devices (the "
                f"concurrency), not scenario {plan.scenario.name!r} at a rate or over HTTP"
            )
        return IotPlan(
            base_url=plan.base_url,
            devices=plan.concurrency,
            rate_per_device=self.options.device_rate,
            subscribers=self.options.subscribers,
            duration_s=plan.duration_s,
            warmup_s=plan.warmup_s,
            cpus=plan.cpus,
            processes=plan.processes,
            server_pid=plan.server_pid,
        )
