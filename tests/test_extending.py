"""The README's "How to add a contestant, a server, an engine or a scenario", done once each with
a throwaway example: its own code plus one record, and the rest of framematrix picks it up."""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

import pytest

from framematrix.contestants import registry
from framematrix.contestants.registry import CONTESTANTS, ContestantSpec
from framematrix.db.url import DatabaseURL
from framematrix.engines import ENGINES, get_engine
from framematrix.measure import environment
from framematrix.measure.verify import verify_contestant
from framematrix.results.store import Run
from framematrix.run.options import BenchOptions
from framematrix.run.runner import Runner
from framematrix.run.validation import build_plan
from framematrix.scenarios import SCENARIOS, Scenario, Step
from framematrix.servers import (
    SERVERS,
    DocsTuning,
    RunningServer,
    Server,
    ServerConfig,
    Settings,
    free_port,
    servers_for,
)
from framematrix.trials import TrialResult


def one_trial(tmp_path: Path, db: DatabaseURL, **options: str) -> TrialResult:
    """One short trial of the options given, through the real runner and results store."""
    given = {"contestants": "raw-wsgi", "scenario": "health", "engine": "builtin", **options}
    plan = build_plan(
        BenchOptions(
            concurrency="2",
            duration="0.5s",
            warmup="0s",
            trials=1,
            db=db.url,
            control=False,
            **given,
        )
    )
    run = Run.create(tmp_path / "runs", {"plan": plan.to_dict()})
    runner = Runner(plan, run)
    runner.prepare()
    (result,) = runner.execute()
    assert [(t.spec, t.ok, t.requests) for t in run.trials()] == [
        (result.spec, True, result.requests)
    ]
    return result


def test_a_contestant_is_its_package_and_one_registry_entry(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_db: DatabaseURL,
) -> None:
    package = tmp_path / "throwaway_contestant"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(
        "from framematrix.contestants.raw_wsgi.app import application  # noqa: F401\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    )
    (spec,) = registry.parse(
        """
        [throwaway]
        interface = "wsgi"
        app = "throwaway_contestant.app:application"
        packages = ["hdrhistogram"]
        summary = "a throwaway contestant: the raw WSGI baseline under another name"
        baseline = "raw-wsgi"
        """
    ).values()
    monkeypatch.setitem(CONTESTANTS, spec.name, spec)

    assert servers_for(spec) == tuple(
        s for s, server in SERVERS.items() if "wsgi" in server.interfaces
    )
    assert "hdrhistogram" in environment.versions()
    verdict = verify_contestant("throwaway", "gunicorn-sync", sqlite_db, workers=1)
    assert verdict.passed, [f.name for f in verdict.failures]
    result = one_trial(tmp_path, sqlite_db, contestants="throwaway")
    assert result.ok and result.requests > 0
    assert result.point.server == servers_for(spec)[0]


def test_a_server_is_one_record(monkeypatch: pytest.MonkeyPatch, sqlite_db: DatabaseURL) -> None:
    def command(config: ServerConfig, spec: ContestantSpec, settings: Settings) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn",
            "--bind", f"{config.host}:{config.port}", "--workers", str(config.worker_count),
            "--worker-class", "sync", "--log-level", settings.log_level, spec.app,
        ]  # fmt: skip

    server = Server("gunicorn-quiet", frozenset({"wsgi"}), "gunicorn", "a throwaway server",
                    command, Settings(keepalive=False, log_level="error"),
                    DocsTuning("gunicorn docs, Design: (2 x cores) + 1 workers", 2, 1))  # fmt: skip
    monkeypatch.setitem(SERVERS, server.name, server)

    assert server.name in servers_for(CONTESTANTS["flask"])
    assert server.name not in servers_for(CONTESTANTS["fastapi"])
    config = ServerConfig("raw-wsgi", server.name, sqlite_db.url, port=free_port(), workers=1)
    assert config.record()["settings"]["log_level"] == "error"
    with (
        RunningServer(config) as running,
        urllib.request.urlopen(running.config.url + "/health") as answer,
    ):
        assert answer.status == 200


def test_an_engine_is_one_module_and_one_entry(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_db: DatabaseURL,
) -> None:
    monkeypatch.setitem(ENGINES, "serial", "support.serial_engine:SerialEngine")
    assert get_engine("serial").name == "serial"
    result = one_trial(tmp_path, sqlite_db, engine="serial")
    assert result.ok and result.requests > 0 and result.errors == 0
    assert result.point.at.engine == "serial"


def test_a_scenario_is_one_record(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_db: DatabaseURL,
) -> None:
    scenario = Scenario("authors-page", "GET /authors?limit=5", (Step("GET", "/authors?limit=5"),),
                        writes=False)  # fmt: skip
    monkeypatch.setitem(SCENARIOS, scenario.name, scenario)
    result = one_trial(tmp_path, sqlite_db, scenario="authors-page")
    assert result.ok and result.requests > 0 and result.errors == 0
    assert result.point.at.scenario == "authors-page"
