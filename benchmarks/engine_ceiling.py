"""Is the load engine the bottleneck? builtin with 1 and 2 load processes beside wrk, in one run.

Three measurements, each in interleaved rounds (builtin x1, builtin x2, wrk, builtin x1, ...):

1. ceiling: raw-asgi (the fastest contestant) under uvicorn, one worker pinned to the server
   core, `/health` (no database) at a high concurrency; every engine pinned to the load core.
   builtin x2 runs both its processes on that one core: it shows what splitting costs;
2. one real scenario (list-posts on SQLite by default) at a fixed concurrency, same pinning;
3. scaling, when nginx is installed: does a second load process add what a second core gives?
   A Python server costs more per request than builtin, so builtin x2 cannot outrun builtin x1
   against one; nginx (one worker, pinned to the server core, a fixed `/health` body) costs a
   few µs per request, less than any engine. A 2-core machine has no spare core for a second
   load process, so each load process gets a cgroup of its own, capped by a CFS quota at
   `--scaling-cap` of a core (default 0.35): two such "cores" fit on the load core beside an
   uncapped nginx, the engine is the bottleneck, and builtin x2 / x1 near 2 is the scaling.
   Without a writable cgroup CPU controller (or with `--scaling-cap 0`), builtin x2 runs
   uncapped on `--scaling-cpus` (default: the server's and the load core, which limits it).

Prints per engine the median req/s (with min-max), p50/p99, CPU use, requests per engine
CPU-second (its efficiency: what one saturated core of it could send), and builtin / wrk ratios
of both. builtin counts its CPU in the measured window only; wrk's is its whole process, which
includes its start and its report after the window (about 0.1 CPU-s a run), so at 5 s a run the
ratio flatters builtin by a few per cent. The issue asks for builtin's requests per engine
CPU-second within 10 % of wrk's.

    .venv/bin/python benchmarks/engine_ceiling.py [--duration 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from framematrix import scenarios
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import get_engine
from framematrix.engines.base import EngineResult, LoadPlan
from framematrix.engines.tool import pinned
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port

NGINX_CONF = """daemon off; master_process off; worker_processes 1; pid {dir}/nginx.pid;
error_log stderr error;
events {{ worker_connections 4096; }}
http {{
  access_log off; keepalive_requests 100000000; client_body_temp_path {dir};
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{ default_type application/json; return 200 '{{"status": "ok"}}'; }}
  }}
}}
"""


@dataclass(frozen=True)
class Contender:
    label: str
    engine: str
    processes: int
    cpus: tuple[int, ...]


@dataclass(frozen=True)
class Measurement:
    title: str
    scenario: str
    concurrency: int
    runs: dict[str, list[EngineResult]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ceiling-concurrency", type=int, default=64)
    parser.add_argument("--scenario", default="list-posts")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--engine-cpu", type=int, default=1)
    parser.add_argument("--scaling-cpus", help="cores for builtin x2 in the nginx part, e.g. 1,2")
    parser.add_argument("--no-scaling", action="store_true", help="skip the nginx part")
    parser.add_argument(
        "--scaling-cap", type=float, default=0.35,
        help="share of a core each load process gets in the nginx part (0: no cap)",
    )  # fmt: skip
    args = parser.parse_args()
    ok, why = get_engine("wrk").available()
    if not ok:
        print(f"error: {why}", file=sys.stderr)
        return 2
    one_core = (args.engine_cpu,)
    pinned_alike = [
        Contender("builtin x1", "builtin", 1, one_core),
        Contender("builtin x2", "builtin", 2, one_core),
        Contender("wrk", "wrk", 1, one_core),
    ]
    measurements = []
    with tempfile.TemporaryDirectory(prefix="fm-ceiling-") as folder:
        db = DatabaseURL.parse(f"sqlite:///{Path(folder) / 'blog.db'}")
        init(db, SeedSize())
        config = ServerConfig(
            contestant="raw-asgi", server="uvicorn", db_url=db.url, port=free_port(),
            workers=1, cpus=(args.server_cpu,),
        )  # fmt: skip
        with RunningServer(config) as server:
            url = server.config.url
            ceiling = "ceiling: raw-asgi under uvicorn, 1 worker"
            real = f"scenario: raw-asgi under uvicorn, {args.scenario}"
            measurements += [
                measure(ceiling, url, "health", args.ceiling_concurrency, pinned_alike, args),
                measure(real, url, args.scenario, args.concurrency, pinned_alike, args),
            ]
    if not args.no_scaling and shutil.which("nginx"):
        measurements.append(scaling(args, one_core))
    elif not args.no_scaling:
        print("nginx is not installed: the scaling part is skipped", file=sys.stderr)
    print_tables(measurements, args)
    return 0


def measure(
    title: str,
    url: str,
    scenario: str,
    concurrency: int,
    contenders: list[Contender],
    args: argparse.Namespace,
) -> Measurement:
    runs: dict[str, list[EngineResult]] = {c.label: [] for c in contenders}
    for round_ in range(args.rounds):
        for contender in contenders:
            plan = LoadPlan(
                base_url=url, scenario=scenarios.get(scenario), concurrency=concurrency,
                duration_s=args.duration, warmup_s=args.warmup, cpus=contender.cpus,
                processes=contender.processes,
            )  # fmt: skip
            result = get_engine(contender.engine).run(plan)
            runs[contender.label].append(result)
            print(
                f"  round {round_ + 1}: {title[:30]:<30} {contender.label:<11}"
                f"{result.rps:>9,.0f} req/s  errors {sum(result.errors.values())}",
                file=sys.stderr,
            )
    return Measurement(title, scenario, concurrency, runs)


def scaling(args: argparse.Namespace, one_core: tuple[int, ...]) -> Measurement:
    """builtin x1 and x2 against nginx, each load process capped when cgroups allow it."""
    root = cpu_cgroup() if args.scaling_cap > 0 else None
    if args.scaling_cap > 0 and root is None:
        print("no writable cgroup CPU controller: load processes run uncapped", file=sys.stderr)
    if args.scaling_cpus:
        cores = tuple(int(core) for core in args.scaling_cpus.split(","))
    else:  # capped, both fit on the load core; uncapped, the second needs a core of its own
        cores = one_core if root else tuple(sorted({args.server_cpu, args.engine_cpu}))
    title = (
        f"scaling: nginx, each load process at {args.scaling_cap:g} core"
        if root
        else f"scaling: nginx, 1 worker (builtin x2 on cores {','.join(map(str, cores))})"
    )
    contenders = [
        Contender("builtin x1", "builtin", 1, one_core),
        Contender("builtin x2", "builtin", 2, cores),
    ]
    if root is None:  # capped, wrk's report (its Lua `done`, after the window) runs slowed too
        contenders.append(Contender("wrk", "wrk", 1, one_core))
    with nginx(args.server_cpu) as url:
        caps = CpuCaps(root, args.scaling_cap) if root else contextlib.nullcontext()
        with caps:
            return measure(title, url, "health", args.ceiling_concurrency, contenders, args)


def cpu_cgroup() -> Path | None:
    """The cgroup CPU controller's root if this process may make groups there (v1 or v2)."""
    v1, v2 = Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup")
    if (v1 / "cpu.cfs_quota_us").exists() and os.access(v1, os.W_OK):
        return v1
    controllers = v2 / "cgroup.subtree_control"
    if controllers.exists() and "cpu" in controllers.read_text().split():
        return v2 if os.access(v2, os.W_OK) else None
    return None


