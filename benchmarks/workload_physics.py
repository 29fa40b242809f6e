"""The physics a described workload must reproduce (issue 27's targets), measured side by side in
one `framematrix bench` run under `--tuning equal` (the server on core 0, the load on core 1):

- `calls=3` at a 50 ms upstream and 64 users: an event-loop contestant at least 2x a threaded
  one (gathered calls wait about one latency, calls in turn three, and a thread pool holds only
  as many requests as it has threads);
- `compute_ms=20` and nothing else: every framework within 1.3x of the others (the same
  pure-Python work is most of every request);
- `items=200` and nothing else: the ordering, beside the serialiser each contestant's posts go
  through (FAIRNESS.md, "Your request, described").

    .venv/bin/python benchmarks/workload_physics.py [--contestants LIST] [--trials 5]
        [--duration 5s] [--warmup 2s] [--db sqlite] [--quick] [BENCH OPTIONS...]

`--quick` (0.5 s trials, 3 rounds, FastAPI and Flask) only proves the script runs. Every ratio is
the geometric mean of the paired rounds' ratios with its 95% interval (`results.statistics`);
"within" or "OUT" says whether it meets the target. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

from framematrix.contestants.registry import CONTESTANTS
from framematrix.results import statistics
from framematrix.results.run_summary import RunSummary
from framematrix.results.store import Run
from framematrix.results.summary import PointSummary
from framematrix.trials import LoadPoint

CONTESTANTS_DEFAULT = "django,fastapi,flask,litestar,django-ninja,raw-wsgi,raw-asgi"
CALLS, COMPUTE, ITEMS = "calls=3", "compute_ms=20", "items=200"
EVENT_LOOP_LEAD = 2.0
"""calls=3: an event-loop contestant over a threaded one, at least."""
COMPUTE_SPREAD = 1.3
"""compute_ms=20: the fastest framework over the slowest, at most."""


def bench(out: Path, args: argparse.Namespace, extra: list[str]) -> RunSummary:
    """The one run: the three workloads at 64 users, interleaved, under equal settings."""
    command = [
        sys.executable, "-m", "framematrix", "bench", "--workload", CALLS, "--workload", COMPUTE,
        "--workload", ITEMS, "--concurrency", "64", "--upstream-ms", "50", "--tuning", "equal",
        "--contestants", args.contestants, "--engine", "builtin", "--duration", args.duration,
        "--warmup", args.warmup, "--trials", str(args.trials), "--out", str(out), *extra,
    ]  # fmt: skip
    if args.db:
        command += ["--db", args.db]
    print("$", " ".join(command[2:]), flush=True)
    subprocess.run(command, check=False, env={**os.environ, "COLUMNS": "100"})
    return RunSummary.read(Run.latest(out))


def figure(s: PointSummary) -> str:
    assert s.rps is not None
    return f"{s.rps.median:>8,.0f} req/s ({s.rps.low:,.0f}…{s.rps.high:,.0f})"


def over(a: PointSummary, b: PointSummary, level: float) -> tuple[float, str]:
    """a's req/s over b's: the estimate, and its words with the interval."""
    assert a.rps is not None and b.rps is not None
    found = statistics.ratio(a.rps.by_round, b.rps.by_round, level)
    if found is None:
        estimate = a.rps.median / b.rps.median
        return estimate, f"{estimate:.2f}x (medians; fewer than {statistics.MIN_ROUNDS} rounds)"
    return found.estimate, f"{found.estimate:.2f}x ({found.low:.2f}…{found.high:.2f})"


def measured(summary: RunSummary, name: str) -> tuple[LoadPoint, dict[str, PointSummary]]:
    """The workload's load point and each contestant's representative with a good trial."""
    for at, found in summary.loads.items():
        if at.scenario == name:
            return at, {who: s for who, s in found.items() if s.rps is not None}
    raise SystemExit(f"the run measured no {name}")


def calls(summary: RunSummary) -> None:
    at, found = measured(summary, "work-c3")
    print(f"\n{CALLS} at a 50 ms upstream, {at.label}: event loop over threads "
          f"(target: at least {EVENT_LOOP_LEAD:g}x)")  # fmt: skip
    for name, s in found.items():
        print(f"  {name:<18}{s.point.server or '':<18}{figure(s)}")
    loops = [n for n in found if CONTESTANTS[n].interface == "asgi"]
    threads = [n for n in found if CONTESTANTS[n].interface == "wsgi"]
    for loop in loops:
        for thread in threads:
            estimate, said = over(found[loop], found[thread], summary.noise.level)
            verdict = "within" if estimate >= EVENT_LOOP_LEAD else "OUT"
            print(f"  {loop} over {thread}: {said}: {verdict}")


def compute(summary: RunSummary) -> None:
    at, found = measured(summary, "work-m20")
    frameworks = {n: s for n, s in found.items() if CONTESTANTS[n].baseline is not None}
    print(f"\n{COMPUTE} alone, {at.label}: every framework within {COMPUTE_SPREAD:g}x of the "
          "others")  # fmt: skip
    for name, s in found.items():
        print(f"  {name:<18}{figure(s)}{'' if name in frameworks else '  (baseline)'}")
    if len(frameworks) < 2:
        print("  fewer than two frameworks measured")
        return
    ranked = sorted(frameworks, key=lambda n: -(frameworks[n].rps.median))  # type: ignore[union-attr]
    estimate, said = over(frameworks[ranked[0]], frameworks[ranked[-1]], summary.noise.level)
    verdict = "within" if estimate <= COMPUTE_SPREAD else "OUT"
    print(f"  the fastest ({ranked[0]}) over the slowest ({ranked[-1]}): {said}: {verdict}")


def items(summary: RunSummary) -> None:
    at, found = measured(summary, "work-i200")
    ranked = sorted(found, key=lambda n: -(found[n].rps.median))  # type: ignore[union-attr]
    tie = summary.noise.tie(at)
    print(f"\n{ITEMS} alone, {at.label}: the ordering, fastest first, and each one's serialiser")
    for place, name in enumerate(ranked, 1):
        print(f"  {place}. {name:<18}{figure(found[name])}  {CONTESTANTS[name].serializer or '?'}")
    for faster, slower in pairwise(ranked):
        _, said = over(found[faster], found[slower], summary.noise.level)
        a, b = found[faster].rps, found[slower].rps
        interval = (
            statistics.ratio(a.by_round, b.by_round, summary.noise.level) if a and b else None
        )
        where = statistics.side(interval, 1.0, tie) if interval else "undecided"
        apart = "apart" if where == "above" else f"within the noise ({tie:.0%} tie zone)"
        print(f"  {faster} over {slower}: {said}: {apart}")


def control(summary: RunSummary) -> None:
    for at, found in summary.noise.controls.items():
        apart = " (apart: too noisy)" if found.apart else ""
        print(f"A/A control at {at.describe()}: {found.contestant} {found.describe()}, "
              f"tie zone {found.tie:.0%}{apart}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", default=CONTESTANTS_DEFAULT)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--warmup", default="2s")
    parser.add_argument("--db", default=None, help="default: bench's (the embedded PostgreSQL)")
    parser.add_argument("--quick", action="store_true", help="0.5 s trials: the script runs")
    args, extra = parser.parse_known_args()
    if args.quick:
        args.duration, args.warmup, args.trials = "0.5s", "0.2s", 3
        args.contestants = "fastapi,flask"
    out = Path(tempfile.mkdtemp(prefix="fm-physics-")) / "runs"
    summary = bench(out, args, extra)
    print(f"\ncores: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.2f}; "
          f"{args.trials} rounds of {args.duration}; the run: {Run.latest(out).path}")  # fmt: skip
    control(summary)
    for show in (calls, compute, items):
        show(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
