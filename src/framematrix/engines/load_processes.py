"""Load processes in general: started as `python -m MODULE`, each handed a pickled payload,
talking back in lines, stopped whatever happens.

No multiprocessing: it would re-import the caller's main module and forks badly under threads.
The parent writes `<size>\\n<pickle>` and then whatever lines its protocol needs; a child answers
`<kind> <payload>` lines, and `error <text>` for a failure, which the parent raises as one
`MeasurementError` line. `child_payload`, `say`, `hear`, `run_loop`, `sleep_until` and
`process_cpu_s` are the child's side.

A child reads its payload only once its interpreter has started and imported `module`, so one
can be started ahead (`prestart`) while the runner waits for a quiet machine, and handed its
payload when the trial begins: a trial does not wait for an interpreter to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import resource
import selectors
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from framematrix.children import spawn
from framematrix.engines.base import Progress
from framematrix.errors import MeasurementError

T = TypeVar("T")
Line = tuple[int, str, str]
"""(child index, kind, payload)."""


class LoadProcesses:
    """Child processes running `module`, one per payload; a context manager that kills them."""

    def __init__(self, module: str, payloads: list[Any], label: str) -> None:
        self.label = label
        self.children: list[subprocess.Popen[bytes]] = []
        self.selector = selectors.DefaultSelector()
        self.lines: dict[int, bytearray] = {}
        self.errors: dict[int, bytearray] = {}
        self.finished: set[int] = set()
        """Children that sent the last line their protocol expects: their end is not a death."""
        try:
            for index, payload in enumerate(payloads):
                child = _spare(module) or _spawn(module)
                self.children.append(child)
                assert child.stdin is not None and child.stdout is not None
                assert child.stderr is not None
                data = pickle.dumps(payload)
                child.stdin.write(b"%d\n%s" % (len(data), data))
                child.stdin.flush()
                self.lines[index], self.errors[index] = bytearray(), bytearray()
                self.selector.register(child.stdout, selectors.EVENT_READ, (index, True))
                self.selector.register(child.stderr, selectors.EVENT_READ, (index, False))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> LoadProcesses:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tell(self, line: bytes) -> None:
        """Write one line to every child."""
        for child in self.children:
            assert child.stdin is not None
            child.stdin.write(line.rstrip(b"\n") + b"\n")
            child.stdin.flush()

    def gather(
        self,
        kind: str,
        deadline: float,
        on_line: Callable[[Line], None] | None = None,
        *,
        alarm: tuple[float, Callable[[], None]] | None = None,
        last: bool = False,
    ) -> list[str]:
        """Wait for one `kind` line from every child (its payloads, by child index); other lines
        go to `on_line`. `alarm` (a `time.monotonic()` instant and a callable) is called once,
        in this thread, as soon as its instant passes. With `last`, a child may exit right after
        its `kind` line. Past `deadline`, the children are given up."""
        found: dict[int, str] = {}
        while len(found) < len(self.children):
            if alarm is not None and time.monotonic() >= alarm[0]:
                alarm[1]()
                alarm = None
            for index, got, payload in self._lines(deadline, alarm[0] if alarm else None):
                if got == kind:
                    found[index] = payload
                    if last:
                        self.finished.add(index)
                elif on_line is not None:
                    on_line((index, got, payload))
        return [found[i] for i in range(len(self.children))]

    def _lines(self, deadline: float, wake: float | None = None) -> Iterator[Line]:
        """The lines the children wrote, waiting at most until `wake` (or a quarter second)."""
        now = time.monotonic()
        left = deadline - now
        if left <= 0:
            raise MeasurementError(f"{self.label} load processes did not finish in time")
        wait = min(left, 0.25) if wake is None else max(0.0, min(left, 0.25, wake - now))
        for key, _ in self.selector.select(wait):
            index, is_stdout = key.data
            buffer = self.lines[index] if is_stdout else self.errors[index]
            data = os.read(key.fd, 65536)
            if not data:
                self.selector.unregister(key.fileobj)
                if is_stdout and index not in self.finished:
                    self._died(index)
                continue
            buffer.extend(data)
            if not is_stdout:
                continue
            *complete, rest = buffer.split(b"\n")
            buffer[:] = rest
            for line in complete:
                kind, _, payload = line.decode().partition(" ")
                if kind == "error":
                    raise MeasurementError(f"{self.label} load process {index} failed: {payload}")
                yield index, kind, payload

    def _died(self, index: int) -> None:
        child = self.children[index]
        with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
            child.wait(1)
            assert child.stderr is not None
            self.errors[index].extend(child.stderr.read())  # its last words, up to EOF
        text = self.errors[index].decode(errors="replace").strip().splitlines()
        why = text[-1] if text else f"exit code {child.returncode}"
        raise MeasurementError(f"{self.label} load process {index} died: {why}")

    def close(self) -> None:
        self.selector.close()
        for child in self.children:
            _stop(child)


_SPARES: dict[str, list[subprocess.Popen[bytes]]] = {}
"""Children started ahead, by module, waiting for their payloads."""


def prestart(module: str, count: int) -> None:
    """Have `count` children of `module` started and waiting for their payloads."""
    spares = _SPARES.setdefault(module, [])
    for dead in [child for child in spares if child.poll() is not None]:
        spares.remove(dead)
        _stop(dead)  # its pipes closed now, not whenever it is collected
    while len(spares) < count:
        spares.append(_spawn(module))


def discard_spares() -> None:
    """Stop every child started ahead and never used (the run is over)."""
    for spares in _SPARES.values():
        for child in spares:
            _stop(child)
    _SPARES.clear()


def _spare(module: str) -> subprocess.Popen[bytes] | None:
    spares = _SPARES.get(module, [])
    while spares:
        child = spares.pop(0)
        if child.poll() is None:
            return child
        _stop(child)
    return None


def _spawn(module: str) -> subprocess.Popen[bytes]:
    return spawn(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    for pipe in (child.stdin, child.stdout, child.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def child_payload() -> Any:
    """In the child: the payload the parent pickled for it."""
    size = int(sys.stdin.buffer.readline())
    return pickle.loads(sys.stdin.buffer.read(size))


def say(line: str) -> None:
    """In the child: one line to the parent."""
    sys.stdout.write(line.replace("\n", " ") + "\n")
    sys.stdout.flush()


def hear() -> str:
    """In the child: the parent's next line (blocking)."""
    return sys.stdin.buffer.readline().decode().strip()


def ticks(processes: int, start_at: float, on_progress: Progress | None) -> Callable[[Line], None]:
    """An `on_line` for `gather`: each child's `tick <count>` line, the sum of the latest
    counts of all reported to `on_progress` with the seconds since `start_at`."""
    counts = [0] * processes

    def ticked(line: Line) -> None:
        index, kind, payload = line
        if kind == "tick":
            counts[index] = int(payload)
            if on_progress is not None:
                on_progress(max(0.0, time.monotonic() - start_at), sum(counts))

    return ticked


def run_loop(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """In the child: run `main()` on uvloop when it is installed (faster), else on asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())
    return uvloop.run(main())


async def sleep_until(moment: float) -> None:
    """In the child: sleep until the `time.monotonic()` instant `moment` (at once if past)."""
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


def process_cpu_s() -> float:
    """In the child: the CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
