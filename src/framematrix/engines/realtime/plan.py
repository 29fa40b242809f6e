"""What the realtime engine is asked to do (`IotPlan`) and what it measured (`IotResult`: an
`EngineResult`, with what only the realtime engine measures beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from hdrh.histogram import HdrHistogram

from framematrix.engines.base import EngineResult, ServerPlan
from framematrix.errors import FramematrixError


@dataclass(frozen=True)
class IotPlan(ServerPlan):
    """D devices sending R readings/s each (open loop), S subscribers on `/ws/live`."""

    base_url: str
    """`http://host:port` of the server; the engine speaks `ws://` to the same address."""
    devices: int
    rate_per_device: float
    """Readings per second each device sends, on schedule, whether or not the server keeps up."""
    subscribers: int
    duration_s: float = 10.0
    warmup_s: float = 2.0
    """Readings sent before the measured window: checked for delivery, but not timed."""
    cpus: tuple[int, ...] | None = None
    """Cores the engine's processes are pinned to; None: not pinned."""
    processes: int = 1
    server_pid: int | None = None
    """Root of the server's process tree, for memory per open connection; None: not measured."""
    connect_concurrency: int = 64
    """Handshakes in flight at once while the devices connect (a burst of thousands would only
    overflow the server's accept queue)."""
    connect_timeout_s: float = 10.0
    late_after_s: float = 1.0
    """A delivery slower than this counts as late."""
    drain_s: float = 10.0
    """After the window, at most how long subscribers wait for readings still on their way
    (they stop earlier once all have arrived, or once nothing has arrived for 5 s)."""
    reconnect: bool = True
    """Devices and subscribers whose connection breaks reconnect, with backoff."""

    def __post_init__(self) -> None:
        if self.devices < 1 or self.subscribers < 1:
            raise FramematrixError("an iot plan needs at least one device and one subscriber")
        if self.rate_per_device <= 0:
            raise FramematrixError(f"rate per device must be positive, not {self.rate_per_device}")
        if self.duration_s <= 0 or self.warmup_s < 0 or self.drain_s < 0:
            raise FramematrixError("duration must be positive, warm-up and drain not negative")
        if self.processes < 1 or self.connect_concurrency < 1:
            raise FramematrixError("processes and connect concurrency must be at least 1")
        self.check_address("the realtime engine needs")

    @property
    def ws_url(self) -> str:
        return f"ws://{self.netloc}{self.prefix}"


@dataclass(frozen=True)
class Connections:
    """Open connections and reconnects of one kind (devices or subscribers)."""

    opened: int
    """Connected during setup."""
    failed: int
    """Could not connect during setup (refused, timed out, handshake refused)."""
    reconnects: int
    """Connections that broke during the run and were opened again."""
    setup: HdrHistogram
    """Setup time in µs: TCP + WebSocket handshake (devices), up to `{"subscribed": true}`
    (subscribers)."""


@dataclass(frozen=True)
class Delivery:
    """Every (reading, subscriber) pair, accounted for."""

    expected: int
    """Readings the devices wrote to a socket, times the subscribers."""
    delivered: int
    """Arrived, counted once per subscriber."""
    duplicated: int
    out_of_order: int
    """Arrived after a later reading of the same device."""
    lost: int
    """Never arrived (by the end of the drain), with no reason the contract allows: each one
    is a failure, or a server so far behind that the drain gave up on it."""
    lost_with_connection: int
    """Never arrived, written to a device connection that then broke (a killed worker)."""
    missed_resubscribing: int
    """Published while that subscriber was reconnecting (rule R9: no replay)."""


@dataclass(frozen=True, kw_only=True)
class IotResult(EngineResult):
    """The common result form, read the realtime way: `requests` counts the readings that
    reached a subscriber during the window (per subscriber), `histogram` is their delivery
    latency in µs, from each reading's scheduled send time to its arrival at each subscriber,
    for readings scheduled in the window (queueing anywhere shows here), and `errors` counts
    `lost`, `duplicated`, `out-of-order`, `error-reply` and `connect`."""

    plan: IotPlan
    devices: Connections
    subscribers: Connections
    delivery: Delivery
    sent: int
    """Readings written to a socket, warm-up included."""
    sent_in_window: int
    delivered_in_window: int
    """Deliveries of the readings scheduled in the window (the latency histogram's count)."""
    arrived_in_window: int
    """Deliveries that arrived during the window, whenever they were scheduled."""
    late: int
    """Deliveries in the window slower than `plan.late_after_s`."""
    unsent: int
    """Readings due before the end that a device could not write (no connection, or the
    server stopped reading): the open loop's backlog."""
    error_replies: int
    """Messages the server sent a device for a valid reading: the contract sends none."""
    pss_before_mb: float | None
    """Server PSS with the subscribers connected, before any device."""
    pss_after_mb: float | None
    """Server PSS once every device had connected."""

    @property
    def rps(self) -> float:
        """Readings delivered end to end per second during the window (per subscriber,
        averaged): the rate the server sustained, however far behind it was."""
        return self.arrived_in_window / self.plan.subscribers / self.duration_s

    @property
    def deliveries_per_s(self) -> float:
        """Messages the server wrote to subscribers per second, all subscribers together."""
        return self.arrived_in_window / self.duration_s

    @property
    def offered_per_s(self) -> float:
        return self.plan.devices * self.plan.rate_per_device

    @property
    def pss_per_connection_kb(self) -> float | None:
        """Server memory per open device connection: PSS growth while they connected."""
        if self.pss_before_mb is None or self.pss_after_mb is None or not self.devices.opened:
            return None
        return (self.pss_after_mb - self.pss_before_mb) * 1024 / self.devices.opened
