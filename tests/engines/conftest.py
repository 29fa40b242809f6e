"""A server with known latency, started as its own process for each test that asks for one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from framematrix.servers import free_port

SERVER = Path(__file__).parents[1] / "support" / "delay_server.py"

DelayServer = Callable[..., str]


@pytest.fixture
def delay_server() -> Iterator[DelayServer]:
    """`url = delay_server(latency_ms=20, stall_after_s=1.5, close=True)`; stopped afterwards.
    `host=ADDRESS` listens there instead of on 127.0.0.1."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**options: object) -> str:
        port = free_port()
        argv = [sys.executable, str(SERVER), "--port", str(port)]
        for name, value in options.items():
            flag = "--" + name.replace("_", "-")
            argv += [flag] if value is True else [flag, str(value)]
        process = subprocess.Popen(argv, stdout=subprocess.PIPE)
        started.append(process)
        assert process.stdout is not None
        if process.stdout.readline().strip() != b"ready":
            pytest.fail(f"the delay server did not start: {argv}")
        return f"http://{options.get('host', '127.0.0.1')}:{port}"

    yield start
    for process in started:
        process.kill()
        process.wait()


def _locust_processes(since: float) -> list[psutil.Process]:
    """Locust masters and workers started since `since` (a test run that merely names a locust
    test file on its command line is none of them)."""
    found = []
    for process in psutil.process_iter(["cmdline", "create_time"]):
        cmdline = " ".join(process.info["cmdline"] or ())
        if process.info["create_time"] >= since and "locust" in cmdline and "pytest" not in cmdline:
            found.append(process)
    return [process for process in found if process.pid != os.getpid()]


@pytest.fixture
def no_locust_left() -> Iterator[None]:
    """After the test, no Locust master, worker or `locust-worker` it started is still alive."""
    since = time.time() - 1
    yield
    _, alive = psutil.wait_procs(_locust_processes(since), timeout=10)
    for process in alive:
        process.kill()
    assert not alive, f"left behind: {[' '.join(p.cmdline()) for p in alive]}"
