"""locust: Locust's master/worker mode, for load from several machines.

framematrix writes a locustfile from the scenario data (`locustfile`: the steps, templates,
flows and success statuses as data; the code that runs them is `locust_scenario.py`), starts
Locust headless as master with `--expect-workers N`, starts the local workers itself, each
pinned to one load core, and waits for workers on other machines (`framematrix locust-worker
--master HOST:PORT`, `locust_worker.py`), which download the same locustfile from the master.

Measured window: once every user runs, the master lets the warm-up go on for `warmup_s` on the
same users and connections, then tells every worker to open its window (and framematrix calls
`on_measuring()` as the master says so), and closes it `duration_s` later. Each worker logs the
responses that arrive inside its window into a Locust `StatsEntry` of its own and sends it back,
so the figures cover the measured window only, whatever Locust's periodic reports and
`--reset-stats` would have mixed in.

Latency precision: the HdrHistogram is built from Locust's own response-time buckets (its
`response_times` dict: rounded ms -> count), never from percentiles. Locust rounds each latency
to the nearest millisecond below 100 ms and to two significant digits above (10 ms steps up to
1 s, 100 ms steps up to 10 s, 1 s steps beyond: `locust.stats.bucket_response_time`), so
percentiles are good to +-0.5 ms below 100 ms and to +-5 % above; a latency under 0.5 ms reads
as 0. Min and max are exact (Locust keeps them unrounded). Every result says so.

Closed loop: `--concurrency` users, each one connection sending its next request on each
response (FastHttpUser, geventhttpclient). Open loop (`--rate`): Locust has no scheduler of
intended send times; each user is paced by `constant_throughput`, at most USER_RATE req/s, so a
user whose response takes longer than its pace falls behind and never catches up, and latency is
timed from the actual send (coordinated omission is not corrected: builtin corrects it). Every
open-loop result says so, and how far the rate sent fell short of the rate asked.

Options: `LocustOptions` (`--locust-workers`, `--locust-remote-workers`, `--locust-master`),
declared and checked here; the engine is made with them, each trial's `LoadPlan` says the load.

Errors: workers that do not all join within `join_timeout_s`, a worker that dies or stops
answering mid-trial, or a Locust that is not installed fail the trial with a one-line reason;
every process is in its own process group, stopped at the end whatever happened.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import ipaddress
import json
import math
import pprint
import secrets
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from hdrh.histogram import HdrHistogram

from framematrix import __version__
from framematrix.engines import histogram as hist
from framematrix.engines.base import (
    SATURATED,
    EngineResult,
    LoadPlan,
    LoadSource,
    Measuring,
    Progress,
)
from framematrix.errors import FramematrixError, MeasurementError
from framematrix.flags import changed, flag

MARK = "FRAMEMATRIX-LOCUST "
REFUSED = 2
"""A worker's exit code when it refuses a locustfile of another framematrix or Locust."""
STALE = 3
"""A worker's exit code when its locustfile is an earlier trial's."""
DEFAULT_PORT = 5557
"""Locust's own default master port (one TCP port: workers connect to it)."""
MINIMUM = (2, 47)
INSTALL = "pip install 'framematrix[locust]' (./bootstrap installs it)"
RESULT_WAIT_S = 10.0
"""How long the master waits for every worker's window after closing it."""
USER_RATE = 5.0
"""Open loop: the most requests per second one user is paced at (more users above)."""
SPAWN_S = 0.5
"""Closed loop: every user is started within this time, before the warm-up begins."""
JOIN_TIMEOUT_S = 30.0
"""Workers that have not all joined by then fail the trial."""
PRECISION = (
    "locust keeps latencies to the nearest millisecond below 100 ms and to two significant "
    "digits above (10 ms steps to 1 s, 100 ms steps to 10 s): its percentiles are good to "
    "+-0.5 ms below 100 ms and +-5 % above; min and max are exact"
)


def signature() -> str:
    """This framematrix's version and the digest of the code a locustfile runs: a worker must
    have the same to run a master's locustfile."""
    source = resources.files("framematrix.engines").joinpath("locust_scenario.py").read_bytes()
    return f"{__version__}+{hashlib.sha256(source).hexdigest()[:12]}"


def worker_versions(framematrix: str, locust: str) -> dict[str, str]:
    """What master and worker must share: framematrix's signature, Locust's major.minor."""
    return {"framematrix": framematrix, "locust": ".".join(locust.split(".")[:2])}


