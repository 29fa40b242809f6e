"""Child processes started safely from a threaded parent: pinned, in a process group of their own,
and dying with framematrix even when it is killed with SIGKILL.

framematrix runs threads (Rich's live display, the memory sampler) while it starts servers, so
nothing may run between fork and exec in the child (no `preexec_fn`: after a fork only the
forking thread exists, and a lock another thread held stays locked forever). Instead:

- pinning: the forking thread pins itself for the moment of the fork, so the child inherits the
  cores, then takes its own affinity back;
- dying with the parent: the child is a small trampoline (`python -m framematrix.children ARGV`)
  that asks Linux for SIGTERM when its parent dies (PR_SET_PDEATHSIG, which survives exec),
  checks the parent is still the one that started it, and execs the real command.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import IO, Any

PR_SET_PDEATHSIG = 1
PARENT_ENV = "FRAMEMATRIX_PARENT_PID"


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
) -> subprocess.Popen[bytes]:
    """Start `argv` in its own process group (stop it with `os.killpg(child.pid, ...)`)."""
    full_env = dict(os.environ if env is None else env)
    if die_with_parent:
        full_env[PARENT_ENV] = str(os.getpid())
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


def _trampoline(argv: list[str]) -> None:
    """In the child: ask for SIGTERM when the parent dies, then become `argv`."""
    parent = int(os.environ.pop(PARENT_ENV, "0"))
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if parent and os.getppid() != parent:
        sys.exit(1)  # the parent died before we could ask: do not live on as an orphan
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write(f"cannot start {argv[0]}: {exc.strerror}\n")
        sys.exit(127)


if __name__ == "__main__":
    _trampoline(sys.argv[1:])
