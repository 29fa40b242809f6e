"""A run's plan: which trials, in what order, on which cores, checked before anything starts.

A `BenchPlan` is stored in run.json, so `--resume` rebuilds the same matrix; `load_plan` narrows
it to what one engine run gets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from framematrix import scenarios as scenario_catalog
from framematrix.contestants.registry import get as get_contestant
from framematrix.db import broker
from framematrix.db.init import check, create_if_missing
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import base as engine_base
from framematrix.engines import get_engine
from framematrix.errors import FramematrixError
from framematrix.servers import available_cpus, reachable, resolve, servers_for
from framematrix.trials import LoadPoint, TrialPoint, TrialSpec
from framematrix.upstream.running import UpstreamConfig
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S as DEFAULT_UPSTREAM_TIMEOUT_S
from framematrix.upstream.settings import UpstreamSettings

REALTIME = "realtime"
"""The engine of `iot` points: WebSockets, driven from RULES.md's realtime part, not steps."""
SERVER_OVERHEAD_S = 1.0
"""Rough per-trial cost beyond warm-up and duration, for the time-left estimate."""


def parse_cpus(text: str | None) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """`SERVER:LOAD` core lists (`0:1`, `0-1:2-3`, `0,2:1,3`); default splits the cores in two."""
    cores = available_cpus()
    if text is None:
        if len(cores) < 2:
            return None, None
        half = len(cores) // 2
        return cores[:half], cores[half:]
    try:
        server, load = text.split(":")
        sets = (_core_list(server), _core_list(load))
    except ValueError:
        raise FramematrixError(
            f"bad --cpus {text!r}: use SERVER:LOAD, e.g. 0:1 or 0-1:2-3"
        ) from None
    for chosen in sets:
        missing = set(chosen) - set(cores)
        if missing:
            raise FramematrixError(f"bad --cpus {text!r}: no core {sorted(missing)} here")
    return sets


def _core_list(text: str) -> tuple[int, ...]:
    cores: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        cores.extend(range(int(low), int(high or low) + 1))
    if not cores:
        raise ValueError(text)
    return tuple(cores)


@dataclass(frozen=True)
class BenchPlan:
    """Everything a run needs, stored in run.json so `--resume` rebuilds the same matrix."""

    contestants: tuple[str, ...]
    scenarios: tuple[str, ...]
    engine: str
    db_url: str
    servers: tuple[str, ...] = ()
    """Empty: each contestant under its default server."""
    concurrencies: tuple[int, ...] = ()
    rates: tuple[float, ...] = ()
    scenario_concurrencies: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Concurrencies of particular scenarios (`--concurrency 64,image=4`), instead of the rest's."""
    duration_s: float = 10.0
    warmup_s: float = 2.0
    trials: int = 3
    workers: int = 0
    server_cpus: tuple[int, ...] | None = None
    load_cpus: tuple[int, ...] | None = None
    seed: int = 1
    url: str | None = None
    seed_size: SeedSize = field(default_factory=SeedSize)
    timeout_s: float = 10.0
    connection_per_request: bool = False
    tunings: tuple[str, ...] = ("equal",)
    """Server tunings to measure each target under (`equal`, `docs`), interleaved."""
    load_processes: int = 0
    """Load processes of the builtin engine; 0: one per load core."""
    threads: int = 0
    """Threads per worker for the servers that run apps in threads; 0: each server's setting."""
    upstream_ms: float = 50.0
    """The latency of the upstream framematrix starts for scenarios that need one."""
    upstream_jitter_ms: float = 0.0
    upstream_timeout_s: float = DEFAULT_UPSTREAM_TIMEOUT_S
    devices: tuple[int, ...] = (100,)
    """`iot`: the device counts (its load points, like concurrencies for HTTP scenarios)."""
    device_rate: float = 1.0
    """`iot`: readings each device sends per second."""
    subscribers: int = 2
    """`iot`: subscribers on `/ws/live`, each receiving every reading."""
    broker_url: str | None = None
    """`iot`: the broker the contestants fan readings out through; None: the default."""
    locust_workers: int | None = None
    """Workers the locust engine starts here; None: one per load core."""
    locust_remote_workers: int = 0
    """Workers on other machines the locust engine waits for."""
    locust_master: str = ""
    """HOST:PORT the locust master listens on; "": its default."""
    version_sets: tuple[str, ...] = ()
    """`--versions`: each target is measured in each set's environment, interleaved; empty: in
    the install framematrix runs in."""
    pins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each version set's exact distributions, once resolved: `--resume` and `--rerun` install
    these rather than resolve again."""

    @property
    def load_process_count(self) -> int:
        return self.load_processes or len(self.load_cpus or available_cpus())

    def targets(self, scenario: str = "health") -> list[tuple[str, str | None]]:
        """(contestant, server) pairs for a scenario (an `iot` one: the servers of each
        contestant's WebSocket side); for `--url` runs the URL itself with no server."""
        if self.url:
            return [(self.url, None)]
        realtime = scenario_catalog.get(scenario).workload == "realtime"
        pairs: list[tuple[str, str | None]] = []
        for contestant in self.contestants:
            spec, default = resolve(
                contestant, None, realtime=realtime and _has_realtime(contestant)
            )
            if not self.servers:
                pairs.append((contestant, default))
                continue
            pairs += [(contestant, s) for s in self.servers if s in servers_for(spec)]
        if not pairs:
            raise FramematrixError("no contestant runs under the servers given (see `contestants`)")
        return pairs

    @property
    def db_kind(self) -> str | None:
        """The database kind every point of this run is measured on (None for `--url` runs)."""
        return DatabaseURL.parse(self.db_url).kind if self.db_url and not self.url else None

    def loads(self, scenario: str) -> list[LoadPoint]:
        """A scenario's load points: its concurrencies and rates; `iot`'s device counts, driven
        by the realtime engine."""
        if not scenario_catalog.get(scenario).over_http:
            return [LoadPoint(scenario, self.db_kind, REALTIME, d, None) for d in self.devices]
        own = self.scenario_concurrencies.get(scenario)
        loads: list[tuple[int | None, float | None]] = [
            (c, None) for c in (own if own is not None else self.concurrencies)
        ]
        loads += [(None, r) for r in self.rates if own is None]
        return [LoadPoint(scenario, self.db_kind, self.engine, c, r) for c, r in loads]

    def specs(self) -> list[TrialSpec]:
        """Interleaved: at each load point, trial 1 of every target, then trial 2 of every …"""
        return [
            TrialSpec(TrialPoint(contestant, server, at, tuning, version_set), trial)
            for scenario in self.scenarios
            for at in self.loads(scenario)
            for trial in range(self.trials)
            for contestant, server in self.targets(scenario)
            for tuning in (self.tunings if server else ("equal",))
            for version_set in (self.version_sets if server else ()) or ("",)
        ]

    @property
    def needs_upstream(self) -> bool:
        return any(scenario_catalog.get(name).needs_upstream for name in self.scenarios)

    def estimated_s(self, trials: int) -> float:
        return trials * (self.duration_s + self.warmup_s + SERVER_OVERHEAD_S)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["db_url"] = DatabaseURL.parse(self.db_url).redacted() if not self.url else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], db_url: str | None = None) -> BenchPlan:
        tuples = ("contestants", "scenarios", "servers", "concurrencies", "rates",
                  "server_cpus", "load_cpus", "tunings", "devices", "version_sets")  # fmt: skip
        fields: dict[str, Any] = {
            k: tuple(v) if k in tuples and v is not None else v for k, v in data.items()
        }
        fields["seed_size"] = SeedSize(**data["seed_size"])
        fields["scenario_concurrencies"] = {
            name: tuple(values)
            for name, values in (data.get("scenario_concurrencies") or {}).items()
        }
        fields["pins"] = {label: tuple(p) for label, p in (data.get("pins") or {}).items()}
        if db_url:
            fields["db_url"] = db_url
        return cls(**{k: v for k, v in fields.items() if k in cls.__dataclass_fields__})


