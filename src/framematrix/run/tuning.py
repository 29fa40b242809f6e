"""`--tuning best`: each contestant's best documented configuration for a workload, found by a
bounded search on this machine, on the run's database and pinned cores, and cached.

For each contestant and workload a run measures under `best`, the search measures every
candidate of the table (`servers.candidates`: per interface and workload, each with the
documentation it follows) once, at the workload's search load (`SEARCH_LOADS`), through the same
runner as every trial (its own server, a fresh database for writing scenarios, the same engine),
each trial `SEARCH_DURATION_S` after `SEARCH_WARMUP_S` (or the run's own, when shorter). The
best is the candidate with the highest req/s among those that answered without an error and
with p99 under `P99_TARGET_MS` (2 s; where none kept under it, the fastest without errors,
with a note); candidates within the tie zone of the top
(`results.control.Rules`, 5%) count as level with it, and the simplest of those wins (fewer
workers, then fewer threads).

The result, with the trials it rests on, is kept under framematrix's cache, one file per machine
(CPU model, server cores), contestant, workload, database kind and version set (the versions of
the contestant's and servers' distributions): later runs reuse it, `--retune` searches again,
and a file written by another framematrix or candidate table is searched again with a note.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from framematrix import __version__
from framematrix import scenarios as scenario_catalog
from framematrix.contestants.registry import ContestantSpec
from framematrix.db.embedded import cache_root
from framematrix.errors import FramematrixError
from framematrix.measure.environment import cpu_model
from framematrix.results.control import Rules
from framematrix.results.store import Run, write_json_atomic
from framematrix.run.plan import BenchPlan, best_key, lacked
from framematrix.run.runner import Runner
from framematrix.scenarios import Workload
from framematrix.servers import available_cpus, resolve
from framematrix.servers.candidates import SEARCH_LOADS, Candidate, candidates
from framematrix.trials import LoadPoint, TrialPoint, TrialResult, TrialSpec
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S

SEARCH_DURATION_S = 2.0
SEARCH_WARMUP_S = 1.0
START_S = 4.0
"""What starting, settling and stopping one candidate's server may take beside its trial."""
BUDGET_S = 60.0
"""The most one contestant and workload's search may take (`estimated_s`): the tables hold at
most six candidates."""
FORMAT = 2
"""The cache files' format: a file of another format is searched again (2: a realtime search
compares deliveries capped at the offered rate)."""
P99_TARGET_MS = DEFAULT_TIMEOUT_S * 1000
"""A configuration whose p99 is longer than the contestants wait for another service (the
upstream timeout, 2 s) has failed its slowest users: it is not eligible, however fast."""

Say = Callable[[str], None]


