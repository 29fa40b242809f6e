"""Each framework at its best: the configuration `--tuning best` found per contestant and
workload on this machine, and req/s under equal settings and at its best from one run; then the
realtime side (`iot`) the same way at 100, 500 and 2,000 devices, Flask's threads sized to the
load under equal settings.

    .venv/bin/python benchmarks/best_tuning.py                  # searches where not cached
    .venv/bin/python benchmarks/best_tuning.py --retune --db sqlite

One `framematrix bench --tuning equal,best` run (the builtin engine, the server on core 0, the
load on core 1), its trials interleaved; the search's own trials and its cache are `run.tuning`'s.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from framematrix.report import rules
from framematrix.report.model import build
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import Run
from framematrix.results.summary import PointSummary

CONTESTANTS = "django,fastapi,flask"
SCENARIOS = "crud,list-posts,upstream,image"


def bench(out: Path, args: argparse.Namespace, *extra: str) -> Run:
    """One `framematrix bench` run into `out`; its run folder."""
    command = [
        sys.executable,
        "-m",
        "framematrix",
        "bench",
        "--engine",
        "builtin",
        "--duration",
        args.duration,
        "--warmup",
        args.warmup,
        "--trials",
        str(args.trials),
        "--out",
        str(out),
        "--no-control",
        *extra,
    ]
    if args.db:
        command += ["--db", args.db]
    print("$", " ".join(command[1:]), flush=True)
    subprocess.run(command, check=False)
    runs = sorted(p for p in out.iterdir() if p.is_dir())
    return Run.open(runs[-1])


def figure(point: PointSummary | None) -> str:
    if point is None or point.rps is None:
        return "—"
    return f"{point.rps.median:,.0f} ({point.rps.low:,.0f}…{point.rps.high:,.0f})"


def matrix(summary: RunSummary) -> None:
    print(
        f"\n{'contestant':<10} {'scenario':<11} {'load':<6} {'equal req/s':>20} "
        f"{'best req/s':>20}  best configuration"
    )
    for at, equal in summary.rules.get("equal", {}).items():
        best = summary.rules.get("best", {}).get(at, {})
        for name in CONTESTANTS.split(","):
            chosen = best.get(name)
            config = chosen.configuration if chosen else "— (no best point)"
            print(
                f"{name:<10} {at.scenario:<11} {at.label:<6} {figure(equal.get(name)):>20} "
                f"{figure(chosen):>20}  {config}"
            )


def claims(run: Run) -> None:
    """Every claim the run judged, under each rule side by side; `*` where the rule decides."""
    head, rows = rules.table(build(run).claims)
    print(f"\n{head[0]:<28} {head[1]:<24} {head[2]:<24}")
    for claim, *verdicts in rows:
        differs = " *" if len(set(verdicts)) > 1 else ""
        print(f"{claim:<28} {verdicts[0]:<24} {verdicts[1]:<24}{differs}")
    print("* the rule decides: the verdict differs between equal settings and each at its best")


def realtime(summary: RunSummary) -> None:
    print(f"\n{'realtime':<10} {'tuning':<7} {'devices':>7} {'msgs/s':>18} {'p99 ms':>8}  server")
    for point in summary.points:
        if point.point.at.scenario == "iot":
            p99 = f"{point.p99_ms.median:,.0f}" if point.p99_ms else "—"
            print(
                f"{point.point.contestant:<10} {point.point.tuning:<7} "
                f"{point.point.at.concurrency or 0:>7} {figure(point):>18} {p99:>8}  "
                f"{point.configuration}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=None, help="default: the embedded PostgreSQL")
    parser.add_argument("--duration", default="2s")
    parser.add_argument("--warmup", default="1s")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--retune", action="store_true", help="search again, not the cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="best-tuning-") as folder:
        tuning = ["--tuning", "equal,best", *(["--retune"] if args.retune else [])]
        http = bench(
            Path(folder) / "http",
            args,
            "--contestants",
            CONTESTANTS,
            "--scenario",
            SCENARIOS,
            "--concurrency",
            "64,image=4",
            *tuning,
        )
        matrix(RunSummary.read(http))
        claims(http)
        iot = bench(
            Path(folder) / "iot",
            args,
            "--contestants",
            CONTESTANTS,
            "--scenario",
            "iot",
            "--devices",
            "100,500,2000",
            *tuning,
        )
        realtime(RunSummary.read(iot))
        claims(iot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
