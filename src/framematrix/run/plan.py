"""A run's plan: which trials, in what order, on which cores, with which engines.

A `BenchPlan` is the command line's options parsed and checked (`run.validation.build_plan`),
a frozen, typed record; it is stored in run.json, so `--resume` and `--rerun` rebuild the same
matrix. `load_plan` narrows it to what one engine run gets; `load_engine` makes an engine with
its own options, which the plan carries as that engine's record (`LocustOptions`,
`RealtimeOptions`) and stores flat, beside the rest, as run.json has always kept them.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from framematrix import scenarios as scenario_catalog
from framematrix.contestants.registry import CONTESTANTS
from framematrix.contestants.registry import get as get_contestant
from framematrix.db import choice
from framematrix.db.seed import SeedSize
from framematrix.engines import REALTIME, get_engine
from framematrix.engines import base as engine_base
from framematrix.engines.locust.options import LocustOptions
from framematrix.engines.realtime import RealtimeOptions
from framematrix.errors import FramematrixError
from framematrix.flags import from_flat
from framematrix.servers import ServerConfig, available_cpus, resolve, servers_for
from framematrix.servers.candidates import Candidate
from framematrix.trials import LoadPoint, TrialPoint, TrialSpec
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S as DEFAULT_UPSTREAM_TIMEOUT_S

ENGINE_OPTIONS = (REALTIME, "locust")
"""The engines with options of their own: the plan holds each one's record in the field of
the engine's name, and stores its flags flat beside the rest."""
SERVER_OVERHEAD_S = 1.0
"""Rough per-trial cost beyond warm-up and duration, for the time-left estimate."""


