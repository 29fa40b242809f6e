"""Starting and stopping a server process cleanly, and the checks around it (free ports,
reachable URLs)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from framematrix import children
from framematrix.contestants import registry
from framematrix.contract import work
from framematrix.db import broker
from framematrix.db.url import ENV_VAR, THREADS_ENV
from framematrix.errors import FramematrixError
from framematrix.servers.config import ServerConfig

STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def reachable(url: str, timeout_s: float = 3.0) -> None:
    """Something listens at `url` (a `--url` target), or one clear line says why not."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise FramematrixError(f"bad --url {url!r}: use http://HOST:PORT")
    try:
        socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout_s).close()
    except OSError as exc:
        raise FramematrixError(f"cannot reach {url}: {exc.strerror or exc}") from None


def ensure_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise FramematrixError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class RunningServer(children.Child):
    """A production server in its own process group: started, awaited, and always stopped."""

    poll_s = 0.1
    """How often it asks /health while it starts (a cold-start measurement asks more often)."""

    def __init__(self, config: ServerConfig) -> None:
        super().__init__()
        self.config = config

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> RunningServer:
        ensure_port_free(self.config.host, self.config.port)
        env = {**os.environ, **self.config.env, ENV_VAR: self.config.db_url}
        if self.config.pool_size:
            env[THREADS_ENV] = str(self.config.pool_size)
        secret_env = registry.get(self.config.contestant).secret_env
        if secret_env and secret_env not in env:
            env[secret_env] = secrets.token_urlsafe(32)
        env.setdefault("PYTHONUNBUFFERED", "1")
        for name, value in work.calibrated_env().items():  # every server does the same work
            env.setdefault(name, value)
        if self.config.realtime:
            env.setdefault(broker.URL_ENV, broker.url())
            env.setdefault(broker.NAMESPACE_ENV, broker.new_namespace())
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.process = children.spawn(
            self.config.command(),
            cpus=self.config.cpus,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise FramematrixError(
                    f"{self.config.contestant} under {self.config.server} exited with code "
                    f"{self.process.returncode} while starting: {self.log_tail()}"
                )
            if self.healthy():
                return
            time.sleep(self.poll_s)
        raise FramematrixError(
            f"{self.config.contestant} under {self.config.server} did not answer /health "
            f"within {timeout:.0f} s: {self.log_tail()}"
        )

    def healthy(self) -> bool:
        """It answers /health with 200 now."""
        try:
            with urllib.request.urlopen(self.config.url + "/health", timeout=2) as response:
                return bool(response.status == 200)
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 and self.config.python:
                # In a version set's environment an app that fails its health check is code
                # that does not run on those versions: say why now, not after the timeout.
                raise FramematrixError(
                    f"{self.config.contestant} under {self.config.server} answered /health "
                    f"with {exc.code}: {self.log_tail()}"
                ) from None
        except OSError:
            pass
        return False

    def stop(self, grace_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left after `grace_s`
        (a wedged server cannot run its SIGTERM handler, so waiting longer is pointless)."""
        if self.process is None:
            return
        children.stop_group(self.process, grace_s)
        self._close_log()
