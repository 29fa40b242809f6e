"""The type gate: mypy, configured in pyproject.toml, must pass on the whole package.

Run as a test so a type error fails the suite like any other regression.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_passes_on_the_package() -> None:
    # the files, flags and strictness come from [tool.mypy] in pyproject.toml
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"mypy failed:\n{done.stdout}{done.stderr}"