@dataclass(frozen=True)
class BenchPlan:
    """Everything a run needs, stored in run.json so `--resume` rebuilds the same matrix."""

    contestants: tuple[str, ...]
    scenarios: tuple[str, ...]
    engine: str
    db_url: str
    """The database as chosen (`db.choice`): `embedded`, a SQLite file's URL (the run's own
    for `--db sqlite`) or a PostgreSQL URL; "" for `--url` runs."""
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
    """Server tunings to measure each target under (`equal`, `docs`, `best`), interleaved."""
    load_processes: int = 0
    """Load processes of the builtin engine; 0: one per load core."""
    threads: int = 0
    """Threads per worker for the servers that run apps in threads; 0: each server's setting."""
    upstream_ms: float = 50.0
    """The latency of the upstream framematrix starts for scenarios that need one."""
    upstream_jitter_ms: float = 0.0
    upstream_timeout_s: float = DEFAULT_UPSTREAM_TIMEOUT_S
    realtime: RealtimeOptions = field(default_factory=RealtimeOptions)
    """`iot`'s device counts (its load points), the realtime engine's options, the broker."""
    locust: LocustOptions = field(default_factory=LocustOptions)
    version_sets: tuple[str, ...] = ()
    """`--versions`: each target is measured in each set's environment, interleaved; empty: in
    the install framematrix runs in."""
    pins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each version set's exact distributions, once resolved: `--resume` and `--rerun` install
    these rather than resolve again."""
    control: str | None = None
    """The contestant measured twice, from two servers started on their own (the A/A control,
    FAIRNESS.md "Verdicts"); None: no control (runs made before it, `--no-control`)."""
    order_seed: int = 0
    """Seeds each round's order of the targets (`round_order`): a run repeats exactly."""
    looks: int = 1
    """How many times the verdicts may be judged: once, plus each round of more trials the
    budget may add. Every look uses the level that keeps them all at 95% together
    (`results.statistics.level_for`)."""
    best: dict[str, dict[str, Any]] = field(default_factory=dict)
    """`best`'s configuration of each contestant and workload (`best_key` -> the candidate's
    record, `servers.candidates`), searched or cached once the run is prepared
    (`run.tuning`); a target without one is not measured under `best`."""
    retune: bool = False
    """Search the best configurations again rather than read them from the cache."""
    search: bool = True
    """False: `best` only where a configuration is cached (the default `matrix`)."""
    rewarmup_s: float | None = None
    """The warm-up of a server that served the point already (a later round, kept running);
    None: `warmup_s`."""

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
    def realtime_points(self) -> bool:
        """Whether the run measures WebSockets (an `iot` scenario), and so needs a broker."""
        return any(not scenario_catalog.get(name).over_http for name in self.scenarios)

    @property
    def db_cpus(self) -> tuple[int, ...] | None:
        """The cores the embedded PostgreSQL and the embedded broker are pinned to: the load
        engine's (FAIRNESS.md, "Where the database runs"), the same for every contestant."""
        return self.load_cpus

    @property
    def db_kind(self) -> str | None:
        """The database kind every point of this run is measured on (None for `--url` runs)."""
        return choice.kind(self.db_url) if self.db_url and not self.url else None

    def loads(self, scenario: str) -> list[LoadPoint]:
        """A scenario's load points: its concurrencies and rates; `iot`'s device counts, driven
        by the realtime engine."""
        if not scenario_catalog.get(scenario).over_http:
            devices = self.realtime.devices
            return [LoadPoint(scenario, self.db_kind, REALTIME, d, None) for d in devices]
        own = self.scenario_concurrencies.get(scenario)
        loads: list[tuple[int | None, float | None]] = [
            (c, None) for c in (own if own is not None else self.concurrencies)
        ]
        loads += [(None, r) for r in self.rates if own is None]
        return [LoadPoint(scenario, self.db_kind, self.engine, c, r) for c, r in loads]

    def points(self, scenario: str, at: LoadPoint) -> list[TrialPoint]:
        """Every target measured at a load point, in the plan's own order (a round shuffles
        it), and the A/A control's copy of the control contestant's first one.

        Without a search (the default `matrix`), `equal` and `best` are alternatives: a load
        point is measured at its best where every target's best configuration is cached, else
        under equal settings, so the run costs the same either way and each verdict says which
        rule it was judged under."""
        workload = scenario_catalog.get(scenario).workload
        tunings = self.tunings
        if not self.search and {"equal", "best"} <= set(tunings):
            every = all(
                self.best.get(best_key(c, workload, v))
                for c, s in self.targets(scenario)
                if s
                for v in self.version_sets or ("",)
            )
            tunings = tuple(t for t in tunings if t != ("equal" if every else "best"))
        found: list[TrialPoint] = []
        for contestant, server in self.targets(scenario):
            for tuning in tunings if server else ("equal",):
                for version_set in (self.version_sets if server else ()) or ("",):
                    chosen = self.best.get(best_key(contestant, workload, version_set), {})
                    if tuning == "best" and not chosen:
                        continue
                    runs_under = chosen.get("server", server) if tuning == "best" else server
                    found.append(TrialPoint(contestant, runs_under, at, tuning, version_set))
        found = list(dict.fromkeys(found))  # `best` is one server, whatever --servers named
        copied = next((p for p in found if p.server and p.contestant == self.control), None)
        return found + ([replace(copied, replica=1)] if copied else [])

    def round_order(self, points: list[TrialPoint], at: LoadPoint, round_: int) -> list[TrialPoint]:
        """One round's order: a shuffle seeded by the run, the load point and the round, so
        no contestant always follows the same one and a run can be repeated exactly."""
        shuffled = list(points)
        random.Random(f"{self.order_seed}:{at.describe()}:{round_}").shuffle(shuffled)
        return shuffled

    def specs(self) -> list[TrialSpec]:
        """Round by round at each load point: every target once per round, in the round's own
        order (`round_order`), so a round's drift hits all alike and pairs cancel it."""
        return [
            TrialSpec(point, round_)
            for scenario in self.scenarios
            for at in self.loads(scenario)
            for round_ in range(self.trials)
            for point in self.round_order(self.points(scenario, at), at, round_)
        ]

    def load_engine(self, name: str) -> engine_base.LoadEngine:
        """The engine `name` of this plan, made with its own options."""
        return get_engine(name, getattr(self, name) if name in ENGINE_OPTIONS else None)

    @property
    def engine_names(self) -> list[str]:
        """The engines its points are measured with: `--engine`'s (whether or not an HTTP
        scenario is given), and the realtime one for `iot`."""
        used = {point.engine for name in self.scenarios for point in self.loads(name)}
        return [self.engine, *sorted(used - {self.engine})]

    @property
    def needs_upstream(self) -> bool:
        return any(scenario_catalog.get(name).needs_upstream for name in self.scenarios)

    def warmup_for(self, served: bool) -> float:
        """The warm-up of a trial on a server that did (or did not) serve its point already."""
        return self.rewarmup_s if served and self.rewarmup_s is not None else self.warmup_s

    def estimated_s(self, trials: int) -> float:
        warmup = (self.warmup_s + (self.trials - 1) * self.warmup_for(True)) / max(self.trials, 1)
        return trials * (self.duration_s + warmup + SERVER_OVERHEAD_S)

    def to_dict(self) -> dict[str, Any]:
        """The stored form: the engines' options flat among the rest (`locust_workers`,
        `devices`...), as run.json has always kept them."""
        data: dict[str, Any] = {}
        for name, value in asdict(self).items():
            data.update(value if name in ENGINE_OPTIONS else {name: value})
        data["db_url"] = choice.described(self.db_url) if not self.url else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], db_url: str | None = None) -> BenchPlan:
        tuples = (
            "contestants",
            "scenarios",
            "servers",
            "concurrencies",
            "rates",
            "server_cpus",
            "load_cpus",
            "tunings",
            "version_sets",
        )
        fields: dict[str, Any] = {
            k: tuple(v) if k in tuples and v is not None else v for k, v in data.items()
        }
        fields["seed_size"] = SeedSize(**data["seed_size"])
        fields["scenario_concurrencies"] = {
            name: tuple(values)
            for name, values in (data.get("scenario_concurrencies") or {}).items()
        }
        fields["pins"] = {label: tuple(p) for label, p in (data.get("pins") or {}).items()}
        fields["realtime"] = from_flat(RealtimeOptions, data)
        fields["locust"] = from_flat(LocustOptions, data)
        if db_url:
            fields["db_url"] = db_url
        return cls(**{k: v for k, v in fields.items() if k in cls.__dataclass_fields__})


