"""The `framematrix` command run as a user runs it: a child process with its output piped."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path


def framematrix(
    *args: str,
    cwd: Path,
    columns: int | None = 100,
    timeout: float = 300,
    module: str = "framematrix",
) -> subprocess.CompletedProcess[str]:
    """`python -m framematrix ARGS` (or another module that runs its CLI) in `cwd`; `COLUMNS`
    set to `columns` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


def longest(lines: Iterable[str]) -> int:
    return max((len(line) for line in lines), default=0)