def locust_version() -> str | None:
    """The installed Locust's version, without importing it (that would patch this process)."""
    if importlib.util.find_spec("locust") is None:
        return None
    return importlib.metadata.version("locust")


def parse_master(text: str) -> tuple[str, int]:
    """`HOST[:PORT]` (`[::1]:5557` for IPv6) -> (host, port); the port defaults to 5557."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:  # a bare host name or IPv6 address
        host, port = text, ""
    number = int(port) if port.isdigit() else (DEFAULT_PORT if not port else 0)
    if not host or not 0 < number < 65536:
        raise FramematrixError(f"bad master address {text!r}: use HOST[:PORT], e.g. 10.0.0.5:5557")
    return host, number


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class LocustOptions:
    """Where locust's load comes from: worker processes it starts here, pinned to the load
    cores, and workers on other machines that join its master. Given to `--engine locust` only."""

    locust_workers: int | None = flag(
        None, "locust: workers started here, one per load core by default.", min=0
    )
    """None: one per load core."""
    locust_remote_workers: int = flag(
        0,
        "locust: workers on other machines to wait for "
        "(`framematrix locust-worker --master HOST:PORT` on each).",
        min=0,
    )
    locust_master: str = flag(
        "",
        "locust: HOST:PORT the master listens on; default 127.0.0.1 on a free port, "
        "0.0.0.0:5557 with remote workers.",
    )
    """"": 127.0.0.1 on a free port, or 0.0.0.0:5557 (Locust's own default port) when remote
    workers are expected."""

    def check(self, engine: str) -> None:
        """These options belong to `--engine locust`; the master's address must parse."""
        given = changed(self)
        if given and engine != "locust":
            raise FramematrixError(f"{', '.join(given)} apply to --engine locust only")
        if self.locust_master:
            parse_master(self.locust_master)


@dataclass(frozen=True)
class Layout:
    """Who sends the load of one plan: workers here and elsewhere, their users, the master."""

    local: int
    remote: int
    users: int
    spawn_rate: float
    host: str
    """Where the master listens."""
    port: int | None
    """None: a free port, chosen when the trial starts."""

    @property
    def workers(self) -> int:
        return self.local + self.remote

    @property
    def connect_host(self) -> str:
        """Where local workers find the master."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "*", "") else self.host

    @classmethod
    def of(cls, plan: LoadPlan, options: LocustOptions) -> Layout:
        local = plan.cores if options.locust_workers is None else options.locust_workers
        workers = local + options.locust_remote_workers
        if plan.rate is not None:
            users = min(plan.max_connections, max(workers, math.ceil(plan.rate / USER_RATE)))
            spawn_rate = plan.rate  # one user per request interval: their paces are spread
        else:
            assert plan.concurrency is not None
            users, spawn_rate = plan.concurrency, plan.concurrency / SPAWN_S
        if options.locust_master:
            host, port = parse_master(options.locust_master)
        elif options.locust_remote_workers:
            host, port = "0.0.0.0", DEFAULT_PORT
        else:
            host, port = "127.0.0.1", None
        return cls(local, options.locust_remote_workers, users, spawn_rate, host, port)


def locustfile(plan: LoadPlan, layout: Layout, trial: str) -> str:
    """The locustfile of one trial: the scenario as data, and the code that runs it."""
    from framematrix.engines.builtin.flows import FLOW_ID  # the flow rule every engine follows

    version = locust_version() or "0"
    steps = [
        {
            "method": step.method,
            "path": plan.prefix + step.path,
            "body": step.body,
            "expect": step.expect,
            "carries_id": index == 0 and plan.scenario.is_flow,
        }
        for index, step in enumerate(plan.scenario.steps)
    ]
    config: dict[str, Any] = {
        "framematrix": signature(),
        "locust": worker_versions("", version)["locust"],
        "trial": trial,
        "scenario": plan.scenario.name,
        "steps": steps,
        "success": sorted(plan.scenario.success),
        "flow_id": FLOW_ID.pattern.decode(),
        "authors": plan.seed_size.authors,
        "seed": plan.seed,
        "base_url": f"http://{plan.netloc}",
        "timeout_s": plan.timeout_s,
        "connection_close": plan.connection_per_request,
        "rate_per_user": plan.rate / layout.users if plan.rate is not None else None,
        "warmup_s": plan.warmup_s,
        "duration_s": plan.duration_s,
    }
    return (
        f'"""Scenario {plan.scenario.name!r} for Locust, written by framematrix '
        f"{config['framematrix']} for one trial.\n\nThe scenario is data (from "
        "framematrix.scenarios); the code that runs it is framematrix's own\n"
        '(framematrix/engines/locust_scenario.py), so every worker needs the same framematrix.\n"""'
        "\n\nfrom framematrix.engines.locust_scenario import install\n\n"
        f"CONFIG = {pprint.pformat(config, width=96, sort_dicts=False)}\n\n"
        "ScenarioUser = install(CONFIG)\n"
    )


