"""Child processes started safely from a threaded parent: pinned, in a process group of their own,
and dying with framematrix even when it is killed with SIGKILL.

framematrix runs threads (Rich's live display, the memory sampler) while it starts servers, so
nothing may run between fork and exec in the child (no `preexec_fn`: after a fork only the
forking thread exists, and a lock another thread held stays locked forever). Instead:

- pinning: the forking thread pins itself for the moment of the fork, so the child inherits the
  cores, then takes its own affinity back;
- dying with the parent: the child is a small trampoline (`python -m framematrix.children ARGV`)
  that asks Linux for a signal when its parent dies (PR_SET_PDEATHSIG, which survives exec;
  SIGTERM unless the caller names the one its program stops fastest on), checks the parent is
  still the one that started it, and execs the real command;
- another user: a program that must not run as root (PostgreSQL) is started as `user`; the
  trampoline switches to it before asking for the signal, since Linux forgets the request when
  a process's user changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any, Self

PR_SET_PDEATHSIG = 1
KILL_WAIT_S = 10.0
"""How long SIGKILL may take to end a group before `stop_group` gives up waiting (only a process
stuck in the kernel outlives it)."""
PARENT_ENV = "FRAMEMATRIX_PARENT_PID"
SIGNAL_ENV = "FRAMEMATRIX_DEATH_SIGNAL"
USER_ENV = "FRAMEMATRIX_RUN_AS"


def core_count(cpus: tuple[int, ...] | None) -> int:
    """How many cores a process pinned to `cpus` may use (None: not pinned, this process's)."""
    return len(cpus) if cpus else len(os.sched_getaffinity(0))


@contextlib.contextmanager
def pinned(cpus: tuple[int, ...] | None) -> Iterator[None]:
    """Pin the calling thread while it forks, so the child (and its threads) inherit the cores."""
    if not cpus:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def spawn(
    argv: list[str],
    *,
    cpus: tuple[int, ...] | None = None,
    env: Mapping[str, str] | None = None,
    stdin: int | IO[Any] | None = subprocess.DEVNULL,
    stdout: int | IO[Any] | None = None,
    stderr: int | IO[Any] | None = None,
    die_with_parent: bool = True,
    death_signal: signal.Signals = signal.SIGTERM,
    user: str | None = None,
) -> subprocess.Popen[bytes]:
    """Start `argv` in its own process group (stop it with `os.killpg(child.pid, ...)`), as
    `user` if given (which needs root)."""
    full_env = dict(os.environ if env is None else env)
    if die_with_parent or user:
        full_env[PARENT_ENV] = str(os.getpid()) if die_with_parent else "0"
        full_env[SIGNAL_ENV] = str(int(death_signal)) if die_with_parent else "0"
        if user:
            full_env[USER_ENV] = user
        argv = [sys.executable, "-m", __name__, *argv]
    with pinned(cpus):
        return subprocess.Popen(
            argv,
            env=full_env,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )


def stop_group(
    process: subprocess.Popen[bytes],
    grace_s: float,
    first: signal.Signals = signal.SIGTERM,
    *,
    leader_only: bool = False,
) -> None:
    """Stop a child `spawn` started and everything it started: `first` to its process group (to
    the leader alone with `leader_only`, for a program that stops its own children in order, as
    PostgreSQL's postmaster does), up to `grace_s` for it to exit, then SIGKILL for whatever of
    the group is left (a wedged program cannot run its handler; a worker may outlive its master).
    """
    with contextlib.suppress(ProcessLookupError):
        if leader_only:
            process.send_signal(first)
        else:
            os.killpg(process.pid, first)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(KILL_WAIT_S)


class Child(ABC):
    """A program framematrix runs for as long as it needs it (a server, the upstream): started
    once, in a process group of its own, its output kept in a log file, and stopped however a
    `with` block around it ends."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @abstractmethod
    def start(self) -> Self:
        """Start it and wait until it is ready; raise FramematrixError (one line) if it is not."""

    @abstractmethod
    def stop(self) -> None:
        """Stop its whole process group, whatever state it is in."""

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 3) -> str:
        """The last lines it wrote, on one line: the reason in a failure's message."""
        if self._log is None:
            return "(no output)"
        self._log.seek(0)
        text = self._log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(text[-lines:]) or "(no output)"

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_all(stops: Iterable[Callable[[], None]]) -> None:
    """Run several children's stops at once, each in a thread of its own: the children shut
    down side by side, not one after the other."""
    stops = list(stops)
    if stops:
        with ThreadPoolExecutor(max_workers=len(stops)) as pool:
            list(pool.map(lambda stop: stop(), stops))


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, for a child to listen on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _become(user: str) -> None:
    """Switch to `user` (its groups and home), or exit saying why."""
    import pwd

    try:
        entry = pwd.getpwnam(user)
        os.initgroups(user, entry.pw_gid)
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)
    except (KeyError, OSError) as exc:
        sys.stderr.write(f"cannot run as {user}: {exc}\n")
        sys.exit(126)
    os.environ["HOME"] = entry.pw_dir
    os.environ["USER"] = os.environ["LOGNAME"] = user


def _trampoline(argv: list[str]) -> None:
    """In the child: become the user asked for, ask for a signal when the parent dies, then
    become `argv`."""
    parent = int(os.environ.pop(PARENT_ENV, "0"))
    death_signal = int(os.environ.pop(SIGNAL_ENV, str(int(signal.SIGTERM))))
    user = os.environ.pop(USER_ENV, "")
    if user:
        _become(user)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        if death_signal:
            libc.prctl(PR_SET_PDEATHSIG, death_signal)
    if parent and os.getppid() != parent:
        sys.exit(1)  # the parent died before we could ask: do not live on as an orphan
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write(f"cannot start {argv[0]}: {exc.strerror}\n")
        sys.exit(127)


if __name__ == "__main__":
    _trampoline(sys.argv[1:])
