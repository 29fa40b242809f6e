"""Waiting and computing: the `upstream` and `image` scenarios, contestant by contestant.

Starts each contestant (one at a time) under its default server with one worker pinned to the
server core, the upstream service at `--upstream-ms` (50) and the builtin engine both on the
load core, and measures `upstream` at c=16, 64 and 256 and `image` at c=4. Prints req/s, p50 and
p99, the server's and the upstream's CPU, and two comparisons the issue expects:

- upstream: a sync worker with T threads can have at most T requests waiting, so it tops out
  near T / latency req/s (gthread's 4 threads at 50 ms: 80 req/s; gunicorn-sync's 1: 20),
  while an event loop keeps every request waiting at once and is limited by its CPU;
- image: the work is the same Pillow code for everybody, so the requests served per second of
  server CPU should converge (per CPU second rather than per wall second: on a shared machine
  other processes take part of the server's core, and the share they leave varies).

First it measures the upstream alone (on the server core, at c=256), to show it is never what
limits the contestants: its CPU per request, and so how many requests one core of it serves.

    .venv/bin/python benchmarks/workloads.py [--duration 5] [--rounds 1] [--upstream-ms 50]

On a shared machine, compare the ratios printed side by side in one run, not the absolutes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from framematrix import scenarios
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import get_engine
from framematrix.engines.base import EngineResult, LoadPlan
from framematrix.measure.process_tree import cpu_seconds
from framematrix.scenarios import Scenario, Step
from framematrix.servers import RunningServer, ServerConfig, free_port
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

TARGETS = (
    ("raw-wsgi", "gunicorn-gthread"),
    ("raw-wsgi", "gunicorn-sync"),
    ("raw-asgi", "uvicorn"),
    ("django", "gunicorn-gthread"),
    ("flask", "gunicorn-gthread"),
    ("fastapi", "uvicorn"),
)
LOADS = (("image", 4), ("upstream", 16), ("upstream", 64), ("upstream", 256))
ALONE_CONCURRENCY = 256
PROFILES = Scenario("profiles", "the upstream alone", (Step("GET", "/profiles/{author}"),), False)
THREADS = {"gunicorn-gthread": 4, "gunicorn-sync": 1}
"""Requests one sync worker can have waiting at once; an event loop has no such limit."""


@dataclass(frozen=True)
class Measured:
    contestant: str
    server: str
    scenario: str
    concurrency: int
    result: EngineResult
    server_cpu_s: float
    upstream_cpu_s: float

    @property
    def server_cpu_share(self) -> float:
        return self.server_cpu_s / self.result.duration_s

    @property
    def per_cpu_second(self) -> float:
        return self.result.requests / self.server_cpu_s if self.server_cpu_s else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1, help="rounds over all contestants")
    parser.add_argument("--upstream-ms", type=float, default=50.0)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--load-cpu", type=int, default=1)
    args = parser.parse_args()
    measure_upstream_alone(args)
    found: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="fm-workloads-") as folder:
        db = DatabaseURL.parse(f"sqlite:///{Path(folder) / 'blog.db'}")
        seed = SeedSize()
        init(db, seed)
        upstream_config = UpstreamConfig(latency_ms=args.upstream_ms, cpus=(args.load_cpu,))
        with RunningUpstream(upstream_config) as upstream:
            for _ in range(args.rounds):
                for contestant, server in TARGETS:
                    found += measure(contestant, server, db, seed, upstream, args)
    print_table(found, args)
    return 0


def measure_upstream_alone(args: argparse.Namespace) -> None:
    config = UpstreamConfig(latency_ms=args.upstream_ms, cpus=(args.server_cpu,))
    with RunningUpstream(config) as upstream:
        plan = LoadPlan(
            base_url=upstream.url, scenario=PROFILES, concurrency=ALONE_CONCURRENCY,
            duration_s=args.duration, warmup_s=args.warmup, cpus=(args.load_cpu,),
        )  # fmt: skip
        before = cpu_seconds(upstream.pid)
        result = get_engine("builtin").run(plan)
        cpu = (cpu_seconds(upstream.pid) - before) * result.duration_s
        cpu /= result.duration_s + args.warmup
    per_request = cpu / result.requests
    print(
        f"the upstream alone, on core {args.server_cpu} at c={ALONE_CONCURRENCY}: "
        f"{result.rps:,.0f} req/s, p50 {result.latency_ms(50):.1f} ms, p99 "
        f"{result.latency_ms(99):.1f} ms, {cpu / result.duration_s:.0%} of its core, "
        f"{per_request * 1e6:.0f} us CPU per request (one core: ~{1 / per_request:,.0f} req/s), "
        f"errors {sum(result.errors.values())}"
    )


def measure(
    contestant: str,
    server: str,
    db: DatabaseURL,
    seed: SeedSize,
    upstream: RunningUpstream,
    args: argparse.Namespace,
) -> list[Measured]:
    """Each load on a fresh server: a sync worker still owes the requests of the last load
    (left in its sockets when the engine closed them, 50 ms each), which a restart drops."""
    measured = []
    for scenario, concurrency in LOADS:
        config = ServerConfig(
            contestant=contestant, server=server, db_url=db.url, port=free_port(), workers=1,
            cpus=(args.server_cpu,), env=upstream.env(),
        )  # fmt: skip
        plan = LoadPlan(
            base_url=config.url, scenario=scenarios.get(scenario), concurrency=concurrency,
            duration_s=args.duration, warmup_s=args.warmup, cpus=(args.load_cpu,),
            seed_size=seed, timeout_s=30,
        )  # fmt: skip
        with RunningServer(config) as running:
            server_before, upstream_before = cpu_seconds(running.pid), cpu_seconds(upstream.pid)
            result = get_engine("builtin").run(plan)
            server_cpu = cpu_seconds(running.pid) - server_before
            upstream_cpu = cpu_seconds(upstream.pid) - upstream_before
        # Warm-up is inside the CPU window: scale to the measured window.
        share = result.duration_s / (result.duration_s + args.warmup)
        cpu = (server_cpu * share, upstream_cpu * share)
        measured.append(Measured(contestant, server, scenario, concurrency, result, *cpu))
        print(
            f"  {contestant:<9}{server:<17}{scenario:<9}c={concurrency:<4}"
            f"{result.rps:>8,.0f} req/s  errors {sum(result.errors.values())}"
            f"{'  engine saturated' if result.saturated else ''}",
            file=sys.stderr,
        )
    return measured


def print_table(found: list[Measured], args: argparse.Namespace) -> None:
    print(
        f"\none worker per contestant on core {args.server_cpu}; the upstream ({args.upstream_ms:g}"
        f" ms) and the builtin engine on core {args.load_cpu}; {args.rounds} round(s) of "
        f"{args.duration:g} s (+{args.warmup:g} s warm-up); medians over rounds\n"
    )
    header = (
        f"{'contestant':<10}{'server':<18}{'scenario':<10}{'c':>4}{'req/s':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'server CPU':>12}{'req/CPU-s':>11}"
        f"{'upstream ms CPU/1k':>20}  engine saturated"
    )
    print(header)
    print("-" * len(header))
    groups: dict[tuple[str, str, str, int], list[Measured]] = {}
    for item in found:
        groups.setdefault((item.contestant, item.server, item.scenario, item.concurrency), [])
        groups[(item.contestant, item.server, item.scenario, item.concurrency)].append(item)
    medians: dict[tuple[str, str, str, int], tuple[float, float]] = {}
    for key, items in groups.items():
        contestant, server, scenario, concurrency = key
        rps = statistics.median(i.result.rps for i in items)
        per_cpu = statistics.median(i.per_cpu_second for i in items)
        medians[key] = (rps, per_cpu)
        upstream_per_1k = statistics.median(
            1e6 * i.upstream_cpu_s / i.result.requests if i.result.requests else 0.0 for i in items
        )
        upstream_cell = f"{upstream_per_1k:>20.1f}" if scenario == "upstream" else f"{'-':>20}"
        print(
            f"{contestant:<10}{server:<18}{scenario:<10}{concurrency:>4}{rps:>9,.0f}"
            f"{statistics.median(i.result.latency_ms(50) for i in items):>9.1f}"
            f"{statistics.median(i.result.latency_ms(99) for i in items):>9.1f}"
            f"{statistics.median(sum(i.result.errors.values()) for i in items):>8,.0f}"
            f"{statistics.median(i.server_cpu_share for i in items):>11.0%}{per_cpu:>11,.1f}"
            f"{upstream_cell}  {sum(i.result.saturated for i in items)}/{len(items)}"
        )
    print_expectations(medians, args.upstream_ms / 1000)


def print_expectations(
    medians: dict[tuple[str, str, str, int], tuple[float, float]], latency_s: float
) -> None:
    print("\nupstream: req/s against the thread limit T / latency (sync) -- ratio to it")
    for (contestant, server, scenario, concurrency), (rps, _) in medians.items():
        if scenario != "upstream":
            continue
        threads = THREADS.get(server)
        row = f"  {contestant:<10}{server:<18}c={concurrency:<4}{rps:>8,.0f} req/s"
        if threads is None:
            print(f"{row}  event loop: {rps * latency_s:.1f} requests waiting at once (mean)")
        else:
            limit = threads / latency_s
            print(f"{row}  limit {limit:,.0f} (T={threads}): {rps / limit:.2f}x")
    print("\nimage: requests per second of server CPU, relative to raw-wsgi (gunicorn-gthread)")
    reference = medians.get(("raw-wsgi", "gunicorn-gthread", "image", 4), (0.0, 0.0))[1]
    for (contestant, server, scenario, _), (_, per_cpu) in medians.items():
        if scenario == "image" and reference:
            ratio = per_cpu / reference
            print(f"  {contestant:<10}{server:<18}{per_cpu:>8,.1f} req/CPU-s  {ratio:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
