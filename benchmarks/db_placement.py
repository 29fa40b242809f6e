"""Where the database runs, measured: the embedded PostgreSQL pinned to the load engine's core
(framematrix's choice) against the server's core, and left to float over both.

One run per placement of `framematrix bench` (the same contestants, scenarios and trials, on two
cores: servers on core 0, the load engine on core 1), the placements interleaved round by round
so the machine's drift hits all alike. Prints each contestant's req/s per placement, its ratio
to Django's under each (does the placement change a verdict?), and the placement's own cost.

    .venv/bin/python benchmarks/db_placement.py [--rounds 3] [--duration 3s]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from framematrix.db.embedded import EmbeddedPostgres

PLACEMENTS = {"with the load (core 1)": (1,), "with the server (core 0)": (0,), "floating": None}
CONTESTANTS = "django,fastapi,flask"
SCENARIOS = "list-posts,crud"


def bench(db: str, out: Path, duration: str) -> list[dict[str, object]]:
    command = [
        sys.executable,
        "-m",
        "framematrix",
        "bench",
        "--db",
        db,
        "--out",
        str(out),
        "--contestants",
        CONTESTANTS,
        "--scenario",
        SCENARIOS,
        "--concurrency",
        "64",
        "--duration",
        duration,
        "--warmup",
        "1s",
        "--trials",
        "1",
        "--cpus",
        "0:1",
        "--json",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    trials: list[dict[str, object]] = json.loads(done.stdout)["trials"]
    return trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="3s")
    args = parser.parse_args()
    if len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("needs two cores")
    servers = {name: EmbeddedPostgres(cpus=cpus) for name, cpus in PLACEMENTS.items()}
    rates: dict[tuple[str, str, str], list[float]] = {}
    try:
        urls = {name: server.start().url for name, server in servers.items()}
        with tempfile.TemporaryDirectory(prefix="framematrix-db-placement-") as scratch:
            for _ in range(args.rounds):
                for name, url in urls.items():
                    for trial in bench(url, Path(scratch), args.duration):
                        key = (name, str(trial["scenario"]), str(trial["contestant"]))
                        rates.setdefault(key, []).append(float(str(trial["rps"])))
    finally:
        for server in servers.values():
            server.stop()
    print(
        f"{CONTESTANTS} on {SCENARIOS}, c=64, {args.rounds} rounds of {args.duration}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    reference = next(iter(PLACEMENTS))
    print(
        f"{'placement':26} {'scenario':11} {'contestant':10} {'req/s':>7} {'vs django':>9} "
        f"{'vs ' + reference.split(' (')[0]:>10}"
    )
    for name in PLACEMENTS:
        for scenario in SCENARIOS.split(","):
            for contestant in CONTESTANTS.split(","):
                median = statistics.median(rates[name, scenario, contestant])
                django = statistics.median(rates[name, scenario, "django"])
                base = statistics.median(rates[reference, scenario, contestant])
                print(
                    f"{name:26} {scenario:11} {contestant:10} {median:7.0f} "
                    f"{median / django:8.2f}x {median / base:9.2f}x"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
