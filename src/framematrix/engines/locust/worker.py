"""`framematrix locust-worker --master HOST[:PORT]`: a locust worker on another machine.

Each trial of a locust run has a master of its own (framematrix starts one per trial, on the
same address), so the command serves trial after trial: it waits for the master's port to
accept connections, runs one Locust worker that downloads the trial's locustfile from the master
(Locust's `-f -`) and exits when the master quits, waits for that master to go, and starts over.

The locustfile runs framematrix's own code (`scenario.py`), and refuses to run on a
worker whose framematrix or Locust differs from the master's: that ends this command with the
locustfile's one line and exit code 2, as does a master that never answers within `wait_s`.
A master that goes away for `wait_s` after at least one trial ends it normally.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from framematrix.children import spawn, stop_group
from framematrix.engines.locust.engine import LocustEngine
from framematrix.engines.locust.options import parse_master
from framematrix.engines.locust.protocol import REFUSED, STALE
from framematrix.errors import FramematrixError

POLL_S = 0.25
GONE_WAIT_S = 10.0
"""After a trial: how long the master that ran it may take to close its port."""


def serve(
    master: str,
    *,
    cpus: tuple[int, ...] | None,
    wait_s: float,
    once: bool,
    say: Callable[[str], None],
) -> int:
    """Serve the master's trials; the number served. FramematrixError (one line) when the
    master never answers, refuses this worker's versions, or Locust is missing here."""
    ok, why = LocustEngine().available()
    if not ok:
        raise FramematrixError(why)
    host, port = parse_master(master)
    served = 0
    while True:
        if not _answers(host, port, wait_s):
            if not served:
                raise FramematrixError(
                    f"no locust master answered at {host}:{port} within {wait_s:g} s: start "
                    "`framematrix bench --engine locust --locust-remote-workers N` there first, "
                    f"and open TCP port {port} from this machine"
                )
            say(f"the master at {host}:{port} has been gone for {wait_s:g} s: served {served}")
            return served
        code, last = _one_trial(host, port, cpus)
        if code == REFUSED:
            raise FramematrixError(last.removeprefix("framematrix: "))
        if code not in (0, STALE):
            raise FramematrixError(f"the locust worker failed (exit code {code}): {last}")
        if code == 0:
            served += 1
            say(f"served trial {served} of the master at {host}:{port}")
            if once:
                return served
        _gone(host, port)


def _one_trial(host: str, port: int, cpus: tuple[int, ...] | None) -> tuple[int, str]:
    """Run one worker against the master until it exits: (exit code, its last stderr line).
    The downloaded locustfile lands in a folder of its own, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fm-locust-worker-") as folder:
        log_path = Path(folder) / "worker.log"
        # packed by hand: an option and its value per row
        argv = [
            sys.executable, "-m", "locust",
            "-f", "-",
            "--worker",
            "--master-host", host,
            "--master-port", str(port),
            "--loglevel", "WARNING",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = spawn(
                argv, cpus=cpus, env={**os.environ, "TMPDIR": folder}, stdout=log, stderr=log
            )
            try:
                code = process.wait()
            finally:
                _stop(process)
        lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines()]
    ours = [line for line in lines if line.startswith("framematrix: ")]
    last = (ours or [line for line in lines if line] or ["(no output)"])[-1]
    return code, last[:300]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C or SIGTERM while a worker runs: stop its whole group."""
    if process.poll() is None:
        stop_group(process, 5.0)


def _answers(host: str, port: int, wait_s: float) -> bool:
    """Whether the master's port accepts a connection within `wait_s`."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with socket.create_connection((host, port), timeout=min(1.0, wait_s) or 1.0):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_S)


def _gone(host: str, port: int) -> None:
    """Wait (a little) for the master that ran the trial to close its port, so the next worker
    downloads the next trial's locustfile and not this one's again."""
    deadline = time.monotonic() + GONE_WAIT_S
    while time.monotonic() < deadline and _answers(host, port, 0):
        time.sleep(POLL_S)
