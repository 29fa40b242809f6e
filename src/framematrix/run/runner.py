"""The trial loop: each trial of a plan measured and stored as it ends.

The runner owns timing, pinning, server life (and the upstream's), the database (created and
seeded in `prepare`, reset between writing trials), memory and CPU sampling and storage; load
engines, the realtime one for `iot` points as the HTTP ones for the rest, only send load through
one seam (`engine.run`) and hand back histograms, and `recording.py` turns what they measured
into the stored trial.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

from framematrix import scenarios as scenario_catalog
from framematrix import versions
from framematrix.children import stop_all
from framematrix.contestants import registry
from framematrix.contract import work
from framematrix.db.choice import EMBEDDED, SQLITE, Opened
from framematrix.db.init import check, create_if_missing, init, reseed
from framematrix.db.url import DatabaseURL
from framematrix.engines import base as engine_base
from framematrix.engines import load_processes
from framematrix.errors import FramematrixError, MeasurementError
from framematrix.measure import environment
from framematrix.measure.process_tree import MemorySampler, MemoryStats, cpu_of, cpu_seconds, tree
from framematrix.results.store import Run
from framematrix.run import probe, recording
from framematrix.run.plan import BenchPlan, lacked, load_plan, tuned
from framematrix.servers import SERVERS, RunningServer, ServerConfig, free_port
from framematrix.trials import LoadPoint, TrialPoint, TrialResult, TrialSpec
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

PROBE_TIMEOUT_S = 60.0
"""The longest one request of a slow point is waited for."""
SETTLE_WINDOW_S = 0.05
SETTLE_TIMEOUT_S = 15.0
IDLE_SHARE = 0.05
"""A server using less than this share of one core is idle enough for the next trial."""
END_GRACE_S = 0.5
"""At a run's end nothing is served: a server's time to exit on SIGTERM before SIGKILL."""

Role = Literal["plain", "upstream", "realtime"]
"""What a server is started for: a contestant's HTTP side, the same with the upstream's address
(its HTTP client loads only then), or its WebSocket side."""


@dataclass
class Progress:
    """What the runner tells its caller while it works; the CLI turns it into a Rich display."""

    on_trial_start: Callable[[TrialSpec, int, int], None] = lambda spec, i, n: None
    on_tick: Callable[[float, int], None] = lambda elapsed, requests: None
    on_trial_end: Callable[[TrialResult], None] = lambda result: None


def role_of(point: TrialPoint) -> Role:
    scenario = scenario_catalog.get(point.at.scenario)
    if scenario.workload == "realtime":
        return "realtime"
    return "upstream" if scenario.needs_upstream else "plain"


@dataclass(frozen=True)
class ServerKey:
    """What tells running servers apart: one each."""

    contestant: str
    server: str
    tuning: str
    version_set: str
    role: Role
    replica: int = 0
    """The A/A control's copy runs on a server of its own."""

    @classmethod
    def of(cls, point: TrialPoint) -> ServerKey:
        assert point.server is not None
        return cls(
            point.contestant,
            point.server,
            point.tuning,
            point.version_set,
            role_of(point),
            point.replica,
        )


