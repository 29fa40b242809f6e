"""The terminal views of a real run fit 100 columns, one line per contestant, the verdicts in
view; `--wide` still prints the full tables; piped output has no colour codes."""

from __future__ import annotations

import re
from typing import Any

from framematrix.claims import RUN_CLAIMS
from support.cli import framematrix, longest

CONTESTANTS = ("django", "fastapi", "flask", "raw-wsgi", "raw-asgi")


def test_results_fit_100_columns_one_line_per_contestant(real_run: Any) -> None:
    done = framematrix("results", "--out", str(real_run.root), cwd=real_run.root, columns=100)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert longest(lines) <= 100, max(lines, key=len)
    assert "\x1b[" not in done.stdout  # not a terminal: no colour codes
    controls = [line for line in lines if line.startswith("django (A/A) ")]
    assert len(controls) == 1, "the A/A control's second Django server has a line of its own"
    for name in CONTESTANTS:
        (line,) = [line for line in lines if line.startswith(name + " ") and "(A/A)" not in line]
        # req/s with its range, the ratio to the reference with its range, p95, PSS, errors
        assert re.search(r"[\d,]+ \([\d,]+…[\d,]+\)\s+\d+\.\d\dx \(\d+\.\d\d…\d+\.\d\d\)"
                         r"\s+[\d.]+\s+\d+\s+0$", line), line  # fmt: skip
    assert "list-posts c=8 (builtin): req/s against django" in done.stdout


def test_piped_output_without_columns_is_100_wide_and_wide_is_wider(real_run: Any) -> None:
    plain = framematrix("results", "--out", str(real_run.root), cwd=real_run.root, columns=None)
    assert plain.returncode == 0, plain.stderr
    assert longest(plain.stdout.splitlines()) <= 100
    wide = framematrix("results", "--wide", "--out", str(real_run.root), cwd=real_run.root)
    assert wide.returncode == 0, wide.stderr
    assert longest(wide.stdout.splitlines()) > 100  # the full table, every percentile
    assert "p99 ms" in wide.stdout and "req/s against django" in wide.stdout


def test_matrix_fits_100_columns_and_ends_with_the_verdicts(real_run: Any) -> None:
    lines = real_run.printed.splitlines()
    assert longest(lines) <= 100, max(lines, key=len)
    claims = next(i for i, line in enumerate(lines) if line.startswith("The article's claims"))
    table = next(i for i, line in enumerate(lines) if line.startswith("list-posts c=8"))
    assert table < claims  # the figures first, the verdicts last: in view when it ends
    verdicts = [line for line in lines[claims:] if re.match(r"[✓✗?+x] (holds|does not hold|cannot "
                                                            r"tell)", line)]  # fmt: skip
    assert len(verdicts) == len(RUN_CLAIMS)
    assert lines[-1].startswith("report written to")