def _has_realtime(contestant: str) -> bool:
    """Whether its realtime side exists; one that lacks it keeps its HTTP server, and its `iot`
    trials are marked not applicable."""
    return get_contestant(contestant).realtime is not None


def load_plan(plan: BenchPlan, spec: TrialSpec, base_url: str) -> engine_base.LoadPlan:
    """What the engine gets for one trial: the runner's plan narrowed to that trial."""
    at = spec.point.at
    return engine_base.LoadPlan(
        base_url=base_url,
        scenario=scenario_catalog.get(at.scenario),
        concurrency=at.concurrency,
        rate=at.rate,
        duration_s=plan.duration_s,
        warmup_s=plan.warmup_s,
        seed=plan.seed + spec.trial,
        timeout_s=plan.timeout_s,
        cpus=plan.load_cpus,
        processes=plan.load_process_count,
        seed_size=plan.seed_size,
        connection_per_request=plan.connection_per_request,
        distribution=engine_base.Distribution(
            local_workers=plan.locust_workers,
            remote_workers=plan.locust_remote_workers,
            master=plan.locust_master,
        ),
    )


def validate(plan: BenchPlan) -> None:
    """Refuse a plan this machine or engine cannot run, before anything is created."""
    engine = get_engine(plan.engine)
    ok, why = engine.available()
    if not ok:
        raise FramematrixError(f"engine {plan.engine!r} cannot run here: {why}")
    if plan.url:
        reachable(plan.url)
    for spec in plan.specs():  # with the --url itself: an engine may refuse one it cannot reach
        if spec.trial == 0 and spec.point.at.engine != REALTIME:
            engine.check(load_plan(plan, spec, plan.url or "http://127.0.0.1:1"))
    if any(not scenario_catalog.get(name).over_http for name in plan.scenarios):
        broker.check(plan.broker_url or broker.url())
    UpstreamConfig(plan.upstream_ms, plan.upstream_jitter_ms)  # refuses bad values in one line
    UpstreamSettings("http://127.0.0.1:1", plan.upstream_timeout_s)
    if plan.db_url and not plan.url:
        db = DatabaseURL.parse(plan.db_url)
        create_if_missing(db)  # like `db init`: a PostgreSQL server without the database gets it
        check(db)


def default_sqlite(out: Path) -> str:
    return f"sqlite:///{(out / 'blog.db').resolve()}"
