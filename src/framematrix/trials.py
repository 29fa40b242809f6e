"""A trial — one contestant, under one server, at one load point, measured once — and its result:
the records every stage of the pipeline passes along.

A trial's identity is defined here and nowhere else: `LoadPoint` is where contestants are
compared (the same scenario, database, engine and concurrency or rate), `TrialPoint` is one
contestant under one server, in one version set, at a load point (trials of one point are
aggregated), and `TrialSpec` is one repetition of a point. `TrialPoint.record` flattens a
point's identity once for every record, file and table that names a point.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

PERCENTILES = {"p50": 50.0, "p90": 90.0, "p95": 95.0, "p99": 99.0, "p999": 99.9}
IDENTITY = (
    "contestant",
    "server",
    "tuning",
    "version_set",
    "replica",
    "scenario",
    "db",
    "engine",
    "concurrency",
    "rate",
)
"""A point's identity flattened, in the order every record starts with (README, "Output for
programs"): `TrialPoint.record`."""


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
    version_set: str = ""
    """The `--versions` set it ran in, as given (`django==4.2.*`); "": the install framematrix
    itself runs in."""
    replica: int = 0
    """0: the contestant itself; 1: its A/A control, the same contestant measured again from a
    second server started on its own, so the run measures its own noise."""

    @property
    def who(self) -> str:
        """`django`, or `django (docs)` for a tuning other than the default, `django
        (django==4.2.*)` in a version set, `django (A/A)` for the control: the name every table
        groups by."""
        extra = [x for x in (self.tuning if self.tuning != "equal" else "", self.version_set) if x]
        extra += ["A/A"] if self.replica else []
        return f"{self.contestant} ({', '.join(extra)})" if extra else self.contestant

    @property
    def control(self) -> bool:
        """The A/A control's copy of a contestant."""
        return self.replica > 0

    def record(self) -> dict[str, Any]:
        """The identity as one flat record (`IDENTITY`'s keys, in its order): what every record
        of a point or a trial starts with, and what files and tables tell points apart by."""
        at = self.at
        values = (
            self.contestant,
            self.server,
            self.tuning,
            self.version_set,
            self.replica,
            at.scenario,
            at.db,
            at.engine,
            at.concurrency,
            at.rate,
        )
        return dict(zip(IDENTITY, values, strict=True))

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> TrialPoint:
        """The point a flat record names; a record made before tunings and version sets ran in
        the install framematrix runs in, with the `equal` tuning."""
        at = LoadPoint(
            data["scenario"],
            data.get("db"),
            data["engine"],
            data.get("concurrency"),
            data.get("rate"),
        )
        return cls(
            data["contestant"],
            data.get("server"),
            at,
            data.get("tuning", "equal"),
            data.get("version_set", ""),
            data.get("replica") or 0,
        )


@dataclass(frozen=True)
class TrialSpec:
    point: TrialPoint
    trial: int
    """Which round (0-based): a round measures every target of a load point once, in an order
    of its own; the trials of one round are paired when contestants are compared."""

    @property
    def key(self) -> str:
        """The trial's file name in the results store: `--resume` skips the keys it finds."""
        at = self.point.at
        load = f"c{at.concurrency}" if at.concurrency is not None else f"r{at.rate:g}"
        who = self.point.contestant.replace("://", "-").replace("/", "-").replace(":", "-")
        server = self.point.server or "url"
        if self.point.tuning != "equal":  # runs made before tunings keep their trials' names
            server += f"-{self.point.tuning}"
        versions = f".v-{slug(self.point.version_set)}" if self.point.version_set else ""
        copy = f".aa{self.point.replica}" if self.point.replica else ""
        return f"{who}.{server}{versions}{copy}.{at.scenario}.{load}.{at.engine}.t{self.trial}"


def slug(label: str) -> str:
    """A version set as a file-name part: `django==4.2.*` -> `django-4.2.x`; a long one (a VCS
    URL) is cut and given a digest, so two sets never share a name."""
    text = re.sub(r"[^A-Za-z0-9.]+", "-", label.replace("*", "x")).strip("-")
    if len(text) <= 40:
        return text
    return f"{text[:28]}-{hashlib.sha256(label.encode()).hexdigest()[:10]}"


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
    warmup_s: float | None = None
    """The unmeasured warm-up before the window (shorter on a server that served the point
    already, where the plan says so: `BenchPlan.rewarmup_s`); None for trials stored before."""
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
    slow: dict[str, float | None] | None = None
    """A point slower than its window: nothing completed in `window_s` while the server had
    requests, and one request alone, on a fresh server, took `one_request_ms` (None: did not
    finish in `PROBE_TIMEOUT_S`). Such a trial is no failure: it is what the point is."""
    connections: dict[str, float] | None = None
    """Closed loop, where the engine sees it: connections asked, and really open in the measured
    window (time-weighted `mean`, `low`, `peak`)."""
    warnings: list[str] = field(default_factory=list)
    server_config: dict[str, Any] | None = None
    started_at: str | None = None
    resolved: dict[str, str] = field(default_factory=dict)
    """The versions it ran with: its contestant's and server's distributions and those its
    version set names, as installed where its server ran."""

    @property
    def point(self) -> TrialPoint:
        return self.spec.point

    def to_dict(self) -> dict[str, Any]:
        """The flat record: identity first, then the figures (README, "Output for programs")."""
        data = self.point.record() | {
            "trial": self.spec.trial,
            "ok": self.ok,
            "reason": self.reason,
        }
        figures = asdict(self)
        for name in ("spec", "ok", "reason"):
            figures.pop(name)
        return data | figures

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialResult:
        spec = TrialSpec(TrialPoint.from_record(data), data["trial"])
        known = {f.name for f in fields(cls)} - {"spec"}
        return cls(spec=spec, **{k: v for k, v in data.items() if k in known})
