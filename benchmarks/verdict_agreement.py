"""Do verdicts repeat? The default `framematrix matrix` run N times back to back, and the four
figures of the verdicts issue:

- agreement: for each pair of consecutive runs, the share of the verdicts both give (the claims'
  headline verdicts and their verdicts per workload) that are the same, and whether any verdict
  "holds" in one run where the other says "does not hold" (a flip; the target: none);
- decided: in each run, the share of the per-workload performance verdicts that are decided
  (not "cannot tell"; the target: at least 60%);
- the A/A control of each run: the reference contestant against its own second server, with its
  interval, and whether it came out "apart" (the target: never);
- each run's wall time (the target: at most 240 s after setup).

Every run is a child process in a scratch folder, with its JSON report kept there. `--src`
measures another checkout (its `src` folder first on PYTHONPATH), so a landed commit can be
measured the same way on the same machine; `--beside DIR` alternates this checkout's runs with
another's, so both meet the same load and their figures can be set side by side. Extra arguments
go to `matrix`. `--rejudge FOLDER...` measures nothing: it judges the runs kept in earlier
scratch folders again, with this checkout's rules (or `--src`'s), so a change to the judging is
compared on the very trials the old rules judged (their wall times are not re-measured).

    .venv/bin/python benchmarks/verdict_agreement.py [--runs 3] [--src DIR] [--beside DIR]
        [-- MATRIX OPTIONS]
    .venv/bin/python benchmarks/verdict_agreement.py --rejudge FOLDER [FOLDER ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

AGREEMENT = 0.90
DECIDED = 0.60
WALL_S = 240.0
FLIP = frozenset({"holds", "does not hold"})


def child_env(src: Path | None) -> dict[str, str]:
    """framematrix's environment for a child: 100 columns, and `src`'s code first if given."""
    env = {**os.environ, "COLUMNS": "100"}
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src / "src"), env.get("PYTHONPATH", "")])
    return env


def run_matrix(src: Path | None, extra: list[str]) -> tuple[dict[str, Any], float, Path]:
    """One `matrix --json` in a scratch folder: its report, wall time and folder."""
    scratch = Path(tempfile.mkdtemp(prefix="framematrix-agreement-"))
    env = child_env(src)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "framematrix", "matrix", "--json", *extra],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    (scratch / "matrix.json").write_text(done.stdout)
    (scratch / "matrix.stderr").write_text(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"matrix failed ({done.returncode}) in {scratch}: {done.stderr[-500:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report, wall, scratch


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    """Every verdict of a run by name: `claim` (headline) and `claim@workload`."""
    found: dict[str, str] = {}
    for claim in report.get("claims", []):
        found[claim["id"]] = claim["verdict"]
        for group, judged in (claim.get("by_workload") or {}).items():
            found[f"{claim['id']}@{group}"] = judged["verdict"]
    return found


def decided_share(found: dict[str, str]) -> float:
    per_workload = [verdict for name, verdict in found.items() if "@" in name]
    return sum(v != "cannot tell" for v in per_workload) / len(per_workload) if per_workload else 0


def control(report: dict[str, Any]) -> str:
    """The run's A/A control as the report gives it, or why there is none."""
    found = report.get("control")
    if not found:
        return "none (this version has no A/A control)"
    interval = found.get("interval") or [None, None]
    apart = " APART" if found.get("apart") else ""
    low, high = (f"{v:.2f}" if v is not None else "?" for v in interval)
    return f"{found.get('ratio', 0):.2f}x ({low}…{high}){apart}"


def rejudge(src: Path | None, scratch: Path) -> dict[str, Any]:
    """The report of the run kept in an earlier scratch folder, judged by `src`'s rules."""
    env = child_env(src)
    (run,) = (scratch.resolve() / "runs").iterdir()
    done = subprocess.run(
        [sys.executable, "-m", "framematrix", "report", "--format", "json", str(run)],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"report failed ({done.returncode}) in {scratch}: {done.stderr[-500:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


Run = tuple[dict[str, Any], float | None, Path]


def summarise(label: str, runs: list[Run]) -> None:
    """The four figures of one checkout's runs."""
    found = [verdicts(report) for report, _, _ in runs]
    print(f"\n{label}")
    for n, ((report, wall, _), judged) in enumerate(zip(runs, found, strict=True), 1):
        share = decided_share(judged)
        timed = (
            "wall not re-measured"
            if wall is None
            else f"wall {wall:.0f} s ({'ok' if wall <= WALL_S else 'OVER'} {WALL_S:.0f} s)"
        )
        print(
            f"run {n}: {timed}, "
            f"decided {share:.0%} of per-workload verdicts "
            f"({'ok' if share >= DECIDED else 'under'} {DECIDED:.0%}), "
            f"A/A control {control(report)}"
        )
    for (n, a), (m, b) in pairwise(enumerate(found, 1)):
        both = sorted(set(a) & set(b))
        same = [name for name in both if a[name] == b[name]]
        flips = [name for name in both if {a[name], b[name]} == FLIP]
        share = len(same) / len(both) if both else 0.0
        print(
            f"runs {n} and {m}: the same verdict on {len(same)} of {len(both)} ({share:.0%}; "
            f"{'ok' if share >= AGREEMENT else 'under'} {AGREEMENT:.0%}), "
            f"{len(flips)} holds/does-not-hold flips"
        )
        for name in sorted(set(both) - set(same)):
            print(f"  {name}: {a[name]} / {b[name]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, help="another checkout to measure (its src/)")
    parser.add_argument("--beside", type=Path, help="a checkout whose runs alternate with these")
    parser.add_argument(
        "--rejudge", type=Path, nargs="+", help="judge earlier scratch folders' runs again"
    )
    parser.add_argument("matrix", nargs="*", help="options for `framematrix matrix` (after --)")
    args = parser.parse_args()
    if args.rejudge:
        summarise(
            f"{args.src or 'this checkout'}'s rules, on earlier runs",
            [(rejudge(args.src, folder), None, folder) for folder in args.rejudge],
        )
        return 0
    checkouts = {str(args.src or "this checkout"): args.src}
    if args.beside is not None:
        checkouts[str(args.beside)] = args.beside
    runs: dict[str, list[Run]] = {label: [] for label in checkouts}
    for n in range(args.runs):
        for label, src in checkouts.items():
            report, wall, folder = run_matrix(src, args.matrix)
            runs[label].append((report, wall, folder))
            print(f"{label}, run {n + 1}: {wall:.0f} s, {folder}", flush=True)
    print(f"\ncores: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.2f}")
    for label, measured in runs.items():
        summarise(label, measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
