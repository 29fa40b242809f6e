"""The two test blogs (tests/support/audit_apps.py) under a real gunicorn, audited once each."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from framematrix.audit.model import ProbeResult, Target
from framematrix.audit.probes import run_probes
from framematrix.audit.users import AUDIT_PASSWORD, ensure_audit_user
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.servers import free_port

SUPPORT = Path(__file__).resolve().parents[1] / "support"
sys.path.insert(0, str(SUPPORT))

import audit_apps  # noqa: E402


class TestApp:
    """`audit_apps:<name>` under gunicorn on a free port, with its own seeded SQLite file."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.db = DatabaseURL.parse(f"sqlite:///{folder / f'{name}.db'}")
        init(self.db, SeedSize(authors=5, posts=30))
        hasher = audit_apps.hash_safe if name == "safe" else audit_apps.hash_vulnerable
        ensure_audit_user(self.db, hasher(AUDIT_PASSWORD))
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "--bind", self.url.removeprefix("http://"),
               "--workers", "1", "--log-level", "warning", "--pythonpath", str(SUPPORT),
               f"audit_apps:{self.name}"]  # fmt: skip
        env = {**os.environ, "FRAMEMATRIX_DB_URL": self.db.url}
        quiet = subprocess.DEVNULL
        self.process = subprocess.Popen(
            cmd, env=env, start_new_session=True, stdout=quiet, stderr=quiet
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url + "/health", timeout=2),
            ):
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"{self.name} test app did not start")

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@pytest.fixture(scope="session")
def test_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestApp]]:
    folder = tmp_path_factory.mktemp("audit-apps")
    apps = {name: TestApp(name, folder) for name in ("vulnerable", "safe")}
    try:
        for app in apps.values():
            app.start()
        yield apps
    finally:
        for app in apps.values():
            app.stop()


@pytest.fixture(scope="session")
def hardened_results(test_apps: dict[str, TestApp]) -> dict[str, dict[str, ProbeResult]]:
    """Every probe run once against each app, audited as the hardened profile."""
    return {
        name: {r.name: r for r in run_probes(Target(app.url, "hardened", app.db.url))}
        for name, app in test_apps.items()
    }