class Runner:
    def __init__(
        self,
        plan: BenchPlan,
        run: Run,
        database: Opened | None = None,
        progress: Progress | None = None,
        broker_url: str | None = None,
    ) -> None:
        """`database`: the plan's database, open for the run (`db.choice.opened`); a plan that
        names a database by its URL opens it itself."""
        self.plan = plan
        self.run = run
        self.progress = progress or Progress()
        self.engines: dict[str, engine_base.LoadEngine] = {}
        if database is None and plan.db_url and not plan.url:
            if plan.db_url in (EMBEDDED, SQLITE):
                raise FramematrixError(f"the run's {plan.db_url} database is not open")
            database = Opened(DatabaseURL.parse(plan.db_url))
        self.database = database
        self.broker_url = broker_url or plan.realtime.broker_url
        """Where the realtime servers fan readings out: the run's broker, or their default."""
        self.db = database.url if database else None
        self.servers: dict[ServerKey, RunningServer] = {}
        self.served: set[tuple[int, LoadPoint]] = set()
        """(server pid, point) for each point a server process measured: a later round there
        warms up for the plan's `rewarmup_s`; a restarted server is a new process."""
        self.upstream: RunningUpstream | None = None
        self.envs: dict[str, versions.VersionEnv] = {}
        self.unsupported: dict[ServerKey, str] = {}
        """Servers that could not start in a version set's environment: its code does not run
        there, so the rest of their trials fail with the same reason at once."""

    def prepare(self) -> dict[str, Any]:
        """Create and seed the database (the plan is validated already: `run.validation`),
        build the version sets' environments (their exact distributions kept in the plan);
        return the environment."""
        database = "external"
        if self.database is not None:
            create_if_missing(self.database.url)  # like `db init`: a server without it gets it
            database = check(self.database.url)
            if self.database.server.get("embedded"):
                database += " (embedded)"
            init(self.database.url, self.plan.seed_size)
        for label in self.plan.version_sets:
            self.envs[label] = versions.build(versions.parse(label), self.plan.pins.get(label, ()))
        pins = {label: env.pins for label, env in self.envs.items() if env.pins}
        self.plan = replace(self.plan, pins=pins)
        found = environment.capture(
            server_cpus=self.plan.server_cpus, load_cpus=self.plan.load_cpus, database=database
        )
        if self.database is not None and self.database.server:
            found["database_server"] = self.database.server
        found["work"] = work.calibrated_env()  # GET /work's computation, as every server gets it
        if self.envs:
            found["version_sets"] = {label: env.record() for label, env in self.envs.items()}
        return found

    def pending(self) -> list[TrialSpec]:
        done = self.run.done_keys()
        return [spec for spec in self.plan.specs() if spec.key not in done]

    def execute(self, todo: list[TrialSpec] | None = None) -> list[TrialResult]:
        """Measure `todo` (default: the plan's trials not done yet), storing each as it ends."""
        todo = self.pending() if todo is None else todo
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
                if not result.ok and result.applicable:
                    self.retire(spec)
                self.run.save(result)
                results.append(result)
                self.progress.on_trial_end(result)
        finally:
            self.close()
            os.sched_setaffinity(0, own_cpus)
        return results

    def close(self) -> None:
        load_processes.discard_spares()
        stops = [partial(server.stop, grace_s=END_GRACE_S) for server in self.servers.values()]
        stop_all([*stops, *([self.upstream.stop] if self.upstream else [])])
        self.servers, self.upstream = {}, None

    def settle(self) -> bool:
        """Wait until every running server is idle: after a heavy trial a server may still be
        draining requests it accepted, and would steal the next trial's CPU (and hold locks a
        database reset needs). False if one stayed busy past SETTLE_TIMEOUT_S."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        processes = [p for s in self.servers.values() if s.alive() for p in tree(s.pid)]
        while processes and time.monotonic() < deadline:
            before = cpu_of(processes)
            time.sleep(SETTLE_WINDOW_S)
            if cpu_of(processes) - before < IDLE_SHARE * SETTLE_WINDOW_S:
                return True
        return not processes

    def retire(self, spec: TrialSpec) -> None:
        """After a failed trial, the next one gets a fresh server: a wedged or half-dead one must
        not fail trials that are not its own. It has already shown it is stuck, so no grace."""
        if spec.point.server is None:
            return
        running = self.servers.pop(ServerKey.of(spec.point), None)
        if running is not None:
            running.stop(grace_s=1.0)

    def upstream_env(self) -> dict[str, str]:
        """The upstream of this run (started on first need, on the load cores) as servers see
        it; its record goes into run.json."""
        if self.upstream is None:
            config = UpstreamConfig(
                self.plan.upstream_ms, self.plan.upstream_jitter_ms, cpus=self.plan.load_cpus
            )
            self.upstream = RunningUpstream(config).start()
            self.run.update_meta(upstream=config.record())
        return self.upstream.env(self.plan.upstream_timeout_s)

    def server_for(self, point: TrialPoint) -> RunningServer | None:
        """The point's server, started (or restarted after a crash) if need be; None for `--url`."""
        if self.plan.url or point.server is None:
            return None
        key = ServerKey.of(point)
        if key in self.unsupported:
            raise FramematrixError(self.unsupported[key])
        running = self.servers.get(key)
        if running is not None and running.alive():
            return running
        if running is not None:
            running.stop()
        assert self.db is not None
        env = self.upstream_env() if key.role == "upstream" else {}
        if key.role == "realtime" and self.broker_url:
            env["FRAMEMATRIX_BROKER_URL"] = self.broker_url
        config = tuned(
            self.plan,
            ServerConfig(
                contestant=point.contestant,
                server=point.server,
                db_url=self.db.url,
                port=free_port(),
                workers=self.plan.workers,
                cpus=self.plan.server_cpus,
                env=env,
                tuning=point.tuning,
                realtime=key.role == "realtime",
                threads=self.plan.threads or None,
            ),
            point,
        )
        isolated = self.envs.get(point.version_set)
        if isolated is not None:
            config = replace(config, python=isolated.python, env={**env, **isolated.env})
        try:
            self.servers[key] = RunningServer(config).start()
        except FramematrixError as exc:
            if isolated is not None:
                self.unsupported[key] = str(exc)
            raise
        return self.servers[key]

    def resolved(self, point: TrialPoint) -> dict[str, str]:
        """The versions the point runs with: its contestant's and server's distributions and
        those its version set names, where its server runs."""
        spec = registry.CONTESTANTS.get(point.contestant)
        names = list(spec.packages) if spec else []
        if point.server:
            names.append(SERVERS[point.server].package)
        env = self.envs.get(point.version_set)
        if env is None:
            return environment.installed(names)
        return env.versions_of([*names, *versions.parse(point.version_set).names])

    def measure(self, spec: TrialSpec) -> TrialResult:
        """One trial: its server, a quiet machine, a fresh database, the load, the figures.
        Whatever goes wrong fails this trial with its reason, never the run."""
        started = datetime.now(UTC).isoformat(timespec="seconds")
        result = TrialResult(spec, ok=False, started_at=started)
        why_not = lacked(spec.point)
        if why_not is not None:
            result.reason, result.applicable = why_not, False
            return result
        env = self.envs.get(spec.point.version_set)
        if env is not None and env.error:
            result.reason = f"version set {env.label!r} could not be installed: {env.error}"
            return result
        result.resolved = self.resolved(spec.point)
        ahead = self.engine(spec.point.at.engine).processes_module  # started now, used after settle
        if ahead is not None:
            load_processes.prestart(ahead, self.plan.load_process_count)
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
        self.measure_load(spec, server, result)
        if server is not None and server.alive():
            self.served.add((server.pid, spec.point.at))
        # A slow point's server is stopped on purpose: its probe timed a request on a fresh one.
        if server is not None and not server.alive() and result.slow is None:
            result.ok = False
            result.reason = f"the server crashed during the trial: {server.log_tail()}"
        return result

    def measure_load(
        self, spec: TrialSpec, server: RunningServer | None, result: TrialResult
    ) -> None:
        """The point's engine sends its load at the server; its figures, the server's memory
        and CPU per 1,000 requests go into the trial."""
        target = server.config.url if server else spec.point.contestant
        served = server is not None and (server.pid, spec.point.at) in self.served
        load = load_plan(self.plan, spec, target, server.pid if server else None, served)
        result.warmup_s = load.warmup_s
        engine = self.engine(spec.point.at.engine)
        measured, memory, cpu_used = self.load(engine, load, server, result)
        if measured is None:
            return
        recording.fill(result, measured)
        recording.fill_memory(result, memory)
        if cpu_used is not None and measured.requests:
            result.server_cpu_s_per_1k = round(cpu_used / measured.requests * 1000, 4)
        if result.reason is None:
            result.ok = measured.requests > 0
            result.reason = (
                None if result.ok else recording.nothing_completed(measured, self.plan.duration_s)
            )
        if not result.ok and server is not None and recording.answered_none(measured):
            self.probe_slow(spec, result)

    def probe_slow(self, spec: TrialSpec, result: TrialResult) -> None:
        """A point whose requests take longer than its window: time one request alone on a
        fresh server (the old one is still working through the window's), and record the
        trial as what it is, slower than one request per window, not as a failure."""
        self.retire(spec)
        try:
            server = self.server_for(spec.point)
        except FramematrixError:
            return
        assert server is not None
        step = scenario_catalog.get(spec.point.at.scenario).steps[0]
        taken_ms = probe.one_request_ms(server.config.url, step, PROBE_TIMEOUT_S)
        result.ok, result.reason = True, None
        result.slow = {"window_s": self.plan.duration_s, "one_request_ms": taken_ms}
        result.warnings.append(probe.describe(self.plan.duration_s, taken_ms))

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

    def engine(self, name: str) -> engine_base.LoadEngine:
        """An engine of the run, made once with its own options."""
        if name not in self.engines:
            self.engines[name] = self.plan.load_engine(name)
        return self.engines[name]

    def load(
        self,
        engine: engine_base.LoadEngine,
        load: engine_base.LoadPlan,
        server: RunningServer | None,
        result: TrialResult,
    ) -> tuple[engine_base.EngineResult | None, MemoryStats | None, float | None]:
        """Send the warm-up and the measured load in one engine run; the server's memory and CPU
        are sampled from the moment the engine says (`on_measuring`)."""
        sampler = MemorySampler(server.pid) if server else None
        cpu_before: list[float] = []

        def measuring() -> None:
            if sampler is not None:
                sampler.start()
                cpu_before.append(cpu_seconds(sampler.pid))

        measured = None
        try:
            measured = engine.run(load, on_progress=self.progress.on_tick, on_measuring=measuring)
        except MeasurementError as exc:
            result.reason = str(exc)
        finally:
            memory = sampler.stop() if sampler else None
        cpu_used = None
        if server is not None and cpu_before:
            cpu_used = cpu_seconds(server.pid) - cpu_before[0]
        return measured, memory, cpu_used
