"""A trial — one contestant, under one server, at one load point, measured once — and its result:
the records every stage of the pipeline passes along.

A trial's identity is defined here and nowhere else: `LoadPoint` is where contestants are
compared (the same scenario, database, engine and concurrency or rate), `TrialPoint` is one
contestant under one server at a load point (trials of one point are aggregated), and `TrialSpec`
is one repetition of a point.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

PERCENTILES = {"p50": 50.0, "p90": 90.0, "p95": 95.0, "p99": 99.0, "p999": 99.9}


def load_label(concurrency: int | None, rate: float | None) -> str:
    """How a load reads everywhere: `c=64` (closed loop) or `200 req/s` (open loop)."""
    return f"c={concurrency}" if concurrency is not None else f"{rate:g} req/s"


@dataclass(frozen=True)
class LoadPoint:
    """Where contestants are compared: what they all ran, on what, driven how hard."""

    scenario: str
    db: str | None
    """The database kind (`sqlite`, `postgresql`); None for a server framematrix did not start."""
    engine: str
    concurrency: int | None
    rate: float | None

    @property
    def label(self) -> str:
        return load_label(self.concurrency, self.rate)

    def describe(self) -> str:
        """`crud c=64 (wrk)`: how verdicts and reports name the point they were judged at."""
        return f"{self.scenario} {self.label} ({self.engine})"


@dataclass(frozen=True)
class TrialPoint:
    """One contestant under one server (with one tuning of its settings) at one load point."""

    contestant: str
    """A registry name, or the base URL for `--url` runs."""
    server: str | None
    at: LoadPoint
    tuning: str = "equal"
    """Whose worker and thread counts the server ran with (`framematrix.servers.TUNINGS`)."""

    @property
    def who(self) -> str:
        """`django`, or `django (docs)` for a tuning other than the default."""
        return self.contestant if self.tuning == "equal" else f"{self.contestant} ({self.tuning})"


@dataclass(frozen=True)
class TrialSpec:
    point: TrialPoint
    trial: int
    """Which repetition (0-based); trials of one point are interleaved with other contestants'."""

    @property
    def key(self) -> str:
        """The trial's file name in the results store: `--resume` skips the keys it finds."""
        at = self.point.at
        load = f"c{at.concurrency}" if at.concurrency is not None else f"r{at.rate:g}"
        who = self.point.contestant.replace("://", "-").replace("/", "-").replace(":", "-")
        server = self.point.server or "url"
        if self.point.tuning != "equal":  # runs made before tunings keep their trials' names
            server += f"-{self.point.tuning}"
        return f"{who}.{server}.{at.scenario}.{load}.{at.engine}.t{self.trial}"


@dataclass
class TrialResult:
    """One finished trial. Stored and printed (`--json`) as one flat record; see `to_dict`."""

    spec: TrialSpec
    ok: bool
    reason: str | None = None
    applicable: bool = True
    """False when the contestant lacks the scenario's part of the contract: nothing was
    measured, and the trial counts as neither a success nor a failure."""
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
    workers_pss_mb: float | None = None
    """PSS of the worker processes alone: what compares across servers' process layouts."""
    supervisor_pss_mb: float | None = None
    """PSS of the server's supervisor (gunicorn's master, granian's main process); None if the
    server ran as one process."""
    uss_per_worker_mb: float | None = None
    server_cpu_s_per_1k: float | None = None
    engine_cpu_s: float | None = None
    engine_saturated: bool = False
    realtime: dict[str, float | int | None] | None = None
    """`iot` trials: what only realtime has (readings sent and delivered, losses the contract
    allows, reconnects, connection setup, memory per open connection)."""
    connections: dict[str, float] | None = None
    """Closed loop, where the engine sees it: connections asked, and really open in the measured
    window (time-weighted `mean`, `low`, `peak`)."""
    warnings: list[str] = field(default_factory=list)
    server_config: dict[str, Any] | None = None
    started_at: str | None = None

    @property
    def point(self) -> TrialPoint:
        return self.spec.point

    def to_dict(self) -> dict[str, Any]:
        """The flat record: identity first, then the figures (README, "Output for programs")."""
        point, at = self.spec.point, self.spec.point.at
        data: dict[str, Any] = {
            "contestant": point.contestant, "server": point.server, "scenario": at.scenario,
            "engine": at.engine, "concurrency": at.concurrency, "rate": at.rate,
            "trial": self.spec.trial, "ok": self.ok, "reason": self.reason, "db": at.db,
            "tuning": point.tuning,
        }  # fmt: skip
        figures = asdict(self)
        for name in ("spec", "ok", "reason"):
            figures.pop(name)
        return data | figures

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialResult:
        at = LoadPoint(data["scenario"], data.get("db"), data["engine"], data.get("concurrency"),
                       data.get("rate"))  # fmt: skip
        point = TrialPoint(data["contestant"], data.get("server"), at, data.get("tuning", "equal"))
        spec = TrialSpec(point, data["trial"])
        known = {f.name for f in fields(cls)} - {"spec"}
        return cls(spec=spec, **{k: v for k, v in data.items() if k in known})