@dataclass(frozen=True)
class Tried:
    """One candidate as measured, and why it does not qualify (None: it does)."""

    candidate: Candidate
    rps: float | None
    p99_ms: float | None
    errors: int
    why_not: str | None
    """Why it cannot be chosen at all: it failed, or answered with errors."""
    server_config: dict[str, Any] | None = None
    over_target: bool = False
    """Its p99 was over `P99_TARGET_MS`: chosen only if no configuration stayed under it."""

    @classmethod
    def of(
        cls,
        candidate: Candidate,
        result: TrialResult,
        target_ms: float,
        offered: float | None = None,
    ) -> Tried:
        """`offered`: an open loop's rate (readings a second, devices times their rate); a
        server catching up on its warm-up's backlog delivers more than that in the window, which
        is no merit, so the figure compared is capped there and such servers count as level."""
        p99 = result.latency_ms.get("p99")
        why = None
        if not result.ok:
            why = result.reason or "no request completed"
        elif result.errors:
            why = f"{result.errors} errors of {result.requests} responses"
        over = why is None and (p99 is None or p99 > target_ms)
        rps = result.rps if result.ok else None
        if rps is not None and offered is not None:
            rps = min(rps, offered)
        return cls(candidate, rps, p99, result.errors, why, result.server_config, over)

    def describe(self) -> str:
        figures = f"{self.rps:,.0f} req/s, p99 {self.p99_ms or 0:,.0f} ms" if self.rps else ""
        verdict = f"not eligible: {self.why_not}" if self.why_not else "no errors"
        verdict += f", p99 over the {P99_TARGET_MS:,.0f} ms target" if self.over_target else ""
        return f"{self.candidate.label}: " + "; ".join(x for x in (figures, verdict) if x)

    def record(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate.record(),
            "rps": self.rps,
            "p99_ms": self.p99_ms,
            "errors": self.errors,
            "why_not": self.why_not,
            "server_config": self.server_config,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Tried:
        fields = {k: v for k, v in data.items() if k != "candidate"}
        return cls(Candidate.from_record(data["candidate"]), **fields)


def choose(tried: list[Tried], tie: float, what: str) -> Candidate:
    """The highest req/s among those without errors whose p99 met the target (none met it:
    among those without errors), the simplest of those level with it (within `tie`); none
    without errors: one error naming each candidate and why."""
    eligible = [t for t in tried if t.why_not is None and t.rps]
    if not eligible:
        reasons = "; ".join(t.describe() for t in tried) or "no candidate"
        raise FramematrixError(f"no configuration of {what} served without errors: {reasons}")
    eligible = [t for t in eligible if not t.over_target] or eligible
    top = max(t.rps or 0.0 for t in eligible)
    level = [t for t in eligible if (t.rps or 0.0) * (1 + tie) >= top]
    return min(level, key=lambda t: t.candidate.simplicity).candidate


@dataclass(frozen=True)
class Found:
    """The best configuration of one contestant for one workload, and what it rests on."""

    key: str
    best: Candidate
    tried: tuple[Tried, ...]
    searched_at: str
    cached: bool = False

    def record(self, identity: dict[str, Any]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "framematrix": __version__,
            **identity,
            "searched_at": self.searched_at,
            "best": self.best.record(),
            "tried": [t.record() for t in self.tried],
        }


@dataclass(frozen=True)
class Target:
    """One contestant and workload to tune, in one version set."""

    contestant: str
    spec: ContestantSpec
    """Its spec for the workload (the WebSocket side's for `realtime`)."""
    workload: Workload
    version_set: str

    @property
    def key(self) -> str:
        return best_key(self.contestant, self.workload, self.version_set)

    @property
    def what(self) -> str:
        where = f" ({self.version_set})" if self.version_set else ""
        return f"{self.contestant}{where} for {self.workload}"


def targets(plan: BenchPlan) -> Iterator[Target]:
    """Each contestant and workload the plan measures under `best`, once."""
    seen: set[str] = set()
    for name in plan.scenarios:
        scenario = scenario_catalog.get(name)
        realtime = scenario.workload == "realtime"
        at = LoadPoint(name, plan.db_kind, plan.engine, 1, None)
        for contestant in plan.contestants:
            if lacked(TrialPoint(contestant, None, at)):
                continue
            spec, _ = resolve(contestant, None, realtime=realtime)
            for version_set in plan.version_sets or ("",):
                target = Target(contestant, spec, scenario.workload, version_set)
                if target.key not in seen:
                    seen.add(target.key)
                    yield target


def search_plan(plan: BenchPlan) -> BenchPlan:
    """The run's plan as the search measures with it: one trial per candidate, shorter."""
    return replace(
        plan,
        duration_s=min(plan.duration_s, SEARCH_DURATION_S),
        warmup_s=min(plan.warmup_s, SEARCH_WARMUP_S),
        trials=1,
        control=None,
        tunings=("best",),
    )


def estimated_s(plan: BenchPlan, count: int) -> float:
    """What a search of `count` candidates takes with this plan (server starts included)."""
    searched = search_plan(plan)
    return count * (searched.duration_s + searched.warmup_s + START_S)


class Search:
    """Finds (or reads from the cache) the best configuration of each target of a run."""

    def __init__(self, runner: Runner, say: Say, *, root: Path | None = None) -> None:
        self.runner = runner
        self.say = say
        self.root = (root or cache_root()) / "tuning"
        self.plan = search_plan(runner.plan)

    @property
    def cores(self) -> int:
        return len(self.plan.server_cpus or available_cpus())

    def machine(self) -> dict[str, Any]:
        return {"cpu": cpu_model(), "cores": self.cores}

    def identity(self, target: Target, tried: tuple[Candidate, ...]) -> dict[str, Any]:
        """What a cache file is for: machine, contestant, workload, database, versions."""
        at = self.load_point(target.workload)
        versions: dict[str, str] = {}
        for candidate in tried:
            point = TrialPoint(target.contestant, candidate.server, at, "best", target.version_set)
            versions.update(self.runner.resolved(point))
        return {
            "machine": self.machine(),
            "contestant": target.contestant,
            "workload": target.workload,
            "db": self.plan.db_kind,
            "version_set": target.version_set,
            "versions": dict(sorted(versions.items())),
            "search": {
                "scenario": at.scenario,
                "load": SEARCH_LOADS[target.workload].load,
                "engine": at.engine,
                "duration_s": self.plan.duration_s,
                "p99_target_ms": P99_TARGET_MS,
            },
        }

    def path(self, identity: dict[str, Any]) -> Path:
        machine = identity["machine"]
        where = hashlib.sha256(json.dumps(machine, sort_keys=True).encode()).hexdigest()[:10]
        which = json.dumps([identity["version_set"], identity["versions"]], sort_keys=True)
        digest = hashlib.sha256(which.encode()).hexdigest()[:10]
        name = f"{identity['contestant']}-{identity['workload']}-{identity['db']}-{digest}.json"
        return self.root / f"{machine['cores']}-cores-{where}" / name

    def load_point(self, workload: Workload) -> LoadPoint:
        search = SEARCH_LOADS[workload]
        engine = "realtime" if workload == "realtime" else self.plan.engine
        return LoadPoint(search.scenario, self.plan.db_kind, engine, search.load, None)

    def resolve(self) -> dict[str, dict[str, Any]]:
        """Each target's best candidate, as the plan keeps them (`BenchPlan.best`)."""
        found: dict[str, dict[str, Any]] = {}
        uncached: list[Target] = []
        for target in targets(self.runner.plan):
            best = self.best(target)
            if best is not None:
                found[target.key] = best.best.record()
            elif not self.runner.plan.search:
                uncached.append(target)
        if uncached:
            names = ", ".join(dict.fromkeys(t.contestant for t in uncached))
            workloads = ", ".join(dict.fromkeys(t.workload for t in uncached))
            self.say(
                f"no best configuration cached for {names} ({workloads}): measured under equal "
                "settings only (`--tuning best` searches them)"
            )
        return found

    def best(self, target: Target) -> Found | None:
        """The target's best: cached, searched, or (the default `matrix`) None when it has none
        cached."""
        allowed = self.runner.plan.servers
        tried, left_out = candidates(target.spec, target.workload, self.cores, allowed)
        identity = self.identity(target, tried)
        path = self.path(identity)
        cached, note = (None, "--retune") if self.runner.plan.retune else self.read(path, tried)
        if cached is not None:
            self.say(f"{target.what}: {cached.best.label} (cached {cached.searched_at})")
            return cached
        if not self.runner.plan.search:
            return None  # said once for all (`resolve`)
        skipped = "".join(f"; {server} left out: {why}" for server, why in left_out.items())
        self.say(
            f"{target.what}: searching {len(tried)} configurations "
            f"(~{estimated_s(self.runner.plan, len(tried)):.0f} s"
            + (f", {note}" if note else "")
            + f"){skipped}"
        )
        found = self.search(target, tried)
        write_json_atomic(path, found.record(identity))
        self.say(f"{target.what}: best {found.best.label} ({found.best.source})")
        if all(t.over_target for t in found.tried if t.why_not is None):
            self.say(f"  note: no configuration kept p99 under {P99_TARGET_MS:,.0f} ms here")
        return found

    def read(self, path: Path, table: tuple[Candidate, ...]) -> tuple[Found | None, str | None]:
        """The cached result, or None and why it is searched again (None: never searched)."""
        if not path.exists():
            return None, None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            best = Candidate.from_record(data["best"])
            tried = tuple(Tried.from_record(t) for t in data["tried"])
        except (OSError, ValueError, KeyError, TypeError):
            return None, f"the cached {path.name} could not be read: searched again"
        if data.get("format") != FORMAT or data.get("framematrix") != __version__:
            version = data.get("framematrix", "an unknown version")
            return None, f"the cache was written by framematrix {version}: searched again"
        if best not in table:
            return None, "the cached best is no longer a candidate: searched again"
        return Found(path.stem, best, tried, data.get("searched_at", "?"), cached=True), None

    def offered(self, target: Target) -> float | None:
        """The readings a second the realtime search offers (None: a closed loop)."""
        if target.workload != "realtime":
            return None
        return SEARCH_LOADS["realtime"].load * self.plan.realtime.device_rate

    def search(self, target: Target, table: tuple[Candidate, ...]) -> Found:
        tried = []
        for candidate in table:
            result = self.measure(target, candidate)
            tried.append(Tried.of(candidate, result, P99_TARGET_MS, self.offered(target)))
            self.say(f"  {tried[-1].describe()}")
        best = choose(tried, Rules().tie, target.what)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return Found(target.key, best, tuple(tried), now)

    def measure(self, target: Target, candidate: Candidate) -> TrialResult:
        """One trial of one candidate, through a runner of its own on the run's database (its
        server stopped after it)."""
        at = self.load_point(target.workload)
        point = TrialPoint(target.contestant, candidate.server, at, "best", target.version_set)
        plan = replace(
            self.plan, contestants=(target.contestant,), best={target.key: candidate.record()}
        )
        if target.workload == "realtime":
            plan = replace(plan, realtime=replace(plan.realtime, devices=(at.concurrency or 1,)))
        with tempfile.TemporaryDirectory(prefix="framematrix-tuning-") as folder:
            run = Run.create(Path(folder), {"plan": {}})
            runner = Runner(plan, run, self.runner.database, broker_url=self.runner.broker_url)
            runner.envs = self.runner.envs
            [result] = runner.execute([TrialSpec(point, 0)])
        return result


def resolve_best(runner: Runner, say: Say) -> BenchPlan:
    """The runner's plan with the best configuration of each target it measures under `best`
    (searched or cached); unchanged for a plan without `best`, or one resumed with them."""
    plan = runner.plan
    if "best" not in plan.tunings or plan.url or plan.best:
        return plan
    return replace(plan, best=Search(runner, say).resolve())
