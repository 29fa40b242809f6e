"""Hand-made run folders in the results store's layout: RUN/run.json and RUN/trials/*.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

WriteRun = Callable[..., Path]


@pytest.fixture
def write_run(tmp_path: Path) -> WriteRun:
    def write(
        trials: list[dict[str, Any]], name: str = "20250101-120000", root: Path = tmp_path
    ) -> Path:
        run = root / name
        (run / "trials").mkdir(parents=True)
        meta = {
            "run": name,
            "created": "2025-01-01T12:00:00Z",
            "environment": {"cpus": 2},
            "plan": {},
        }
        (run / "run.json").write_text(json.dumps(meta))
        for n, t in enumerate(trials):
            (run / "trials" / f"{n:03d}.json").write_text(json.dumps(t))
        return run

    return write
