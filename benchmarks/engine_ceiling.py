"""Is the load engine the bottleneck? builtin against wrk, one core each, in one run.

Starts raw-asgi (the fastest contestant) under uvicorn with one worker pinned to one core, pins
each engine to another core, and measures in interleaved rounds (builtin, wrk, builtin, wrk ...):

1. the ceiling: max req/s against `/health` (no database), at a high concurrency;
2. one real scenario (list-posts on SQLite by default) at a fixed concurrency.

Prints the median of the rounds (with min-max), each engine's CPU use and requests per CPU
second (what one saturated core of that engine could send, when the server is the limit), and
builtin/wrk ratios.
The issue asks for builtin >= 0.8x wrk's ceiling, and < 10 % apart on the real scenario.

    .venv/bin/python benchmarks/engine_ceiling.py [--duration 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from framematrix import scenarios
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import get_engine
from framematrix.engines.base import EngineResult, LoadPlan
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port

ENGINES = ("builtin", "wrk")


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
    args = parser.parse_args()
    ok, why = get_engine("wrk").available()
    if not ok:
        print(f"error: {why}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fm-ceiling-") as folder:
        db = DatabaseURL.parse(f"sqlite:///{Path(folder) / 'blog.db'}")
        init(db, SeedSize())
        config = ServerConfig(
            contestant="raw-asgi", server="uvicorn", db_url=db.url, port=free_port(),
            workers=1, cpus=(args.server_cpu,),
        )  # fmt: skip
        with RunningServer(config) as server:
            loads = {
                "health": args.ceiling_concurrency,
                args.scenario: args.concurrency,
            }
            results = {
                name: measure(server.config.url, name, concurrency, args)
                for name, concurrency in loads.items()
            }
    print_table(results, loads, args)
    return 0


def measure(
    url: str, scenario: str, concurrency: int, args: argparse.Namespace
) -> dict[str, list[EngineResult]]:
    plan = LoadPlan(
        base_url=url, scenario=scenarios.get(scenario), concurrency=concurrency,
        duration_s=args.duration, warmup_s=args.warmup, cpus=(args.engine_cpu,),
    )  # fmt: skip
    found: dict[str, list[EngineResult]] = {engine: [] for engine in ENGINES}
    for round_ in range(args.rounds):
        for engine in ENGINES:
            result = get_engine(engine).run(plan)
            found[engine].append(result)
            print(
                f"  round {round_ + 1}: {scenario:<11} {engine:<8} {result.rps:>9,.0f} req/s"
                f"  errors {sum(result.errors.values())}",
                file=sys.stderr,
            )
    return found


def print_table(
    results: dict[str, dict[str, list[EngineResult]]],
    loads: dict[str, int],
    args: argparse.Namespace,
) -> None:
    print(
        f"\nraw-asgi under uvicorn, 1 worker on core {args.server_cpu}; each engine on core "
        f"{args.engine_cpu}; {args.rounds} rounds of {args.duration:g} s (+{args.warmup:g} s "
        f"warm-up), interleaved; medians with [min-max]\n"
    )
    header = f"{'scenario':<12}{'conc.':>6}  {'engine':<8}{'req/s':>26}{'p50 ms':>9}"
    print(header + f"{'p99 ms':>9}{'engine CPU':>12}{'req/CPU-s':>11}  saturated")
    print("-" * (len(header) + 43))
    for scenario, by_engine in results.items():
        for engine, runs in by_engine.items():
            rps = [r.rps for r in runs]
            cpu = statistics.median(r.engine_cpu_s / (r.duration_s * r.cores) for r in runs)
            per_cpu = statistics.median(r.requests / r.engine_cpu_s for r in runs if r.engine_cpu_s)
            print(
                f"{scenario:<12}{loads[scenario]:>6}  {engine:<8}"
                f"{statistics.median(rps):>10,.0f} [{min(rps):>6,.0f}-{max(rps):>6,.0f}]"
                f"{statistics.median(r.latency_ms(50) for r in runs):>9.2f}"
                f"{statistics.median(r.latency_ms(99) for r in runs):>9.2f}"
                f"{cpu:>11.0%}{per_cpu:>11,.0f}   {sum(r.saturated for r in runs)}/{len(runs)}"
            )
    print()
    for scenario, by_engine in results.items():
        ratios = [
            b.rps / w.rps for b, w in zip(by_engine["builtin"], by_engine["wrk"], strict=True)
        ]
        builtin = statistics.median(r.rps for r in by_engine["builtin"])
        wrk = statistics.median(r.rps for r in by_engine["wrk"])
        print(
            f"{scenario:<12} builtin / wrk = {builtin / wrk:.2f} (medians; per round "
            f"{', '.join(f'{r:.2f}' for r in ratios)})"
        )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FramematrixError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