def tuned(plan: BenchPlan, config: ServerConfig, point: TrialPoint) -> ServerConfig:
    """A launch as the point's tuning sets it: a realtime server sized to the sockets of the
    plan's largest `iot` point; under `best`, the searched configuration's counts."""
    if config.realtime:
        sockets = max(plan.realtime.devices, default=0) + plan.realtime.subscribers
        config = replace(config, sockets=sockets)
    if point.tuning != "best":
        return config
    workload = scenario_catalog.get(point.at.scenario).workload
    chosen = Candidate.from_record(
        plan.best[best_key(point.contestant, workload, point.version_set)]
    )
    return replace(
        config, workers=chosen.workers, threads=chosen.threads, connections=chosen.connections
    )


def best_key(contestant: str, workload: str, version_set: str = "") -> str:
    """How `BenchPlan.best` names a contestant's configuration for a workload."""
    return "|".join((contestant, workload, version_set))


def _has_realtime(contestant: str) -> bool:
    """Whether its realtime side exists; one that lacks it keeps its HTTP server, and its `iot`
    trials are marked not applicable."""
    return get_contestant(contestant).realtime is not None


def load_plan(
    plan: BenchPlan,
    spec: TrialSpec,
    base_url: str,
    server_pid: int | None = None,
    served: bool = False,
) -> engine_base.LoadPlan:
    """What the engine gets for one trial: the runner's plan narrowed to that trial (`served`:
    its server served the point already, so it warms up for `rewarmup_s`)."""
    at = spec.point.at
    return engine_base.LoadPlan(
        base_url=base_url,
        scenario=scenario_catalog.get(at.scenario),
        concurrency=at.concurrency,
        rate=at.rate,
        duration_s=plan.duration_s,
        warmup_s=plan.warmup_for(served),
        seed=plan.seed + spec.trial,
        timeout_s=plan.timeout_s,
        cpus=plan.load_cpus,
        processes=plan.load_process_count,
        seed_size=plan.seed_size,
        connection_per_request=plan.connection_per_request,
        server_pid=server_pid,
    )


def lacked(point: TrialPoint) -> str | None:
    """Why a contestant has nothing to measure at this point (it lacks the scenario's part of the
    contract), else None."""
    spec = CONTESTANTS.get(point.contestant)
    part = scenario_catalog.get(point.at.scenario).part
    if spec is None or part is None or part not in dict(spec.lacks):
        return None
    return f"not applicable: {point.contestant} lacks {part} ({dict(spec.lacks)[part]})"


def default_sqlite(out: Path) -> str:
    return f"sqlite:///{(out / 'blog.db').resolve()}"
