"""The load one process sends: its share of the devices and subscribers, through three phases.

1. Subscribers connect and wait for `{"subscribed": true}`; the parent then samples memory.
2. Devices connect (at most `connect_concurrency` handshakes at once); memory again.
3. From the shared start instant, devices send on schedule. After the window each process says
   how many readings its devices wrote; the parent tells every process the total, and its
   subscribers wait (at most `drain_s`) until each has heard that many, then everything closes
   and the process reports.

Run as `python -m framematrix.engines.realtime.load` by `run.py` (protocol in
`engines/load_processes.py`): it answers `subscribed <n>`, `connected <n>`, `tick <deliveries>`,
`sent <n>` and `done <json>`; the parent writes `connect`, the start instant, and `expect <n>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
from collections.abc import Coroutine
from time import monotonic, time
from typing import Any

from framematrix.engines import histogram as hist
from framematrix.engines.load_processes import (
    child_payload,
    hear,
    process_cpu_s,
    run_loop,
    say,
    sleep_until,
)
from framematrix.engines.realtime.peers import Device, Subscriber
from framematrix.engines.realtime.plan import IotPlan

TICK_S = 0.25
QUIET_S = 5.0
"""During the drain, subscribers give up once nothing at all has arrived for this long."""


def share(total: int, index: int, processes: int) -> range:
    """The peers (by global index) that process `index` of `processes` runs."""
    return range(index, total, processes)


class Load:
    def __init__(self, plan: IotPlan, index: int, token: str) -> None:
        self.plan = plan
        self.index = index
        self.loop = asyncio.get_running_loop()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self.device_setup = hist.new()
        self.subscriber_setup = hist.new()
        self.latency = hist.new()
        interval = 1.0 / plan.rate_per_device
        self.devices = [
            Device(self, f"{token}-{n:05d}", n / plan.devices * interval)
            for n in share(plan.devices, index, plan.processes)
        ]
        self.subscribers = [
            Subscriber(self) for _ in share(plan.subscribers, index, plan.processes)
        ]
        self.offset = time() - monotonic()
        self.measure_from = self.end = 0.0
        self.sent_in_window = self.delivered_in_window = self.arrived_in_window = 0
        self.deliveries = self.late = 0
        self.cpu_s = 0.0

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # what the peers report

    def sent_one(self, due: float) -> None:
        if self.measure_from <= due < self.end:
            self.sent_in_window += 1

    def delivered_one(self, due_wall: float, now_wall: float) -> None:
        self.deliveries += 1
        if self.measure_from <= now_wall - self.offset < self.end:
            self.arrived_in_window += 1
        due = due_wall - self.offset
        if self.measure_from <= due < self.end:
            self.delivered_in_window += 1
            latency = now_wall - due_wall
            hist.record(self.latency, latency * 1e6)
            if latency > self.plan.late_after_s:
                self.late += 1

    # the phases

    async def connect_subscribers(self) -> int:
        results = await asyncio.gather(*(s.connect() for s in self.subscribers))
        return sum(results)

    async def connect_devices(self) -> int:
        gate = asyncio.Semaphore(max(1, self.plan.connect_concurrency // self.plan.processes))

        async def one(device: Device) -> bool:
            async with gate:
                return await device.connect()

        results = await asyncio.gather(*(one(d) for d in self.devices))
        return sum(results)

    async def send(self, start_at: float) -> int:
        """Phase 3 up to the end of the window; returns how many readings the devices wrote."""
        plan = self.plan
        self.measure_from = start_at + plan.warmup_s
        self.end = self.measure_from + plan.duration_s
        interval = 1.0 / plan.rate_per_device
        for device in self.devices:
            device.first_due += start_at
            if device.link is None and plan.reconnect:  # never connected: keep trying
                self.spawn(device.reconnect_later())
        senders = [self.loop.create_task(d.send_all(interval, self.end)) for d in self.devices]
        self.spawn(self._ticker())
        await sleep_until(self.measure_from)
        cpu_before = process_cpu_s()
        await sleep_until(self.end)
        cpu_s = process_cpu_s() - cpu_before
        await asyncio.gather(*senders)
        self.cpu_s = cpu_s
        return sum(d.sent for d in self.devices)

    async def drain(self, expected: int) -> dict[str, Any]:
        """Wait until every subscriber has heard `expected` readings, as long as readings keep
        arriving (a server far behind is still delivering), and at most `drain_s`."""
        deadline = self.end + self.plan.drain_s
        heard, progress_at = self.deliveries, monotonic()
        while monotonic() < deadline and any(s.delivered < expected for s in self.subscribers):
            await asyncio.sleep(0.02)
            if self.deliveries != heard:
                heard, progress_at = self.deliveries, monotonic()
            elif monotonic() - progress_at > QUIET_S:
                break
        self.stopping = True
        report = self.report(1.0 / self.plan.rate_per_device, self.cpu_s)
        await self._close_all()
        return report

    def report(self, interval: float, cpu_s: float) -> dict[str, Any]:
        return {
            "devices": {d.device_id: [d.sent, d.broken_ranges()] for d in self.devices},
            "tracks": [
                {name: track.report() for name, track in s.tracks.items()} for s in self.subscribers
            ],
            "away_at_end": [s.ws is None for s in self.subscribers],
            "device_setup": hist.encode(self.device_setup),
            "subscriber_setup": hist.encode(self.subscriber_setup),
            "latency": hist.encode(self.latency),
            "device_reconnects": sum(d.reconnects for d in self.devices),
            "subscriber_reconnects": sum(s.reconnects for s in self.subscribers),
            "error_replies": sum(d.error_replies for d in self.devices),
            "unsent": sum(d.due_before(interval, self.end) - d.sent for d in self.devices),
            "sent_in_window": self.sent_in_window,
            "delivered_in_window": self.delivered_in_window,
            "arrived_in_window": self.arrived_in_window,
            "late": self.late,
            "cpu_s": cpu_s,
        }

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            say(f"tick {self.deliveries}")

    async def _close_all(self) -> None:
        sockets = [d.link.ws for d in self.devices if d.link is not None]
        sockets += [s.ws for s in self.subscribers if s.ws is not None]
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        for task in list(self.tasks):
            task.cancel()


def _open_files_for(peers: int) -> None:
    """One descriptor per socket: raise the soft limit as far as the hard one allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = peers + 64
    if soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


async def _main(plan: IotPlan, index: int, token: str) -> None:
    load = Load(plan, index, token)
    _open_files_for(len(load.devices) + len(load.subscribers))
    read = load.loop.run_in_executor
    say(f"subscribed {await load.connect_subscribers()}")
    await read(None, hear)  # the parent has sampled memory
    say(f"connected {await load.connect_devices()}")
    start_at = float(await read(None, hear))
    say(f"sent {await load.send(start_at)}")
    expected = int((await read(None, hear)).removeprefix("expect "))
    say("done " + json.dumps(await load.drain(expected)))


def _child() -> None:
    try:
        plan, index, token = child_payload()
        if plan.cpus:
            os.sched_setaffinity(0, plan.cpus)
        run_loop(lambda: _main(plan, index, token))
    except Exception as exc:  # everything must reach the parent as one line
        say(f"error {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    _child()