class LocustEngine:
    name = "locust"

    def __init__(
        self, options: LocustOptions | None = None, join_timeout_s: float = JOIN_TIMEOUT_S
    ) -> None:
        self.options = options or LocustOptions()
        self.join_timeout_s = join_timeout_s

    def available(self) -> tuple[bool, str]:
        version = locust_version()
        if version is None:
            return False, f"Locust is not installed: {INSTALL}"
        if tuple(int(part) for part in version.split(".")[:2] if part.isdigit()) < MINIMUM:
            return False, f"Locust {version} is too old: framematrix needs Locust 2.47 or newer"
        return True, ""

    def check(self, plan: LoadPlan) -> None:
        if not plan.scenario.steps:
            raise FramematrixError(
                f"scenario {plan.scenario.name!r} has no HTTP steps for locust to send"
            )
        layout = Layout.of(plan, self.options)
        if layout.workers < 1:
            raise FramematrixError(
                "locust needs a worker: --locust-workers N (here) or --locust-remote-workers N"
            )
        if layout.users < layout.workers:
            raise FramematrixError(
                f"--concurrency {layout.users} is fewer users than the {layout.workers} locust "
                "workers: each worker needs one at least"
            )
        if layout.remote and not is_loopback(layout.host) and is_loopback(plan.host):
            raise FramematrixError(
                f"locust workers on other machines cannot reach {plan.base_url}: give --url "
                "an address they can reach"
            )

    def run(
        self,
        plan: LoadPlan,
        on_progress: Progress | None = None,
        on_measuring: Measuring | None = None,
    ) -> EngineResult:
        from framematrix.engines.locust_cluster import Cluster
        from framematrix.servers import free_port

        ok, why = self.available()
        if not ok:
            raise MeasurementError(why)
        self.check(plan)
        layout = Layout.of(plan, self.options)
        port = layout.port or free_port()
        trial = secrets.token_hex(4)
        with tempfile.TemporaryDirectory(prefix="fm-locust-") as folder:
            path = Path(folder) / f"fm_locust_{trial}.py"
            path.write_text(locustfile(plan, layout, trial), encoding="utf-8")
            result = Path(folder) / "result.json"
            master = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(path),
                "--master",
                "--headless",
                "--master-bind-host",
                layout.host,
                "--master-bind-port",
                str(port),
                "--expect-workers",
                str(layout.workers),
                "--expect-workers-max-wait",
                str(math.ceil(self.join_timeout_s)),
                "-u",
                str(layout.users),
                "-r",
                f"{layout.spawn_rate:g}",
                "-H",
                plan.base_url,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
                "--stop-timeout",
                "0",
                "-t",
                f"{math.ceil(_run_time_s(plan, layout))}s",
                "--fm-trial",
                trial,
                "--fm-result",
                str(result),
            ]
            worker = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(path),
                "--worker",
                "--master-host",
                layout.connect_host,
                "--master-port",
                str(port),
                "--loglevel",
                "WARNING",
            ]
            with Cluster(
                Path(folder), plan, layout, master, worker, self.join_timeout_s
            ) as cluster:
                cluster.follow(on_progress, on_measuring)
            if not result.exists():
                raise MeasurementError("locust's master ended without writing the trial's results")
            data = json.loads(result.read_text(encoding="utf-8"))
        return engine_result(data, plan, layout)


def _run_time_s(plan: LoadPlan, layout: Layout) -> float:
    """Locust's own `-t`, a last bound should framematrix's clock in the master never finish."""
    return layout.users / layout.spawn_rate + plan.warmup_s + plan.duration_s + 60


