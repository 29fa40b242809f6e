"""Production servers: their command lines, and starting and stopping them cleanly.

A `ServerConfig` is a plain record, stored verbatim beside every result, so any figure can be
re-run with exactly the server that produced it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field, replace
from typing import IO
from urllib.parse import urlsplit

from framematrix import broker
from framematrix.contestants import registry
from framematrix.db.url import ENV_VAR, DatabaseURL
from framematrix.errors import FramematrixError

SERVERS = ("gunicorn-sync", "gunicorn-gthread", "uvicorn", "gunicorn-uvicorn", "granian")
GTHREAD_THREADS = 4
REALTIME_GTHREAD_THREADS = 100
"""gthread holds one thread per open WebSocket; Flask-Sock's docs size `--threads` to the
clients expected, with 100 as their example."""
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
PR_SET_PDEATHSIG = 1


def available_cpus() -> tuple[int, ...]:
    return tuple(sorted(os.sched_getaffinity(0)))


@dataclass(frozen=True)
class ServerConfig:
    contestant: str
    server: str
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0
    """0 means one per core the server may use."""
    threads: int | None = None
    cpus: tuple[int, ...] | None = None
    """Cores the server is pinned to; None means not pinned."""
    env: dict[str, str] = field(default_factory=dict)
    realtime: bool = False
    """Serve the contestant's WebSocket application (registry `realtime`), not its HTTP one."""

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def worker_count(self) -> int:
        return self.workers or len(self.cpus or available_cpus())

    def record(self) -> dict[str, object]:
        """What the results store keeps: the resolved settings, password redacted."""
        data = asdict(self)
        data.update(
            db_url=DatabaseURL.parse(self.db_url).redacted(),
            workers=self.worker_count,
            threads=self.thread_count,
            command=command(self),
        )
        return data

    @property
    def thread_count(self) -> int | None:
        """Threads per worker for the servers that run WSGI apps in threads, else None.

        granian's WSGI pool would otherwise grow to hundreds of threads, each free to hold a
        database connection; giving it gthread's count keeps the two thread servers alike.
        """
        if self.realtime and self.server == "gunicorn-gthread":
            return self.threads or REALTIME_GTHREAD_THREADS
        if self.server == "gunicorn-gthread" or self._granian_wsgi:
            return self.threads or GTHREAD_THREADS
        return None

    @property
    def _granian_wsgi(self) -> bool:
        return self.server == "granian" and registry.get(self.contestant).interface == "wsgi"


def resolve(
    contestant: str, server: str | None, *, realtime: bool = False
) -> tuple[registry.ContestantSpec, str]:
    """The contestant's spec and the server to use, or one clear error.

    With `realtime`, the spec's application, interface and servers are its WebSocket side's.
    """
    spec = registry.get(contestant)
    if realtime:
        side = registry.realtime(contestant)
        spec = replace(spec, app=side.app, interface=side.interface, servers=side.servers,
                       factory=side.factory)  # fmt: skip
    if server is None:
        return spec, spec.servers[0]
    if server not in SERVERS:
        raise FramematrixError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
    if server not in spec.servers:
        raise FramematrixError(
            f"{contestant} is {spec.interface.upper()} and does not run under {server}; "
            f"it runs under: {', '.join(spec.servers)}"
        )
    return spec, server


def command(config: ServerConfig) -> list[str]:
    spec, server = resolve(config.contestant, config.server, realtime=config.realtime)
    bind = f"{config.host}:{config.port}"
    workers = str(config.worker_count)
    target = spec.app + ("()" if spec.factory and server.startswith("gunicorn") else "")
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", workers,
                "--log-level", "warning", "--graceful-timeout", "5"]  # fmt: skip
    if server == "gunicorn-sync":
        return [*gunicorn, "--worker-class", "sync", target]
    if server == "gunicorn-gthread":
        threads = str(config.thread_count)
        if config.realtime:  # a socket per thread: let a worker hold as many as it has threads
            gunicorn += ["--worker-connections", threads]
        return [*gunicorn, "--worker-class", "gthread", "--threads", threads, target]
    if server == "gunicorn-uvicorn":
        return [*gunicorn, "--worker-class", "uvicorn.workers.UvicornWorker", target]
    if server == "uvicorn":
        cmd = [sys.executable, "-m", "uvicorn", target, "--host", config.host,
               "--port", str(config.port), "--workers", workers, "--no-access-log",
               "--log-level", "warning", "--no-server-header"]  # fmt: skip
        return [*cmd, "--factory"] if spec.factory else cmd
    if server == "granian":
        cmd = [sys.executable, "-m", "granian", "--interface", spec.interface,
               "--host", config.host, "--port", str(config.port), "--workers", workers,
               "--log-level", "warning"]  # fmt: skip
        if not config.realtime:
            cmd.append("--no-ws")
        if config.thread_count:
            cmd += ["--blocking-threads", str(config.thread_count)]
        return [*cmd, "--factory", target] if spec.factory else [*cmd, target]
    raise FramematrixError(f"unknown server {server!r}")  # pragma: no cover - resolve() guards


def _die_with_parent() -> None:
    """Linux's PR_SET_PDEATHSIG: if framematrix is killed (even by SIGKILL), the server gets
    SIGTERM instead of living on as an orphan."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


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


class RunningServer:
    """A production server in its own process group: started, awaited, and always stopped."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> RunningServer:
        ensure_port_free(self.config.host, self.config.port)
        env = {**os.environ, **self.config.env, ENV_VAR: self.config.db_url}
        secret_env = registry.get(self.config.contestant).secret_env
        if secret_env and secret_env not in env:
            env[secret_env] = secrets.token_urlsafe(32)
        env.setdefault("PYTHONUNBUFFERED", "1")
        if self.config.realtime:
            env.setdefault(broker.URL_ENV, broker.url())
            env.setdefault(broker.NAMESPACE_ENV, broker.new_namespace())
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            command(self.config),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=self._in_child,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _in_child(self) -> None:
        """Runs in the forked child before exec: pin it, and tie its life to ours."""
        if self.config.cpus:
            os.sched_setaffinity(0, self.config.cpus)
        _die_with_parent()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise FramematrixError(
                    f"{self.config.contestant} under {self.config.server} exited with code "
                    f"{self.process.returncode} while starting: {self.log_tail()}"
                )
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.config.url + "/health", timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)
        raise FramematrixError(
            f"{self.config.contestant} under {self.config.server} did not answer /health "
            f"within {timeout:.0f} s: {self.log_tail()}"
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 3) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(text[-lines:]) or "(no output)"

    def stop(self, grace_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left after `grace_s`
        (a wedged server cannot run its SIGTERM handler, so waiting longer is pointless)."""
        if self.process is None:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace_s)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(STOP_TIMEOUT_S)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> RunningServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
