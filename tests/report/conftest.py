"""One real run for the report tests that must see what a person sees: five contestants under
their production servers, measured by the builtin engine, made once per session by
`framematrix matrix` itself (its stdout kept, as printed to a 100-column pipe)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from framematrix.results.store import Run
from support.cli import framematrix

MATRIX = ["--contestants", "django,fastapi,flask,raw-wsgi,raw-asgi", "--scenario", "list-posts",
          "--concurrency", "8", "--duration", "0.5s", "--warmup", "0.3s", "--trials", "3",
          "--engine", "builtin"]  # fmt: skip


@dataclass(frozen=True)
class RealRun:
    run: Run
    root: Path
    printed: str
    """What `matrix` printed on stdout."""


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> RealRun:
    folder = tmp_path_factory.mktemp("real-run")
    done = framematrix("matrix", *MATRIX, "--out", str(folder / "runs"), cwd=folder)
    assert done.returncode == 0, done.stderr
    run = Run.latest(folder / "runs")
    assert (run.path / "report.html").is_file()
    return RealRun(run, folder / "runs", done.stdout)
