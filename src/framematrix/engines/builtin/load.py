"""The load one process sends: closed loop (C connections, each a virtual user) or open loop
(requests at their scheduled times, latency counted from that time: no coordinated omission).

Warm-up and measured window are one run on the same connections: the window starts at
`start_at + warmup_s`. Closed loop records responses that arrive inside the measured window;
each of its C slots is one virtual user, connecting or connected, so a hanging connect still
holds its slot (and times out after `timeout_s`, as `connect-timeout`). Open loop records the
requests scheduled inside the window, waits a short drain for the late ones, and counts those
still unanswered as timeouts; when every connection is busy it opens more, up to a cap, and
queues the rest: their wait is part of their latency.
"""

from __future__ import annotations

import asyncio
import collections
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from framematrix.engines import histogram as hist
from framematrix.engines.base import DEFAULT_CONNECTIONS, LoadPlan
from framematrix.engines.builtin.flows import Flow, compile_steps
from framematrix.engines.builtin.gauge import ConnectionGauge
from framematrix.engines.builtin.http import Connection
from framematrix.engines.builtin.window import SoftWindow
from framematrix.engines.load_processes import process_cpu_s, sleep_until

TICK_S = 0.25
RETRY_CONNECT_S = 0.05
DRAIN_MAX_S = 2.0


@dataclass
class Share:
    """This process's part of the plan."""

    index: int
    processes: int
    start_at: float
    """`time.monotonic()` at which every process starts, warm-up first."""

    def connections(self, total: int) -> int:
        return total // self.processes + (self.index < total % self.processes)


@dataclass
class Outcome:
    requests: int = 0
    duration_s: float = 0.0
    served: float = 0.0
    """Closed loop: the responses, those near the window's edges in part (`SoftWindow`)."""
    histogram: str = ""
    errors: dict[str, int] = field(default_factory=dict)
    cpu_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    connections_asked: int = 0
    """Closed loop: this process's share of the concurrency (0: open loop)."""
    connections_mean: float = 0.0
    connections_low: int = 0
    connections_peak: int = 0


