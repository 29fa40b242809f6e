"""`bench --versions` end to end: one contestant in two Django minor versions (each its own uv
environment, its servers run by that environment's interpreter), a set that cannot be installed
and one the contestant's code does not run on failing only their own trials, and `--rerun`
installing exactly what a run folder records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from framematrix.db.url import DatabaseURL
from framematrix.versions.envs import CACHE_ENV

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

QUICK = ["--contestants", "django", "--scenario", "read-one", "--duration", "0.5s", "--warmup",
         "0.2s", "--engine", "builtin", "--concurrency", "4", "--trials", "1",
         "--no-control"]  # fmt: skip
"""Django 4.2's SQLite backend lacks the options the contestant's settings use (Django 5.1's):
the Django versions are compared on PostgreSQL, as the article measured."""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The environments of this module's runs, built once and shared by its tests."""
    return tmp_path_factory.mktemp("envs")


def framematrix(cache: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "framematrix", *args], cwd=cwd,
                          env={**os.environ, CACHE_ENV: str(cache)}, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def bench(cache: Path, cwd: Path, db: DatabaseURL, *args: str) -> dict:  # type: ignore[type-arg]
    done = framematrix(cache, cwd, "bench", "--out", str(cwd / "runs"), "--db", db.url,
                       "--json", *args)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_one_contestant_in_two_django_versions(cache: Path, tmp_path: Path, pg_db) -> None:  # type: ignore[no-untyped-def]
    sets = ("django==4.2.*", "django==5.2.*", "django==0.0.1", "djangorestframework==3.9.*")
    data = bench(cache, tmp_path, pg_db, *QUICK, *(a for s in sets for a in ("--versions", s)))
    trials = {t["version_set"]: t for t in data["trials"]}
    assert set(trials) == set(sets)
    for label, minor in (("django==4.2.*", "4.2."), ("django==5.2.*", "5.2.")):
        trial = trials[label]
        assert trial["ok"], trial["reason"]
        assert trial["resolved"]["django"].startswith(minor)
        assert {"djangorestframework", "gunicorn"} <= set(trial["resolved"])
        python = trial["server_config"]["command"][0]
        assert python.startswith(str(cache)) and python != sys.executable
    bad = trials["django==0.0.1"]
    assert not bad["ok"] and "could not be installed" in bad["reason"]
    assert "django==0.0.1" in bad["reason"].split(":", 1)[1]
    # DRF 3.9 installs beside Django 5.2 but imports what Django 4.0 removed: the server's
    # health check fails, and its trials say why.
    unsupported = trials["djangorestframework==3.9.*"]
    assert not unsupported["ok"] and "ImportError" in unsupported["reason"]
    assert unsupported["resolved"]["djangorestframework"].startswith("3.9.")
    meta = json.loads((Path(data["path"]) / "run.json").read_text())
    recorded = meta["environment"]["version_sets"]
    assert recorded["django==0.0.1"]["error"] and not meta["plan"]["pins"].get("django==0.0.1")
    pins = meta["plan"]["pins"]["django==4.2.*"]
    assert f"django=={trials['django==4.2.*']['resolved']['django']}" in [p.lower() for p in pins]
    shown = framematrix(cache, tmp_path, "results", data["path"])
    assert shown.returncode == 0, shown.stderr
    assert "django (django==4.2.*)" in shown.stdout and "django (django==5.2.*)" in shown.stdout


def test_rerun_installs_what_the_run_folder_records(cache: Path, tmp_path: Path, pg_db) -> None:  # type: ignore[no-untyped-def]
    first = bench(cache, tmp_path, pg_db, *QUICK, "--versions", "django==4.2.*")
    run_json = Path(first["path"]) / "run.json"
    meta = json.loads(run_json.read_text())
    # The record alone decides: an older 4.2 release written into it is what the rerun installs.
    pins = meta["plan"]["pins"]["django==4.2.*"]
    meta["plan"]["pins"]["django==4.2.*"] = [
        "django==4.2.20" if p.lower().startswith("django==") else p for p in pins
    ]
    run_json.write_text(json.dumps(meta))
    again = bench(cache, tmp_path, pg_db, "--rerun", first["run"])
    assert again["run"] != first["run"] and len(again["trials"]) == len(first["trials"]) == 1
    trial = again["trials"][0]
    assert trial["ok"], trial["reason"]
    assert trial["version_set"] == "django==4.2.*" and trial["resolved"]["django"] == "4.2.20"
    rerun_meta = json.loads((Path(again["path"]) / "run.json").read_text())
    assert rerun_meta["rerun_of"] == first["run"]
    assert rerun_meta["plan"]["pins"] == meta["plan"]["pins"]
    compared = framematrix(cache, tmp_path, "compare", first["path"], again["path"], "--json")
    assert compared.returncode == 0, compared.stderr
    points = json.loads(compared.stdout)["points"]
    assert [p["a"]["version_set"] for p in points] == ["django==4.2.*"]
