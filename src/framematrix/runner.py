"""The trial matrix: which trials, in what order, and each one measured and stored as it ends.

The runner owns timing, pinning, server life, database resets, memory and CPU sampling and
storage; load engines only send requests and hand back histograms.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from framematrix import scenarios as scenario_catalog
from framematrix.db.init import check, create_if_missing, init, reseed
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import base as engine_base
from framematrix.engines import get_engine
from framematrix.errors import FramematrixError, MeasurementError
from framematrix.measure import environment
from framematrix.measure.process_tree import MemorySampler, MemoryStats, cpu_seconds
from framematrix.servers import (
    RunningServer,
    ServerConfig,
    available_cpus,
    free_port,
    reachable,
    resolve,
    servers_for,
)
from framematrix.store import Run
from framematrix.trials import PERCENTILES, LoadPoint, TrialPoint, TrialResult, TrialSpec

SETTLE_WINDOW_S = 0.1
SETTLE_TIMEOUT_S = 15.0
IDLE_SHARE = 0.05
"""A server using less than this share of one core is idle enough for the next trial."""
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
    locust_workers: int | None = None
    """Workers the locust engine starts here; None: one per load core."""
    locust_remote_workers: int = 0
    """Workers on other machines the locust engine waits for."""
    locust_master: str = ""
    """HOST:PORT the locust master listens on; "": its default."""

    @property
    def load_process_count(self) -> int:
        return self.load_processes or len(self.load_cpus or available_cpus())

    def targets(self) -> list[tuple[str, str | None]]:
        """(contestant, server) pairs; for `--url` runs the URL itself with no server."""
        if self.url:
            return [(self.url, None)]
        pairs: list[tuple[str, str | None]] = []
        for contestant in self.contestants:
            spec, default = resolve(contestant, None)
            if not self.servers:
                pairs.append((spec.name, default))
                continue
            pairs += [(contestant, s) for s in self.servers if s in servers_for(spec)]
        if not pairs:
            raise FramematrixError("no contestant runs under the servers given (see `contestants`)")
        return pairs

    @property
    def db_kind(self) -> str | None:
        """The database kind every point of this run is measured on (None for `--url` runs)."""
        return DatabaseURL.parse(self.db_url).kind if self.db_url and not self.url else None

    def specs(self) -> list[TrialSpec]:
        """Interleaved: at each load point, trial 1 of every target, then trial 2 of every …"""
        loads: list[tuple[int | None, float | None]] = [(c, None) for c in self.concurrencies]
        loads += [(None, r) for r in self.rates]
        return [
            TrialSpec(TrialPoint(contestant, server, at, tuning), trial)
            for scenario in self.scenarios
            for concurrency, rate in loads
            for at in [LoadPoint(scenario, self.db_kind, self.engine, concurrency, rate)]
            for trial in range(self.trials)
            for contestant, server in self.targets()
            for tuning in (self.tunings if server else ("equal",))
        ]

    def estimated_s(self, trials: int) -> float:
        return trials * (self.duration_s + self.warmup_s + SERVER_OVERHEAD_S)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["db_url"] = DatabaseURL.parse(self.db_url).redacted() if not self.url else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], db_url: str | None = None) -> BenchPlan:
        tuples = ("contestants", "scenarios", "servers", "concurrencies", "rates",
                  "server_cpus", "load_cpus", "tunings")  # fmt: skip
        fields: dict[str, Any] = {
            k: tuple(v) if k in tuples and v is not None else v for k, v in data.items()
        }
        fields["seed_size"] = SeedSize(**data["seed_size"])
        if db_url:
            fields["db_url"] = db_url
        return cls(**{k: v for k, v in fields.items() if k in cls.__dataclass_fields__})


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
    for spec in plan.specs():
        if spec.trial == 0:  # with the --url itself: an engine may refuse one it cannot reach
            engine.check(load_plan(plan, spec, plan.url or "http://127.0.0.1:1"))
    if plan.db_url and not plan.url:
        db = DatabaseURL.parse(plan.db_url)
        create_if_missing(db)  # like `db init`: a PostgreSQL server without the database gets it
        check(db)


@dataclass
class Progress:
    """What the runner tells its caller while it works; the CLI turns it into a Rich display."""

    on_trial_start: Callable[[TrialSpec, int, int], None] = lambda spec, i, n: None
    on_tick: Callable[[float, int], None] = lambda elapsed, requests: None
    on_trial_end: Callable[[TrialResult], None] = lambda result: None


class Runner:
    def __init__(self, plan: BenchPlan, run: Run, progress: Progress | None = None) -> None:
        self.plan = plan
        self.run = run
        self.progress = progress or Progress()
        self.engine = get_engine(plan.engine)
        self.db = DatabaseURL.parse(plan.db_url) if plan.db_url and not plan.url else None
        self.servers: dict[tuple[str, str, str], RunningServer] = {}

    def prepare(self) -> dict[str, Any]:
        """Check everything, create and seed the database; return the environment."""
        validate(self.plan)
        database = "external" if self.db is None else check(self.db)
        if self.db is not None:
            init(self.db, self.plan.seed_size)
        return environment.capture(
            server_cpus=self.plan.server_cpus, load_cpus=self.plan.load_cpus, database=database
        )

    def pending(self) -> list[TrialSpec]:
        done = self.run.done_keys()
        return [spec for spec in self.plan.specs() if spec.key not in done]

    def execute(self) -> list[TrialResult]:
        todo = self.pending()
        results = []
        # framematrix itself (memory sampling, progress) runs beside the load engine, never on
        # the server's cores; servers it starts are pinned explicitly, so nothing else moves.
        own_cpus = os.sched_getaffinity(0)
        if self.plan.load_cpus:
            os.sched_setaffinity(0, self.plan.load_cpus)
        try:
            for index, spec in enumerate(todo):
                self.progress.on_trial_start(spec, index, len(todo))
                result = self.measure(spec)
                if not result.ok:
                    self.retire(spec)
                self.run.save(result)
                results.append(result)
                self.progress.on_trial_end(result)
        finally:
            self.close()
            os.sched_setaffinity(0, own_cpus)
        return results

    def close(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()

    def settle(self) -> bool:
        """Wait until every running server is idle: after a heavy trial a server may still be
        draining requests it accepted, and would steal the next trial's CPU (and hold locks a
        database reset needs). False if one stayed busy past SETTLE_TIMEOUT_S."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        pids = [server.pid for server in self.servers.values() if server.alive()]
        while pids and time.monotonic() < deadline:
            before = sum(cpu_seconds(pid) for pid in pids)
            time.sleep(SETTLE_WINDOW_S)
            if sum(cpu_seconds(pid) for pid in pids) - before < IDLE_SHARE * SETTLE_WINDOW_S:
                return True
        return not pids

    def retire(self, spec: TrialSpec) -> None:
        """After a failed trial, the next one gets a fresh server: a wedged or half-dead one must
        not fail trials that are not its own. It has already shown it is stuck, so no grace."""
        point = spec.point
        if point.server is None:
            return
        running = self.servers.pop((point.contestant, point.server, point.tuning), None)
        if running is not None:
            running.stop(grace_s=1.0)

    def server_for(self, point: TrialPoint) -> RunningServer | None:
        """The point's server, started (or restarted after a crash) if need be; None for `--url`."""
        if self.plan.url or point.server is None:
            return None
        key = (point.contestant, point.server, point.tuning)
        running = self.servers.get(key)
        if running is not None and running.alive():
            return running
        if running is not None:
            running.stop()
        assert self.db is not None
        config = ServerConfig(
            contestant=point.contestant,
            server=point.server,
            db_url=self.db.url,
            port=free_port(),
            workers=self.plan.workers,
            cpus=self.plan.server_cpus,
            tuning=point.tuning,
        )
        self.servers[key] = RunningServer(config).start()
        return self.servers[key]

    def measure(self, spec: TrialSpec) -> TrialResult:
        """One trial: its server, a quiet machine, a fresh database, the load, the figures.
        Whatever goes wrong fails this trial with its reason, never the run."""
        started = datetime.now(UTC).isoformat(timespec="seconds")
        result = TrialResult(spec, ok=False, started_at=started)
        try:
            server = self.server_for(spec.point)
        except FramematrixError as exc:
            result.reason = f"server did not start: {exc}"
            return result
        if server is not None:
            result.server_config = server.config.record()
            result.workers = server.config.worker_count
        if not self.settle():
            result.warnings.append(
                f"a server was still busy {SETTLE_TIMEOUT_S:g} s after the previous trial: "
                "this trial shared the server's cores with it"
            )
        if not self.reset_database(spec, result):
            return result
        target = server.config.url if server else spec.point.contestant
        measured, memory, cpu_used = self.load(load_plan(self.plan, spec, target), server, result)
        if server is not None and not server.alive():
            result.reason = f"the server crashed during the trial: {server.log_tail()}"
        if measured is None:
            return result
        self._fill(result, measured)
        if memory is not None:
            result.server_pss_mb = round(memory.steady_pss_mb, 2)
            result.server_pss_peak_mb = round(memory.peak_pss_mb, 2)
            result.workers_pss_mb = round(memory.workers_pss_mb, 2)
            if memory.supervisor_pss_mb is not None:
                result.supervisor_pss_mb = round(memory.supervisor_pss_mb, 2)
            if memory.uss_per_worker_mb is not None:
                result.uss_per_worker_mb = round(memory.uss_per_worker_mb, 2)
        if cpu_used is not None and measured.requests:
            result.server_cpu_s_per_1k = round(cpu_used / measured.requests * 1000, 4)
        if result.reason is None:
            result.ok = measured.requests > 0
            result.reason = None if result.ok else self._nothing_completed(measured)
        return result

    def reset_database(self, spec: TrialSpec, result: TrialResult) -> bool:
        """A writing scenario starts from the seed again; False (and the reason) if it cannot."""
        if not scenario_catalog.get(spec.point.at.scenario).writes or self.db is None:
            return True
        try:
            reseed(self.db, self.plan.seed_size)
        except FramematrixError as exc:
            result.reason = f"could not reset the database: {exc}"
            return False
        return True

    def load(
        self, load: engine_base.LoadPlan, server: RunningServer | None, result: TrialResult
    ) -> tuple[engine_base.EngineResult | None, MemoryStats | None, float | None]:
        """Send the warm-up and the measured load in one engine run; the server's memory and CPU
        are sampled from the moment the engine says the measured window starts."""
        sampler = MemorySampler(server.pid) if server else None
        cpu_before: list[float] = []

        def measuring() -> None:
            if sampler is not None:
                sampler.start()
                cpu_before.append(cpu_seconds(sampler.pid))

        measured = None
        try:
            measured = self.engine.run(load, on_progress=self.progress.on_tick,
                                       on_measuring=measuring)  # fmt: skip
        except MeasurementError as exc:
            result.reason = str(exc)
        finally:
            memory = sampler.stop() if sampler else None
        cpu_used = None
        if server is not None and cpu_before:
            cpu_used = cpu_seconds(server.pid) - cpu_before[0]
        return measured, memory, cpu_used

    def _nothing_completed(self, measured: engine_base.EngineResult) -> str:
        kinds = ", ".join(f"{k} x{v}" for k, v in sorted(measured.errors.items()))
        refused = bool(measured.errors) and set(measured.errors) <= {"connect", "connect-timeout"}
        why = (
            "no connection could be opened"
            if refused
            else "the server accepted connections but answered none"
        )
        return f"no request completed in {self.plan.duration_s:g} s: {why}" + (
            f" ({kinds})" if kinds else ""
        )

    @staticmethod
    def _fill(result: TrialResult, measured: engine_base.EngineResult) -> None:
        histogram = measured.histogram
        result.requests = measured.requests
        result.duration_s = round(measured.duration_s, 3)
        result.rps = round(measured.requests / measured.duration_s, 2) if measured.duration_s else 0
        if histogram.get_total_count():
            result.latency_ms = {
                name: round(histogram.get_value_at_percentile(p) / 1000, 3)
                for name, p in PERCENTILES.items()
            }
            result.latency_ms["max"] = round(histogram.get_max_value() / 1000, 3)
            result.latency_ms["mean"] = round(histogram.get_mean_value() / 1000, 3)
        result.histogram = measured.encoded_histogram
        result.errors_by_kind = dict(measured.errors)
        result.errors = sum(measured.errors.values())
        result.engine_cpu_s = round(measured.engine_cpu_s, 3)
        result.engine_saturated = measured.saturated
        if measured.connections is not None:
            result.connections = asdict(measured.connections)
        result.warnings += measured.warnings  # after the runner's own: warnings accumulate
        if measured.saturated:
            result.warnings.append(
                "the load engine was near saturation: give it more load cores (--cpus) and "
                "processes (--load-processes), or use --engine wrk"
            )
        if result.errors:
            kinds = ", ".join(f"{k} x{v}" for k, v in sorted(measured.errors.items()))
            result.warnings.append(f"{result.errors} errors ({kinds})")


def default_sqlite(out: Path) -> str:
    return f"sqlite:///{(out / 'blog.db').resolve()}"
