"""The upstream as a child process of framematrix: started pinned, awaited, always stopped.

Tests also make it misbehave through this handle: `stopped()` (connection refused: the
process is gone, then comes back on the same port), `mode("stall")` (accepts, never
answers), `mode("status", 503)` (answers an error status), and `calls(id)` counts the
profile requests a contestant made.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from framematrix.children import Child, spawn, stop_group
from framematrix.errors import FramematrixError
from framematrix.upstream.service import READY
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S, UpstreamSettings

STARTUP_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
CONTROL_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class UpstreamConfig:
    """How the upstream of a run is started; stored with the run like a `ServerConfig`."""

    latency_ms: float = 50.0
    jitter_ms: float = 0.0
    host: str = "127.0.0.1"
    port: int = 0
    """0: a free port, chosen by the upstream itself (no race with another process)."""
    cpus: tuple[int, ...] | None = None
    """Cores it is pinned to; None: not pinned."""
    seed: int = 0

    def __post_init__(self) -> None:
        if self.latency_ms < 0 or not 0 <= self.jitter_ms <= self.latency_ms:
            raise FramematrixError(
                f"upstream latency {self.latency_ms} ms with jitter {self.jitter_ms} ms: the "
                "latency must be >= 0 and the jitter between 0 and the latency"
            )

    def command(self, port: int) -> list[str]:
        # packed by hand: an option and its value per row
        return [
            sys.executable, "-m", "framematrix.upstream",
            "--host", self.host,
            "--port", str(port),
            "--latency-ms", repr(self.latency_ms),
            "--jitter-ms", repr(self.jitter_ms),
            "--seed", str(self.seed),
            "--parent-pid", str(os.getpid()),
        ]  # fmt: skip

    def record(self) -> dict[str, object]:
        return {**asdict(self), "command": self.command(self.port)}


class RunningUpstream(Child):
    """`with RunningUpstream(UpstreamConfig(latency_ms=50)) as upstream:` ... `upstream.url`."""

    def __init__(self, config: UpstreamConfig | None = None) -> None:
        super().__init__()
        self.config = config or UpstreamConfig()
        self.port = self.config.port

    @property
    def url(self) -> str:
        if not self.port:
            raise FramematrixError("the upstream has not been started")
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}"

    def settings(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> UpstreamSettings:
        return UpstreamSettings(self.url, timeout_s)

    def env(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> dict[str, str]:
        """What a contestant needs to call this upstream (for `ServerConfig.env`)."""
        return self.settings(timeout_s).env()

    # -- life -------------------------------------------------------------------------------

    def start(self, timeout_s: float = STARTUP_TIMEOUT_S) -> RunningUpstream:
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        try:
            self.process = spawn(
                self.config.command(self.port),
                cpus=self.config.cpus,
                stdout=subprocess.PIPE,
                stderr=self._log,
                die_with_parent=False,
            )
        except OSError as exc:
            raise FramematrixError(f"cannot start the upstream: {exc.strerror}") from None
        try:
            self.port = self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout_s: float) -> int:
        """Read the ready line and the port it names."""
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + timeout_s
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if not select.select([self.process.stdout], [], [], max(left, 0))[0]:
                raise FramematrixError(
                    f"the upstream did not say it was ready within {timeout_s:.0f} s: "
                    f"{self.log_tail()}"
                )
            chunk = os.read(self.process.stdout.fileno(), 256)
            if not chunk:  # its stdout closed: it is exiting
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(STOP_TIMEOUT_S)
                raise FramematrixError(
                    f"the upstream exited with code {self.process.returncode}: {self.log_tail()}"
                )
            line += chunk
        text = line.decode(errors="replace").strip()
        if not text.startswith(READY):
            raise FramematrixError(f"the upstream said {text!r} instead of being ready")
        return int(text.rsplit(":", 1)[1])

    def stop(self) -> None:
        """SIGTERM its process group, SIGKILL whatever is left after a grace period."""
        process, self.process = self.process, None
        if process is not None:
            stop_group(process, STOP_TIMEOUT_S)
            if process.stdout is not None:
                process.stdout.close()
        self._close_log()

    # -- misbehaving, for tests -------------------------------------------------------------

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """No upstream at all (connections refused), then the same one back on the same port.

        Meanwhile a socket that never listens holds the port: connections to it are refused,
        and no other process (a parallel test's upstream, say) is given it by the kernel."""
        self.stop()
        holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT
            holder.bind((self.config.host, self.port))
            yield
        finally:
            holder.close()
            self.start()

    @contextlib.contextmanager
    def mode(self, mode: str, status: int = 503) -> Iterator[None]:
        """Profile requests `stall`, answer `status`, `not-json` or `not-object`; then `ok`."""
        self.set_mode(mode, status)
        try:
            yield
        finally:
            if self.alive():
                self.set_mode("ok")

    def set_mode(self, mode: str, status: int = 503) -> None:
        self._control("PUT", f"/_upstream/mode?mode={mode}&status={status}")

    def calls(self, ident: int | str) -> int:
        """How many profile requests for `ident` arrived since the process started."""
        return int(self._control("GET", f"/_upstream/calls/{ident}")["calls"])

    def _control(self, method: str, path: str) -> Any:
        conn = http.client.HTTPConnection(self.config.host, self.port, timeout=CONTROL_TIMEOUT_S)
        try:
            conn.request(method, path)
            answer = conn.getresponse()
            body = answer.read()
        except OSError as exc:
            raise FramematrixError(f"the upstream's control API: {exc}") from None
        finally:
            conn.close()
        if answer.status != 200:
            raise FramematrixError(f"the upstream refused {method} {path}: {body[:200]!r}")
        return json.loads(body)
