"""The locust engine's failures: each one a one-line reason, in bounded time, nothing left over.

Workers that never join, a local worker killed mid-trial, a worker on "another machine" (a
`framematrix locust-worker` process) killed mid-trial, a master nobody can reach, a worker of
another framematrix version, and a Locust that cannot be imported.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.locust.engine import LocustEngine
from framematrix.engines.locust.options import Layout, LocustOptions
from framematrix.engines.locust.protocol import STALE, locustfile, signature
from framematrix.errors import MeasurementError
from framematrix.servers import free_port

pytestmark = pytest.mark.usefixtures("no_locust_left")
FRAMEMATRIX = [sys.executable, "-m", "framematrix"]


def plan(url: str, duration_s: float = 3) -> LoadPlan:
    return LoadPlan(base_url=url, scenario=scenarios.get("health"), concurrency=4, timeout_s=5,
                    duration_s=duration_s)  # fmt: skip


def locust_workers(**where: str) -> list[psutil.Process]:
    """This test's Locust worker processes; `download=True`: those of `locust-worker`."""
    found = []
    for process in psutil.Process().children(recursive=True):
        cmdline = process.cmdline()
        if "--worker" in cmdline and "locust" in cmdline:
            remote = cmdline[cmdline.index("-f") + 1] == "-"
            if remote == bool(where.get("download")):
                found.append(process)
    return found


def remote_worker(port: int, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*FRAMEMATRIX, "locust-worker", "--master", f"127.0.0.1:{port}", "--once", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def test_workers_that_never_join_fail_the_trial_in_time(delay_server) -> None:
    url = delay_server(latency_ms=5)
    spread = LocustOptions(locust_workers=1, locust_remote_workers=1,
                           locust_master=f"127.0.0.1:{free_port()}")  # fmt: skip
    started = time.monotonic()
    with pytest.raises(MeasurementError, match="only 1 of 2 locust workers joined within 3 s"):
        LocustEngine(spread, join_timeout_s=3).run(plan(url))
    assert time.monotonic() - started < 30


def test_a_local_worker_that_dies_mid_trial_fails_the_trial(delay_server) -> None:
    url = delay_server(latency_ms=5)

    def kill_one() -> None:
        workers = locust_workers()
        assert len(workers) == 2
        workers[0].kill()

    with pytest.raises(MeasurementError, match=r"locust worker \d \(here\).*died mid-trial"):
        get_engine("locust", LocustOptions(locust_workers=2)).run(plan(url), on_measuring=kill_one)


def test_a_remote_worker_that_dies_mid_trial_fails_the_trial(delay_server) -> None:
    """The master sees it stop answering (Locust's heartbeats, about 3 s) and voids the trial."""
    url = delay_server(latency_ms=5)
    port = free_port()
    wrapper = remote_worker(port)
    try:

        def kill_remote() -> None:
            (worker,) = locust_workers(download=True)
            worker.kill()

        spread = LocustOptions(locust_workers=1, locust_remote_workers=1,
                               locust_master=f"127.0.0.1:{port}")  # fmt: skip
        with pytest.raises(MeasurementError, match=r"stopped answering|sent no results"):
            get_engine("locust", spread).run(plan(url, duration_s=8), on_measuring=kill_remote)
        _, err = wrapper.communicate(timeout=30)
        assert wrapper.returncode == 2
        assert "error: the locust worker failed" in err
    finally:
        if wrapper.poll() is None:
            os.killpg(wrapper.pid, signal.SIGKILL)
            wrapper.wait()


def test_locust_worker_gives_up_on_a_master_that_never_answers() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [*FRAMEMATRIX, "locust-worker", "--master", f"127.0.0.1:{free_port()}", "--wait", "1s"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "no locust master answered" in done.stderr
    assert time.monotonic() - started < 20


def master_of(path: Path, url: str, trial: str) -> tuple[subprocess.Popen[bytes], int]:
    """A Locust master started by hand on `path`, waiting for one worker; the test stops it."""
    port = free_port()
    master = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(path), "--master", "--headless",
         "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
         "--expect-workers", "1", "-u", "1", "-r", "1", "-H", url, "--fm-trial", trial,
         "--fm-result", str(path.with_suffix(".json"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    return master, port


def written(tmp_path: Path, url: str, trial: str) -> Path:
    load = LoadPlan(base_url=url, scenario=scenarios.get("health"), concurrency=1)
    path = tmp_path / f"fm_locust_{trial}.py"
    path.write_text(locustfile(load, Layout.of(load, LocustOptions()), trial))
    return path


def test_a_worker_of_another_framematrix_is_refused_with_one_line(tmp_path: Path) -> None:
    """A master whose locustfile was written by another framematrix: the worker downloads it,
    refuses it and says why; the master, which waits for its worker, is stopped by the test."""
    path = written(tmp_path, "http://127.0.0.1:9", "t0")
    other = "0.0.1+000000000000"
    path.write_text(path.read_text().replace(signature(), other))
    master, port = master_of(path, "http://127.0.0.1:9", "t0")
    try:
        worker = remote_worker(port, "--wait", "20s")
        _, err = worker.communicate(timeout=60)
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()
    assert worker.returncode == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "refused the master's locustfile" in err
    assert other in err and signature() in err


def test_a_worker_with_another_trials_locustfile_sends_nothing(tmp_path, delay_server) -> None:
    """The master hands its trial's token to the workers it starts; a worker that downloaded
    another trial's locustfile (a master that ended as it asked) exits before any user runs."""
    accepted = tmp_path / "accepted.log"
    url = delay_server(latency_ms=5, accept_log=accepted)
    master, port = master_of(written(tmp_path, url, "t0"), url, "t1")
    try:
        worker = subprocess.run(
            [sys.executable, "-m", "locust", "-f", "-", "--worker", "--master-port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "TMPDIR": str(tmp_path)},  # where Locust keeps the download
        )  # fmt: skip
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()
    assert worker.returncode == STALE
    assert "stale locustfile (trial t0, not t1)" in worker.stderr
    assert not accepted.exists() or not accepted.read_text().strip()


UNINSTALLED = "import sys; sys.modules['locust'] = None; from framematrix.cli import app; app()"
"""framematrix in a Python where `import locust` fails, as where it is not installed."""


BENCH = ["bench", "--engine", "locust", "--url", "http://127.0.0.1:9", "--scenario", "health",
         "--concurrency", "2", "--trials", "1"]  # fmt: skip


@pytest.mark.parametrize("args", [BENCH, ["locust-worker", "--master", "127.0.0.1:9"]])
def test_without_locust_installed_the_commands_say_so_in_one_line(args, tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", UNINSTALLED, *args], capture_output=True, text=True,
        timeout=60, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Locust is not installed: pip install 'framematrix[locust]'" in done.stderr
