"""A trial — one (contestant, server, database, scenario, load, engine) measured once — and its
result: the records every stage of the pipeline passes along."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PERCENTILES = {"p50": 50.0, "p90": 90.0, "p95": 95.0, "p99": 99.0, "p999": 99.9}


def load_label(concurrency: int | None, rate: float | None) -> str:
    """How a load point reads everywhere: `c=64` (closed loop) or `200 req/s` (open loop)."""
    return f"c={concurrency}" if concurrency is not None else f"{rate:g} req/s"


@dataclass(frozen=True)
class TrialSpec:
    contestant: str
    """A registry name, or the base URL for `--url` runs."""
    server: str | None
    scenario: str
    engine: str
    concurrency: int | None
    rate: float | None
    trial: int
    """Which repetition (0-based); trials of one point are interleaved with other contestants'."""

    @property
    def key(self) -> str:
        load = f"c{self.concurrency}" if self.concurrency is not None else f"r{self.rate:g}"
        who = self.contestant.replace("://", "-").replace("/", "-").replace(":", "-")
        return f"{who}.{self.server or 'url'}.{self.scenario}.{load}.{self.engine}.t{self.trial}"

    @property
    def point(self) -> tuple[str, str | None, str, int | None, float | None, str]:
        """Everything but the repetition: trials with the same point are aggregated."""
        return (self.contestant, self.server, self.scenario, self.concurrency, self.rate,
                self.engine)  # fmt: skip


@dataclass
class TrialResult:
    """One finished trial, as the results store keeps it and `--json` prints it."""

    contestant: str
    server: str | None
    scenario: str
    engine: str
    concurrency: int | None
    rate: float | None
    trial: int
    ok: bool
    reason: str | None = None
    db: str | None = None
    workers: int | None = None
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    histogram: str | None = None
    """HdrHistogram of latencies in microseconds, base64 of its compressed encoding."""
    errors: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    server_pss_mb: float | None = None
    server_pss_peak_mb: float | None = None
    uss_per_worker_mb: float | None = None
    server_cpu_s_per_1k: float | None = None
    engine_cpu_s: float | None = None
    engine_saturated: bool = False
    warnings: list[str] = field(default_factory=list)
    server_config: dict[str, Any] | None = None
    started_at: str | None = None

    @property
    def spec(self) -> TrialSpec:
        return TrialSpec(self.contestant, self.server, self.scenario, self.engine,
                         self.concurrency, self.rate, self.trial)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialResult:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})
