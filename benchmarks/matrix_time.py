"""Wall time of `framematrix matrix`, run the way the README's quick start runs it: on the
embedded PostgreSQL (the default) and on the embedded SQLite (`--db sqlite`), one after the
other, so the cost of the real database is read side by side on one machine.

Each run happens in a fresh scratch folder (extra arguments are passed on to both); it prints
each wall time, the difference (the target: the embedded PostgreSQL adds at most 15 s) and where
the reports are.

    .venv/bin/python benchmarks/matrix_time.py [MATRIX OPTIONS...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 240.0
"""The main job's wall-time target after setup (the verdicts issue)."""
EMBEDDED_EXTRA_S = 15.0
"""What the embedded PostgreSQL may add over SQLite."""


def timed(args: list[str]) -> tuple[float, int, Path | None]:
    """(wall seconds, exit code, report) of one `framematrix matrix ARGS` in a scratch folder."""
    command = [sys.executable, "-m", "framematrix", "matrix", *args]
    scratch = Path(tempfile.mkdtemp(prefix="framematrix-matrix-time-"))
    started = time.monotonic()
    finished = subprocess.run(command, cwd=scratch, env={**os.environ, "COLUMNS": "120"})
    wall = time.monotonic() - started
    reports = sorted(scratch.glob("runs/*/report.html"))
    return wall, finished.returncode, reports[-1] if reports else None


def main(argv: list[str]) -> int:
    found = {
        name: timed([*argv, *extra])
        for name, extra in (("embedded PostgreSQL", []), ("SQLite", ["--db", "sqlite"]))
    }
    print(f"\ncores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.2f}")
    for name, (wall, code, report) in found.items():
        within = "within" if wall <= BUDGET_S else "OVER"
        print(
            f"{name:20} {wall:6.1f} s  (exit {code}; budget {BUDGET_S:.0f} s: {within})"
            f"  report: {report or 'none written'}"
        )
    extra = found["embedded PostgreSQL"][0] - found["SQLite"][0]
    verdict = "within" if extra <= EMBEDDED_EXTRA_S else "OVER"
    print(
        f"the embedded PostgreSQL adds {extra:+.1f} s ({verdict} the {EMBEDDED_EXTRA_S:.0f} s "
        "target)"
    )
    return 0 if all(code == 0 and report for _, code, report in found.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
