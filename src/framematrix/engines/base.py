"""The load-engine seam: a plan goes in, one result form comes out, whatever sends the requests.

Like httpx's transports, an engine only moves load: the runner owns servers, memory sampling,
database resets and storage. Each engine is one module registered in `engines/__init__.py`.
Engines turn their own failures into `MeasurementError` with one clear line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from hdrh.histogram import HdrHistogram

from framematrix.db.seed import SeedSize
from framematrix.engines import histogram as hist
from framematrix.errors import FramematrixError
from framematrix.scenarios import Scenario

SATURATED = 0.9
"""An engine that used more than this share of its cores may have throttled the load."""
DEFAULT_CONNECTIONS = 16
"""Open loop: connections opened at start; more are opened while all are busy."""

Progress = Callable[[float, int], None]
"""Called about every quarter second with (seconds since the load started, responses so far)."""


@dataclass(frozen=True)
class LoadPlan:
    base_url: str
    """`http://host:port[/prefix]`; scenario paths are appended to it."""
    scenario: Scenario
    concurrency: int | None = None
    """Closed loop: this many connections, each sending its next request on each response."""
    rate: float | None = None
    """Open loop: requests per second in total, each timed from its intended send time."""
    duration_s: float = 10.0
    warmup_s: float = 0.0
    """Load sent before the measured window and not recorded."""
    seed: int = 1
    timeout_s: float = 10.0
    cpus: tuple[int, ...] | None = None
    """Cores the engine is pinned to (`os.sched_setaffinity`); None: not pinned."""
    processes: int = 1
    seed_size: SeedSize = field(default_factory=SeedSize)
    """Which authors exist (1..N), for scenarios that pick a random one."""
    connection_per_request: bool = False
    """A new TCP connection for every request (`Connection: close`), like ab without -k."""
    max_connections: int = 1024
    """Open loop: the cap on connections opened while all are busy."""

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
        parts = urlsplit(self.base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise FramematrixError(
                f"load engines speak plain http://host:port, not {self.base_url!r}"
            )

    @property
    def open_loop(self) -> bool:
        return self.rate is not None

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
        return len(self.cpus) if self.cpus else len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class EngineResult:
    engine: str
    requests: int
    """Responses received in the measured window, whatever their status."""
    duration_s: float
    histogram: HdrHistogram
    """Latency of those responses in microseconds."""
    errors: dict[str, int]
    """`status:<code>` for a status the scenario does not expect, `timeout`, `connect`, `read`."""
    engine_cpu_s: float
    cores: int
    warnings: tuple[str, ...] = ()

    @property
    def encoded_histogram(self) -> str:
        return hist.encode(self.histogram)

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def saturated(self) -> bool:
        """True when the engine itself may have been the bottleneck."""
        return self.engine_cpu_s > SATURATED * self.cores * self.duration_s

    def latency_ms(self, percentile: float) -> float:
        return float(self.histogram.get_value_at_percentile(percentile)) / 1000

    @property
    def max_ms(self) -> float:
        return float(self.histogram.get_max_value()) / 1000


class LoadEngine(Protocol):
    name: str

    def available(self) -> tuple[bool, str]:
        """(True, "") when the engine can run here, else (False, why not)."""
        ...

    def check(self, plan: LoadPlan) -> None:
        """Raise FramematrixError if this engine cannot run such a plan at all (asked before a
        run starts, so a bad combination of options costs no trial)."""
        ...

    def run(self, plan: LoadPlan, on_progress: Progress | None = None) -> EngineResult:
        """Send the plan's load and measure it; raises MeasurementError when it cannot."""
        ...