def engine_result(data: dict[str, Any], plan: LoadPlan, layout: Layout) -> EngineResult:
    """The master's results file as the common result; MeasurementError for a void trial."""
    if "failed" in data:
        raise MeasurementError(data["failed"])
    if data["missing"]:
        raise MeasurementError(
            f"locust {', '.join(data['missing'])} sent no results for the measured window (it "
            "died or lost the master): the trial is void"
        )
    workers = sorted(data["workers"], key=lambda worker: int(worker["index"]))
    users = sum(int(worker["users"]) for worker in workers)
    if users != layout.users:
        raise MeasurementError(
            f"locust ran {users} of the {layout.users} users asked in the measured window: a "
            "worker lost its users (see the workers' output)"
        )
    window_s = float(data["window_s"])
    errors: Counter[str] = Counter()
    sources = []
    for worker in workers:
        errors.update({kind: int(n) for kind, n in worker["errors"].items()})
        share = float(worker["cpu_s"]) / float(worker["window_s"] or 1)
        sources.append(
            LoadSource(
                name=f"worker {worker['index']} ({worker['host']}, pid {worker['pid']})",
                requests=int(worker["responses"]),
                cpu_s=round(float(worker["cpu_s"]), 3),
                saturated=share > SATURATED or bool(worker["locust_cpu_warning"]),
            )
        )
    requests = sum(source.requests for source in sources)
    warnings = [PRECISION, *_saturation(sources, window_s)]
    if plan.rate is not None:
        warnings += _open_loop(plan, layout, requests + _unanswered(errors), window_s)
    return EngineResult(
        engine="locust",
        requests=requests,
        duration_s=window_s,
        histogram=histogram_of(workers),
        errors=dict(errors),
        engine_cpu_s=sum(source.cpu_s for source in sources) + float(data["master_cpu_s"]),
        cores=max(1, min(layout.local, plan.cores) + layout.remote),
        warnings=tuple(warnings),
        sources=tuple(sources),
    )


def histogram_of(workers: list[dict[str, Any]]) -> HdrHistogram:
    """Locust's buckets (rounded ms -> count) of every worker as one HdrHistogram (µs), the
    fastest and slowest response at their exact values (Locust keeps those unrounded)."""
    counts: Counter[int] = Counter()
    for worker in workers:
        counts.update({int(ms): int(n) for ms, n in worker["response_times"].items()})
    histogram = hist.new()
    answered = [worker for worker in workers if worker["responses"]]
    if not counts or not answered:
        return histogram
    # rounding is monotonic: the fastest response is in the lowest bucket, the slowest in the top
    total, lowest, highest = sum(counts.values()), min(counts), max(counts)
    counts[lowest] -= 1
    hist.record(histogram, min(float(w["min_ms"]) for w in answered) * 1000)
    if total > 1:
        counts[highest] -= 1
        hist.record(histogram, max(float(w["max_ms"]) for w in answered) * 1000)
    for ms, n in counts.items():
        if n > 0:
            hist.record(histogram, ms * 1000, n)
    return histogram


def _unanswered(errors: Counter[str]) -> int:
    return sum(n for kind, n in errors.items() if not kind.startswith("status:"))


def _saturation(sources: list[LoadSource], window_s: float) -> list[str]:
    return [
        f"locust {source.name} used {source.cpu_s / (window_s or 1):.0%} of its core in the "
        "measured window (Locust warns above 90 %): Locust itself may have throttled the load; "
        "add workers (--locust-workers, or machines with --locust-remote-workers)"
        for source in sources
        if source.saturated
    ]


def _open_loop(plan: LoadPlan, layout: Layout, sent: int, window_s: float) -> list[str]:
    assert plan.rate is not None
    pace = plan.rate / layout.users
    notes = [
        f"open loop by Locust's constant_throughput: {layout.users} users each paced at "
        f"{pace:.3g} req/s; a user whose response takes longer than {1 / pace:.3g} s falls "
        "behind and does not catch up, and latency is timed from the actual send, not the "
        "intended one (coordinated omission is not corrected: --engine builtin corrects it)"
    ]
    if window_s and sent / window_s < 0.95 * plan.rate:
        notes.append(
            f"locust sent {sent / window_s:,.0f} req/s of the {plan.rate:g} asked: its users "
            "fell behind their pace"
        )
    return notes
