"""Helpers for the decision tests: trial records as the results store writes them, and the CLI
run as a real process."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

FRAMEMATRIX = [sys.executable, "-c", "from framematrix.cli import app; app()"]
DEFAULT_SERVER = {"django": "gunicorn-gthread", "flask": "gunicorn-gthread", "fastapi": "uvicorn"}


def trial(contestant: str, i: int, **fields: Any) -> dict[str, Any]:
    """One trial record with plausible figures; `fields` override them."""
    record: dict[str, Any] = {
        "contestant": contestant,
        "server": DEFAULT_SERVER.get(contestant, "uvicorn"),
        "workers": 2,
        "db": "sqlite",
        "scenario": "crud",
        "engine": "builtin",
        "concurrency": 32,
        "rate": None,
        "trial": i,
        "requests": 10_000,
        "duration_s": 10.0,
        "rps": 1000.0,
        "latency_ms": {"p50": 10, "p90": 20, "p95": 30, "p99": 50, "p999": 80, "max": 90},
        "errors": 0,
        "server_pss_mb": 100.0,
        "server_pss_peak_mb": 110.0,
        "uss_per_worker_mb": 30.0,
        "server_cpu_s_per_1k": 1.0,
        "ok": True,
        "reason": None,
    }
    record.update(fields)
    return record


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in `cwd`, by default an empty folder: no ./runs/ there, so `decide` takes the
    article's figures unless a test gives it a run."""
    with tempfile.TemporaryDirectory() as empty:
        return subprocess.run(
            [*FRAMEMATRIX, *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=cwd or empty,
            stdin=subprocess.DEVNULL,
        )
