"""`--rerun` of a run without version sets measures this install, and names what differs from
the versions the run recorded."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from framematrix.results.store import Run
from framematrix.run.bench import installed_drift


def test_what_differs_from_the_recorded_install_is_named(tmp_path: Path) -> None:
    here = metadata.version("django")
    packages = {"django": here, "flask": "0.0.1"}
    run = Run.create(tmp_path, {"plan": {}, "environment": {"packages": packages}})
    assert installed_drift(run) == ["flask==0.0.1"]
