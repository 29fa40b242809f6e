"""`framematrix prepare` (what `./bootstrap` ends with) finds what a first run finds once per
install, and the next matrix takes every bit of it from the install's cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from framematrix.measure.batteries.battery import FAMILIES

CLI = [sys.executable, "-m", "framematrix"]
CONTESTANT = "flask"


def test_a_matrix_after_prepare_takes_what_it_found_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "FRAMEMATRIX_CACHE": str(cache), "COLUMNS": "100"}
    prepared = subprocess.run(
        [*CLI, "prepare", "--contestants", CONTESTANT],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert prepared.returncode == 0, prepared.stderr
    assert "prepared" in prepared.stdout
    assert list((cache / "ledgers").glob(f"{CONTESTANT}.*.json"))
    assert list((cache / "audits").glob(f"{CONTESTANT}.*.json"))
    assert {path.name.split(".")[0] for path in (cache / "batteries").glob("*.json")} == set(
        FAMILIES
    )

    matrix = [*CLI, "matrix", "--contestants", CONTESTANT, "--scenario", "list-posts"]
    short = ["--concurrency", "4", "--duration", "0.2s", "--warmup", "0s", "--trials", "1"]
    ran = subprocess.run(
        [*matrix, *short, "--no-control", "--out", str(tmp_path / "runs")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr
    (run,) = (tmp_path / "runs").iterdir()
    assert json.loads((run / "ledger.json").read_text())["cached"] == [CONTESTANT]
    audit = json.loads((run / "run.json").read_text())["audit"]
    assert audit["audited"] and audit["cached"] == audit["audited"]
