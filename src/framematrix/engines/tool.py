"""Running an external load tool (wrk, ab): pinned, bounded in time, its CPU time measured; and
what the engines that drive one share (found on PATH, whole seconds, closed loop only, a warm-up
run apart from the measured one)."""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from framematrix.children import spawn
from framematrix.engines.base import LoadPlan
from framematrix.errors import FramematrixError, MeasurementError

DRAIN_LIMIT_S = 30.0
"""The longest wait for a server to finish a separate warm-up's requests."""


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    stdout: str
    stderr: str
    cpu_s: float
    wall_s: float


def on_path(name: str, package: str) -> tuple[bool, str]:
    """A load tool's `available()`: whether it is on PATH, else which package installs it."""
    if shutil.which(name) is None:
        return False, f"{name} is not on PATH (Debian/Ubuntu: apt-get install {package})"
    return True, ""


def whole_seconds(name: str, duration_s: float, warnings: list[str]) -> int:
    """The measured window in the whole seconds a load tool runs, with a warning when that
    differs from the one asked."""
    seconds = max(1, math.ceil(duration_s))
    if seconds != duration_s:
        warnings.append(f"{name} runs whole seconds: measured {seconds} s, not {duration_s}")
    return seconds


def closed_loop_only(name: str, plan: LoadPlan, instead: str = "") -> None:
    """A load tool's `check()` where it only holds connections open (wrk, ab): never a rate."""
    if plan.open_loop or plan.concurrency is None:
        raise FramematrixError(f"{name} is closed loop only: use --concurrency{instead}")


def separate_warmup(engine: str, warmup_s: float, plan: LoadPlan) -> str:
    """After the separate warm-up of an engine that cannot warm up on the connections it then
    measures: wait for the server to answer what it left behind (`drain`), and say so."""
    drained_s = drain(plan)
    return (
        f"{engine} warmed up in a separate run ({warmup_s:g} s): the measured window began "
        f"with {plan.concurrency} new connections, {drained_s:.1f} s after the warm-up's last "
        "requests were answered (--engine builtin warms up on the same ones)"
    )


def drain(plan: LoadPlan) -> float:
    """Wait until the server has answered the requests a separate warm-up left behind; the
    seconds it took. A warm-up that ends drops its connections with requests in flight, which
    the server still works through: a thread pool with 64 requests queued, each waiting 50 ms
    on an upstream, stays busy 0.8 s, and a measured window of 1 s that began at once would
    count a fraction of what it serves. One GET /health on a new connection queues behind
    them where the server queues (a thread pool), so its answer means they are done; an event
    loop answers it at once."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(plan.host, plan.port, timeout=DRAIN_LIMIT_S)
    with contextlib.suppress(OSError, http.client.HTTPException):
        conn.request("GET", f"{plan.prefix}/health", headers={"Connection": "close"})
        conn.getresponse().read()
    conn.close()
    return time.monotonic() - started


def run(
    argv: list[str],
    *,
    cpus: tuple[int, ...] | None,
    limit_s: float,
    on_stderr_line: Callable[[str], None] | None = None,
) -> ToolRun:
    """Run `argv` to its end (killing it after `limit_s`) and return its output and CPU seconds."""
    started = time.monotonic()
    try:
        process = spawn(
            argv, cpus=cpus, stdout=subprocess.PIPE, stderr=subprocess.PIPE, die_with_parent=False
        )
    except OSError as exc:
        raise MeasurementError(f"cannot start {argv[0]}: {exc.strerror}") from None
    out, err = bytearray(), bytearray()
    try:
        _read(process, os.path.basename(argv[0]), out, err, started + limit_s, on_stderr_line)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            process.returncode = -signal.SIGKILL
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    return ToolRun(
        returncode=process.returncode,
        stdout=out.decode(errors="replace"),
        stderr=err.decode(errors="replace"),
        cpu_s=usage.ru_utime + usage.ru_stime,
        wall_s=time.monotonic() - started,
    )


def _read(
    process: subprocess.Popen[bytes],
    name: str,
    out: bytearray,
    err: bytearray,
    deadline: float,
    on_stderr_line: Callable[[str], None] | None,
) -> None:
    assert process.stdout is not None and process.stderr is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, out)
        selector.register(process.stderr, selectors.EVENT_READ, err)
        seen = 0
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise MeasurementError(f"{name} did not finish in time; stopped it")
            for key, _ in selector.select(min(left, 0.25)):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                key.data.extend(data)
            if on_stderr_line is not None:
                end = err.rfind(b"\n") + 1
                if end > seen:
                    for line in err[seen:end].decode(errors="replace").splitlines():
                        on_stderr_line(line)
                    seen = end
