"""The real `framematrix` command in a subprocess: `verify`, clean stops, one-line errors."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from framematrix.servers import free_port
from support.careless import careless_server

FRAMEMATRIX = str(Path(sys.executable).with_name("framematrix"))
UNREACHABLE_PG = "postgresql://postgres@127.0.0.1:1/nothing"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FRAMEMATRIX, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _wait_healthy(port: int, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port} within {timeout} s")


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "contestant", "server"),
    [
        (signal.SIGINT, "raw-wsgi", "gunicorn-gthread"),
        (signal.SIGTERM, "raw-asgi", "uvicorn"),
        (signal.SIGTERM, "raw-wsgi", "granian"),
        (signal.SIGINT, "raw-asgi", "gunicorn-uvicorn"),
    ],
    ids=["SIGINT-gunicorn", "SIGTERM-uvicorn", "SIGTERM-granian", "SIGINT-gunicorn-uvicorn"],
)
def test_serve_leaves_no_process_behind(signum, contestant, server, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    args = ["serve", contestant, "--server", server, "--workers", "2", "--db", sqlite_url,
            "--port", str(port)]  # fmt: skip
    with subprocess.Popen(
        [FRAMEMATRIX, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:  # leaving it closes its pipes and waits for it
        try:
            _wait_healthy(port, process)
            cli = psutil.Process(process.pid)
            tree = [cli, *cli.children(recursive=True)]
            assert len(tree) >= 3, f"expected the CLI, a server and its workers: {tree}"
            process.send_signal(signum)
            assert process.wait(timeout=30) == 0, process.communicate()
            _, alive = psutil.wait_procs(tree, timeout=10)
            assert not alive, f"left behind: {alive}"
        finally:
            if process.poll() is None:
                process.kill()


def _busy_port():  # type: ignore[no-untyped-def]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "nosuch"],
        ["serve", "django", "--server", "nosuch"],
        ["serve", "django", "--server", "uvicorn"],
        ["serve", "raw-wsgi", "--db", UNREACHABLE_PG],
        ["serve", "raw-wsgi", "--db", "mysql://localhost/x"],
        ["serve", "raw-wsgi", "--port", "BUSY"],
        ["verify", "nosuch"],
        ["verify", "django", "--server", "uvicorn"],
        ["verify", "--server", "nosuch"],
        ["verify", "raw-wsgi", "--db", UNREACHABLE_PG],
        ["verify", "--url", "http://127.0.0.1:FREE"],
        ["verify", "raw-wsgi", "--url", "http://127.0.0.1:FREE"],
    ],
    ids=lambda args: " ".join(args),
)
def test_bad_input_is_one_line_and_exit_2(args, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    with _busy_port() as busy:
        args = [a.replace("BUSY", str(busy.getsockname()[1])) for a in args]
        args = [a.replace("FREE", str(free_port())) for a in args]
        if args[0] == "serve" and "--db" not in args:
            args += ["--db", sqlite_url]
        result = _cli(*args)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_verify_starts_a_contestant_and_prints_a_table() -> None:
    result = _cli("verify", "raw-asgi", "--server", "uvicorn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "raw-asgi" in result.stdout and "pass" in result.stdout


def test_verify_url_fails_a_careless_server_with_exit_1() -> None:
    with careless_server() as url:
        result = _cli("verify", "--url", url, "--json")
    assert result.returncode == 1, result.stderr
    (verdict,) = json.loads(result.stdout)
    assert verdict["contestant"] == url and verdict["passed"] is False
    assert {check["name"] for check in verdict["checks"] if not check["passed"]} >= {"health"}
