"""A server with known latency, started as its own process for each test that asks for one."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from framematrix.servers import free_port

SERVER = Path(__file__).parents[1] / "support" / "delay_server.py"

DelayServer = Callable[..., str]


@pytest.fixture
def delay_server() -> Iterator[DelayServer]:
    """`url = delay_server(latency_ms=20, stall_after_s=1.5, close=True)`; stopped afterwards."""
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
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        process.kill()
        process.wait()
