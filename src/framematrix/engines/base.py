"""The load-engine seam: a plan goes in, one result form comes out, whatever sends the load.

Like httpx's transports, an engine only moves load: the runner owns servers, memory sampling,
database resets and storage. Each engine is one module registered in `engines/__init__.py`:
the HTTP engines (builtin, wrk, ab, locust) and the realtime one (WebSockets, the `iot` points).
An engine with options of its own (locust's, realtime's) declares them as a frozen record of
flags (`framematrix.flags`) in its module and is made with them; the per-trial `LoadPlan` says
only what load to send. Engines turn their own failures into `MeasurementError` with one line.

One `run` covers the warm-up and the measured window. The engine calls `on_measuring()` when
the runner should start its memory sampler and server CPU counter: when the measured window
starts, not at the start of the warm-up (the realtime engine: before its connections open,
since the memory they hold is what an `iot` trial measures).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from hdrh.histogram import HdrHistogram

from framematrix.children import core_count
from framematrix.db.seed import SeedSize
from framematrix.engines import histogram as hist
from framematrix.errors import FramematrixError, MeasurementError
from framematrix.scenarios import Scenario

SATURATED = 0.9
"""An engine that used more than this share of its cores may have throttled the load."""
DEFAULT_CONNECTIONS = 16
"""Open loop: connections opened at start; more are opened while all are busy."""

SHORT_OF_CONNECTIONS = 0.9
"""A closed loop whose mean open connections fell below this share of those asked warns."""

Progress = Callable[[float, int], None]
"""Called about every quarter second with (seconds since the load started, warm-up included;
responses so far, warm-up included)."""
Measuring = Callable[[], None]
"""Called once, with no arguments, in the caller's process and thread, as close as the engine
can to the instant the measured window starts."""


class ServerPlan:
    """What every engine's plan has: the server's address, plain `http://host:port[/prefix]`,
    and the cores the engine is pinned to (None: not pinned)."""

    base_url: str
    cpus: tuple[int, ...] | None

    def check_address(self, refusal: str) -> None:
        """Raise FramematrixError, `refusal` first, unless `base_url` is plain HTTP to a host."""
        parts = urlsplit(self.base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise FramematrixError(f"{refusal} http://host:port, not {self.base_url!r}")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.base_url).port or 80

    @property
    def netloc(self) -> str:
        """What the `Host` header says."""
        return urlsplit(self.base_url).netloc

    @property
    def prefix(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    @property
    def cores(self) -> int:
        """How many cores the engine may use."""
        return core_count(self.cpus)


@dataclass(frozen=True)
class LoadPlan(ServerPlan):
    base_url: str
    """`http://host:port[/prefix]`; scenario paths are appended to it."""
    scenario: Scenario
    concurrency: int | None = None
    """Closed loop: this many connections, each sending its next request on each response."""
    rate: float | None = None
    """Open loop: requests per second in total, each timed from its intended send time."""
    duration_s: float = 10.0
    warmup_s: float = 0.0
    """Load sent before the measured window, in the same run, and not recorded."""
    seed: int = 1
    timeout_s: float = 10.0
    """A response, and (builtin) a connect, that takes longer is an error: `timeout`,
    `connect-timeout`."""
    cpus: tuple[int, ...] | None = None
    """Cores the engine is pinned to (`os.sched_setaffinity`); None: not pinned."""
    processes: int = 1
    seed_size: SeedSize = field(default_factory=SeedSize)
    """Which authors exist (1..N), for scenarios that pick a random one."""
    connection_per_request: bool = False
    """A new TCP connection for every request (`Connection: close`), like ab without -k."""
    max_connections: int = 1024
    """Open loop: the cap on connections opened while all are busy."""
    server_pid: int | None = None
    """The root of the server's process tree, when framematrix started it: an engine that
    measures the server between its phases reads it (realtime: memory per open connection)."""

    def __post_init__(self) -> None:
        if (self.concurrency is None) == (self.rate is None):
            raise FramematrixError("a load plan needs either a concurrency or a rate, not both")
        if self.concurrency is not None and self.concurrency < 1:
            raise FramematrixError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.rate is not None and self.rate <= 0:
            raise FramematrixError(f"rate must be positive, not {self.rate}")
        if self.duration_s <= 0 or self.warmup_s < 0 or self.timeout_s <= 0:
            raise FramematrixError("duration and timeout must be positive, warm-up not negative")
        if self.processes < 1:
            raise FramematrixError(f"processes must be at least 1, not {self.processes}")
        self.check_address("load engines speak plain")

    @property
    def open_loop(self) -> bool:
        return self.rate is not None


@dataclass(frozen=True)
class OpenConnections:
    """How many connections a closed loop really had open in the measured window."""

    asked: int
    mean: float
    """Weighted by time."""
    low: int
    """The fewest open for any length of time (with several load processes: the sum of each
    one's fewest, so at least this many were open throughout)."""
    peak: int
    """The most (with several load processes: the sum of each one's most, an upper bound)."""

    def shortfall(self) -> str | None:
        """The warning when the server saw clearly fewer connections than asked."""
        if self.mean >= SHORT_OF_CONNECTIONS * self.asked:
            return None
        short = self.asked - round(self.mean)
        return (
            f"only {self.mean:.0f} of the {self.asked} connections asked were open on average "
            f"in the measured window ({short} short; at least {self.low} throughout, at most "
            f"{self.peak}): the server saw less concurrency than asked"
        )


@dataclass(frozen=True)
class LoadSource:
    """One of several processes or machines that sent the load (locust's workers)."""

    name: str
    requests: int
    """Responses it received in the measured window."""
    cpu_s: float
    saturated: bool
    """It used more than SATURATED of its one core (Locust warns at 90 % too)."""


@dataclass(frozen=True)
class EngineResult:
    engine: str
    requests: int
    """Responses received in the measured window, whatever their status."""
    duration_s: float
    histogram: HdrHistogram
    """Latency of those responses in microseconds."""
    errors: dict[str, int]
    """By kind: `status:<code>` for a status the scenario does not expect; `timeout` (no
    response in `timeout_s`); `connect` (refused or failed); `connect-timeout` (not connected
    in `timeout_s`); `read` (the connection ended before the response did); `protocol` (the
    server sent what is not a response to the request outstanding)."""
    engine_cpu_s: float
    cores: int
    warnings: tuple[str, ...] = ()
    connections: OpenConnections | None = None
    """Closed loop, where the engine can see it (builtin): the connections really open."""
    sources: tuple[LoadSource, ...] = ()
    """Where the engine has several senders it can tell apart (locust): each one's share."""
    soft_rps: float | None = None
    """Where the engine weighs the responses near the window's edges (builtin, closed loop:
    `engines.builtin.window`): their rate, the trial's req/s. None: `requests / duration_s`."""

    @property
    def encoded_histogram(self) -> str:
        return hist.encode(self.histogram)

    @property
    def rps(self) -> float:
        if self.soft_rps is not None:
            return self.soft_rps
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def saturated(self) -> bool:
        """True when the engine itself may have been the bottleneck: all its cores together, or
        any one of its senders on its own."""
        if any(source.saturated for source in self.sources):
            return True
        return self.engine_cpu_s > SATURATED * self.cores * self.duration_s

    def latency_ms(self, percentile: float) -> float:
        return float(self.histogram.get_value_at_percentile(percentile)) / 1000

    @property
    def max_ms(self) -> float:
        return float(self.histogram.get_max_value()) / 1000


class LoadEngine(ABC):
    """The seam: `run` refuses an engine that cannot run here (MeasurementError, with the
    reason) and a plan it cannot run, then sends the load with the engine's own `send`."""

    name: str
    processes_module: str | None = None
    """The module its load processes run (`engines.load_processes`), for an engine of its own
    processes, which the runner starts ahead of the load; None for an external tool."""

    def available(self) -> tuple[bool, str]:
        """(True, "") when the engine can run here, else (False, why not)."""
        return True, ""

    def check(self, plan: LoadPlan) -> None:  # noqa: B027 - a hook an engine may leave as it is
        """Raise FramematrixError if this engine cannot run such a plan at all (asked before a
        run starts, so a bad combination of options costs no trial). By default: none."""

    def run(
        self,
        plan: LoadPlan,
        on_progress: Progress | None = None,
        on_measuring: Measuring | None = None,
    ) -> EngineResult:
        """Send the warm-up (`plan.warmup_s`) and then the measured window (`plan.duration_s`)
        in this one call, on the same connections where the engine can (builtin; wrk and ab
        cannot and say so in the result's warnings), calling `on_measuring()` once (see the
        module's docstring; also when there is no warm-up). The result counts the measured
        window only. Raises MeasurementError when the load cannot be sent or measured."""
        ok, why = self.available()
        if not ok:
            raise MeasurementError(why)
        self.check(plan)
        return self.send(plan, on_progress, on_measuring)

    @abstractmethod
    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        """`run`, once the engine and the plan are checked."""
