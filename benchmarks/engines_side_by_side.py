"""Every engine on one contestant and scenario, in one run: locust x1 and x2, builtin, wrk.

Interleaved rounds (locust x1, locust x2, builtin, wrk, locust x1, ...) against one server
(raw-asgi under uvicorn by default: the cheapest contestant, so the engines' own cost shows),
one worker pinned to the server core, every engine on the load core; locust x2 runs its two
local workers on that one core too (`--x2-cpus 1,2` gives them two on a bigger machine).

Prints per engine the median req/s (with min-max), p50/p99, engine CPU (master and workers for
locust) as µs per request and as a share of its cores, requests per engine CPU-second (what one
saturated core of it could send), and the ratios of locust to builtin and wrk. Then where
Locust's own cost limits it: the req/s one core of Locust can send at most, against what the
server answered to the cheapest engine.

On a shared machine compare the ratios, measured side by side, not the absolute figures.

    .venv/bin/python benchmarks/engines_side_by_side.py [--duration 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine_ceiling import per_cpu_s, ratio

from framematrix import scenarios
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines import get_engine
from framematrix.engines.base import EngineResult, LoadPlan
from framematrix.engines.locust.options import LocustOptions
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port


@dataclass(frozen=True)
class Contender:
    label: str
    engine: str
    cpus: tuple[int, ...]
    locust_workers: int | None = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestant", default="raw-asgi")
    parser.add_argument("--server", default="uvicorn")
    parser.add_argument("--scenario", default="health")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--engine-cpu", type=int, default=1)
    parser.add_argument("--x2-cpus", help="cores for locust x2's two workers, e.g. 1,2")
    args = parser.parse_args()
    one_core = (args.engine_cpu,)
    x2_cores = tuple(int(core) for core in args.x2_cpus.split(",")) if args.x2_cpus else one_core
    contenders = [
        Contender("locust x1", "locust", one_core, locust_workers=1),
        Contender("locust x2", "locust", x2_cores, locust_workers=2),
        Contender("builtin", "builtin", one_core),
    ]
    if get_engine("wrk").available()[0]:
        contenders.append(Contender("wrk", "wrk", one_core))
    else:
        print("wrk is not on PATH: it is left out", file=sys.stderr)
    ok, why = get_engine("locust").available()
    if not ok:
        print(f"error: {why}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fm-side-by-side-") as folder:
        db = seeded_sqlite(Path(folder))
        config = ServerConfig(
            contestant=args.contestant, server=args.server, db_url=db, port=free_port(),
            workers=1, cpus=(args.server_cpu,),
        )  # fmt: skip
        with RunningServer(config) as server:
            runs = measure(server.config.url, contenders, args)
    print_table(runs, args)
    return 0


def seeded_sqlite(folder: Path) -> str:
    db = DatabaseURL.parse(f"sqlite:///{folder / 'blog.db'}")
    init(db, SeedSize())
    return db.url


def measure(
    url: str, contenders: list[Contender], args: argparse.Namespace
) -> dict[str, list[EngineResult]]:
    runs: dict[str, list[EngineResult]] = {c.label: [] for c in contenders}
    for round_ in range(args.rounds):
        for contender in contenders:
            plan = LoadPlan(
                base_url=url, scenario=scenarios.get(args.scenario),
                concurrency=args.concurrency, duration_s=args.duration, warmup_s=args.warmup,
                cpus=contender.cpus, processes=1,
            )  # fmt: skip
            options = LocustOptions(locust_workers=contender.locust_workers)
            engine = get_engine(contender.engine, options if contender.engine == "locust" else None)
            result = engine.run(plan)
            runs[contender.label].append(result)
            print(
                f"  round {round_ + 1}: {contender.label:<10}{result.rps:>9,.0f} req/s  "
                f"errors {sum(result.errors.values())}",
                file=sys.stderr,
            )
    return runs


def us_per_request(result: EngineResult) -> float:
    return result.engine_cpu_s / result.requests * 1e6 if result.requests else 0.0


def print_table(runs: dict[str, list[EngineResult]], args: argparse.Namespace) -> None:
    print(
        f"\n{args.contestant} under {args.server} (1 worker, core {args.server_cpu}), "
        f"{args.scenario}, {args.concurrency} connections (locust: users); engines on core "
        f"{args.engine_cpu} unless said; {args.rounds} rounds of {args.duration:g} s "
        f"(+{args.warmup:g} s warm-up), interleaved; medians with [min-max]\n"
    )
    header = f"{'engine':<11}{'req/s':>26}{'p50 ms':>8}{'p99 ms':>8}{'µs CPU/req':>12}"
    print(header + f"{'CPU':>6}{'req/CPU-s':>11}  saturated")
    print("-" * (len(header) + 28))
    for label, results in runs.items():
        rps = [r.rps for r in results]
        share = statistics.median(r.engine_cpu_s / (r.duration_s * r.cores) for r in results)
        print(
            f"{label:<11}{statistics.median(rps):>10,.0f} [{min(rps):>6,.0f}-{max(rps):>6,.0f}]"
            f"{statistics.median(r.latency_ms(50) for r in results):>8.2f}"
            f"{statistics.median(r.latency_ms(99) for r in results):>8.2f}"
            f"{statistics.median(map(us_per_request, results)):>12.1f}{share:>6.0%}"
            f"{statistics.median(map(per_cpu_s, results)):>11,.0f}"
            f"   {sum(r.saturated for r in results)}/{len(results)}"
        )
    print()
    others = [label for label in ("builtin", "wrk") if label in runs]
    for label in ("locust x1", "locust x2"):
        for other in others:
            print(
                f"{label} / {other}: req/s {ratio(runs[label], runs[other], 'rps')}, "
                f"req/CPU-s {ratio(runs[label], runs[other], 'cpu')}"
            )
    print(f"locust x2 / x1: req/s {ratio(runs['locust x2'], runs['locust x1'], 'rps')}")
    print()
    locust_ceiling = statistics.median(map(per_cpu_s, runs["locust x1"]))
    fastest = max(others or ["locust x1"], key=lambda label: statistics.median(
        r.rps for r in runs[label]))  # fmt: skip
    served = statistics.median(r.rps for r in runs[fastest])
    print(
        f"one core of Locust sends at most ~{locust_ceiling:,.0f} req/s here (its requests per "
        f"CPU-second); the server answered {served:,.0f} req/s to {fastest}."
    )
    if locust_ceiling < served:
        print(
            f"Locust's own cost is the limit: to load this server as {fastest} does it needs "
            f"~{served / locust_ceiling:.1f} cores of workers (--locust-workers, or machines)."
        )
    else:
        print("Locust's own cost is not the limit here: the server is.")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FramematrixError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
