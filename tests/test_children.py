"""Children are stopped together: `stop_all` runs each one's stop in a thread of its own."""

from __future__ import annotations

import threading
from typing import Self

from framematrix.children import Child, spawn, stop_all, stop_group

PARTIES = 3


class Waiter(Child):
    """A real child (`sleep`) whose stop begins only once every other one's has begun too."""

    def __init__(self, together: threading.Barrier) -> None:
        super().__init__()
        self.together = together

    def start(self) -> Self:
        self.process = spawn(["sleep", "60"])
        return self

    def stop(self) -> None:
        assert self.process is not None
        try:
            self.together.wait(timeout=10)  # one stop at a time would break the barrier
        finally:
            stop_group(self.process, 1.0)


def test_stop_all_stops_every_child_at_once() -> None:
    together = threading.Barrier(PARTIES)
    waiters = [Waiter(together).start() for _ in range(PARTIES)]
    stop_all(waiter.stop for waiter in waiters)
    assert not together.broken
    assert not any(waiter.alive() for waiter in waiters)