class CpuCaps:
    """While active, every process this one starts is moved into a cgroup of its own with a CFS
    quota of `share` of a core: a load process then runs as if on a core of that size."""

    PERIOD_US = 100_000

    def __init__(self, root: Path, share: float) -> None:
        self.root, self.quota = root, int(share * self.PERIOD_US)
        self.before = {child.pid for child in psutil.Process().children()}
        self.groups: list[Path] = []
        self.done = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> CpuCaps:
        self.watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.watcher.join()
        for group in self.groups:
            for _ in range(50):  # its process was waited for, but the kernel may lag a little
                with contextlib.suppress(OSError):
                    group.rmdir()
                    break
                time.sleep(0.1)
            else:
                print(f"cgroup {group} was left behind", file=sys.stderr)

    def _watch(self) -> None:
        """Every 10 ms: the new children, capped long before their warm-up is over."""
        me, capped = psutil.Process(), set(self.before)
        while not self.done.wait(0.01):
            try:
                for child in me.children():
                    if child.pid not in capped:
                        capped.add(child.pid)
                        self._cap(child.pid)
            except (psutil.Error, OSError) as exc:
                print(f"a load process could not be capped: {exc}", file=sys.stderr)

    def _cap(self, pid: int) -> None:
        group = self.root / f"fm-ceiling-{os.getpid()}-{len(self.groups)}"
        group.mkdir()
        self.groups.append(group)
        if (group / "cpu.max").exists():
            (group / "cpu.max").write_text(f"{self.quota} {self.PERIOD_US}")
        else:
            (group / "cpu.cfs_period_us").write_text(str(self.PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(self.quota))
        with contextlib.suppress(ProcessLookupError):  # it may be gone already
            (group / "cgroup.procs").write_text(str(pid))


@contextlib.contextmanager
def nginx(cpu: int) -> Iterator[str]:
    """nginx with one worker pinned to `cpu`, answering every path with a small JSON body."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="fm-nginx-") as folder:
        conf = Path(folder) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=folder, port=port))
        with pinned((cpu,)):
            process = subprocess.Popen(
                ["nginx", "-p", folder, "-e", "stderr", "-c", str(conf)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            _wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise FramematrixError(f"nginx exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise FramematrixError("nginx did not start listening in 10 s")


def per_cpu_s(result: EngineResult) -> float:
    return result.requests / result.engine_cpu_s if result.engine_cpu_s else 0.0


def print_tables(measurements: list[Measurement], args: argparse.Namespace) -> None:
    print(
        f"\nserver on core {args.server_cpu}, engines on core {args.engine_cpu} unless said; "
        f"{args.rounds} rounds of {args.duration:g} s (+{args.warmup:g} s warm-up), "
        "interleaved; medians with [min-max]\n"
    )
    header = f"{'measurement':<52}{'conc.':>6}  {'engine':<11}{'req/s':>26}{'p50 ms':>8}"
    print(header + f"{'p99 ms':>8}{'CPU':>6}{'req/CPU-s':>11}  saturated")
    print("-" * (len(header) + 36))
    for m in measurements:
        for label, runs in m.runs.items():
            rps = [r.rps for r in runs]
            cpu = statistics.median(r.engine_cpu_s / (r.duration_s * r.cores) for r in runs)
            print(
                f"{m.title:<52}{m.concurrency:>6}  {label:<11}"
                f"{statistics.median(rps):>10,.0f} [{min(rps):>6,.0f}-{max(rps):>6,.0f}]"
                f"{statistics.median(r.latency_ms(50) for r in runs):>8.2f}"
                f"{statistics.median(r.latency_ms(99) for r in runs):>8.2f}"
                f"{cpu:>6.0%}{statistics.median(per_cpu_s(r) for r in runs):>11,.0f}"
                f"   {sum(r.saturated for r in runs)}/{len(runs)}"
            )
    print()
    for m in measurements:
        wrk = m.runs.get("wrk", [])
        for label in ("builtin x1", "builtin x2") if wrk else ():
            ours = m.runs[label]
            print(
                f"{m.title:<52} {label} / wrk: req/s {ratio(ours, wrk, 'rps')}, "
                f"req/CPU-s {ratio(ours, wrk, 'cpu')}"
            )
        print(
            f"{m.title:<52} builtin x2 / x1: req/s "
            f"{ratio(m.runs['builtin x2'], m.runs['builtin x1'], 'rps')}"
        )


def ratio(ours: list[EngineResult], theirs: list[EngineResult], of: str) -> str:
    """The ratio of the medians, and the per-round ratios (the rounds ran side by side)."""

    def value(result: EngineResult) -> float:
        return result.rps if of == "rps" else per_cpu_s(result)

    rounds = [value(a) / value(b) for a, b in zip(ours, theirs, strict=True) if value(b)]
    median = statistics.median(map(value, ours)) / statistics.median(map(value, theirs))
    return f"{median:.2f} (rounds {', '.join(f'{r:.2f}' for r in rounds)})"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FramematrixError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