class Load:
    def __init__(self, plan: LoadPlan, share: Share, tick: Callable[[int], None]) -> None:
        self.plan = plan
        self.share = share
        self.tick = tick
        self.loop = asyncio.get_running_loop()
        self.steps = compile_steps(plan)
        self.run_token = f"{secrets.token_hex(3)}p{share.index}"
        self.success = plan.scenario.success
        self.open_loop = plan.open_loop
        self.latencies = hist.Recorder()
        self.requests = 0
        self.served = 0.0
        self.responses = 0
        self.errors: collections.Counter[str] = collections.Counter()
        self.measure_from = share.start_at + plan.warmup_s
        self.end = self.measure_from + plan.duration_s
        self.window = SoftWindow(self.measure_from, self.end, plan.warmup_s)
        self.gauge = ConnectionGauge(self.measure_from, self.end)
        self.sending = True
        self.users = 0
        self.live: set[Connection] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        # open loop
        self.idle: list[Connection] = []
        self.pending: collections.deque[float] = collections.deque()
        self.ready: collections.deque[Flow] = collections.deque()
        self.opened = 0
        self.max_connections = max(1, share.connections(plan.max_connections))

    def new_flow(self) -> Flow:
        user = self.share.index + self.users * self.share.processes
        self.users += 1
        return Flow(self.steps, self.plan, user, self.run_token)

    def in_window(self, started: float, now: float) -> bool:
        if self.open_loop:
            return self.measure_from <= started < self.end
        return self.measure_from <= now <= self.end

    # what connections report

    def completed(self, conn: Connection, status: int, body: bytes) -> None:
        now = monotonic()
        self.responses += 1
        if not self.open_loop:
            self.served += self.window.weight(now)
        if self.in_window(conn.started, now):
            self.requests += 1
            self.latencies.record(int((now - conn.started) * 1e6))
            if status not in self.success:
                self.errors[f"status:{status}"] += 1
        flow = conn.flow
        assert flow is not None
        flow.advance(status, body)
        if conn.closing or self.plan.connection_per_request:
            conn.close()
            self.replace(conn, flow)
        elif self.open_loop:
            self.ready.append(flow)
            self.dispatch(conn)
        elif self.sending and now < self.end:
            conn.send(flow)

    def failed(self, conn: Connection, kind: str) -> None:
        now = monotonic()
        if not conn.timed_out and self.in_window(conn.started, now):
            self.errors[kind] += 1
        flow = conn.flow
        assert flow is not None
        flow.advance(0, b"")
        self.replace(conn, flow)

    def lost_idle(self, conn: Connection, kind: str | None) -> None:
        if kind is not None:
            self.count_now(kind)
        if conn in self.live:
            self.forget(conn)
            if conn in self.idle:
                self.idle.remove(conn)
            if self.open_loop:
                self.opened -= 1

    def count_now(self, kind: str) -> None:
        """An error that belongs to no request: counted when it happens inside the window."""
        if self.measure_from <= monotonic() <= self.end:
            self.errors[kind] += 1

    # connections

    def forget(self, conn: Connection) -> None:
        if conn in self.live:
            self.live.discard(conn)
            self.gauge.change(-1)

    def replace(self, conn: Connection, flow: Flow) -> None:
        """The connection is gone: go on with the flow over a new one."""
        self.forget(conn)
        if self.open_loop:
            self.opened -= 1
            self.ready.append(flow)
            if self.pending and self.sending:
                self.open()
        elif self.sending and monotonic() < self.end:
            self.open(flow)

    def open(self, flow: Flow | None = None) -> None:
        if self.open_loop:
            self.opened += 1
        task = self.loop.create_task(self._connect(flow))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _connect(self, flow: Flow | None) -> None:
        """Connect (holding this slot meanwhile), retrying until connected or stopped."""
        while self.sending:
            started = monotonic()
            conn = Connection(self)
            try:
                async with asyncio.timeout(self.plan.timeout_s):
                    await self.loop.create_connection(
                        lambda conn=conn: conn,  # type: ignore[misc]  # binds this loop's conn
                        self.plan.host,
                        self.plan.port,
                    )
            except TimeoutError:  # before OSError: it is one
                self.count_now("connect-timeout")
                continue
            except OSError:
                self.count_now("connect")
                await asyncio.sleep(RETRY_CONNECT_S)
                continue
            self.live.add(conn)
            self.gauge.change(+1)
            if self.open_loop:
                self.dispatch(conn)
            elif flow is not None:
                conn.send(flow, started if self.plan.connection_per_request else None)
            return
        if self.open_loop:
            self.opened -= 1

    def dispatch(self, conn: Connection) -> None:
        """Open loop: give a free connection the oldest waiting request, or park it."""
        if self.pending:
            flow = self.ready.popleft() if self.ready else self.new_flow()
            conn.send(flow, self.pending.popleft())
        else:
            self.idle.append(conn)

    def arrive(self, intended: float) -> None:
        self.pending.append(intended)
        if self.idle:
            self.dispatch(self.idle.pop())
        elif self.opened < self.max_connections:
            self.open()

    # the run

    async def run(self) -> Outcome:
        await sleep_until(self.share.start_at)
        if self.open_loop:
            assert self.plan.rate is not None
            initial = self.share.connections(self.plan.concurrency or DEFAULT_CONNECTIONS)
            for _ in range(min(max(1, initial), self.max_connections)):
                self.open()
            self.spawn(self._arrivals(self.plan.rate / self.share.processes))
        else:
            assert self.plan.concurrency is not None
            for _ in range(self.share.connections(self.plan.concurrency)):
                self.open(self.new_flow())
        self.spawn(self._ticker())
        await sleep_until(self.measure_from)
        cpu_before = process_cpu_s()
        await sleep_until(self.end)
        cpu_s = process_cpu_s() - cpu_before
        self.gauge.finish()
        warnings = []
        if self.open_loop:
            warnings += await self._drain()
        self.sending = False
        for conn in list(self.live):
            conn.abort()
        for task in list(self.tasks):
            task.cancel()
        return Outcome(
            requests=self.requests,
            duration_s=self.end - self.measure_from,
            served=self.served,
            histogram=hist.encode(self.latencies.histogram()),
            errors=dict(self.errors),
            cpu_s=cpu_s,
            warnings=warnings,
            connections_asked=self.share.connections(self.plan.concurrency or 0),
            connections_mean=self.gauge.mean,
            connections_low=self.gauge.low or 0,
            connections_peak=self.gauge.peak,
        )

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _arrivals(self, rate: float) -> None:
        interval = 1.0 / rate
        first = self.share.start_at + self.share.index * interval / self.share.processes
        sent = 0
        while True:
            due = first + sent * interval
            if due >= self.end:
                return
            now = monotonic()
            while due <= now and due < self.end:
                self.arrive(due)
                sent += 1
                due = first + sent * interval
            if due > now:
                await asyncio.sleep(due - now)

    async def _drain(self) -> list[str]:
        deadline = self.end + min(self.plan.timeout_s, DRAIN_MAX_S)
        while monotonic() < deadline and (self.pending or any(c.busy for c in self.live)):
            await asyncio.sleep(0.01)
        unanswered = sum(self.in_window(c.started, 0) for c in self.live if c.busy)
        unanswered += sum(self.in_window(t, 0) for t in self.pending)
        if not unanswered:
            return []
        self.errors["timeout"] += unanswered
        return [
            f"{unanswered} requests were still unanswered {deadline - self.end:.1f} s after "
            f"the trial; counted as timeouts (the server is slower than --rate)"
        ]

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self.tick(self.responses)
            now = monotonic()
            for conn in list(self.live):
                if conn.busy and now - conn.sent_at > self.plan.timeout_s:
                    conn.timed_out = True
                    if self.in_window(conn.started, now):
                        self.errors["timeout"] += 1
                    conn.abort()
