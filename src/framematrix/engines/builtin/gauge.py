"""How many connections were really open during the measured window, weighted by time.

A closed loop asks for C connections, but a connect can hang (a full listen backlog drops the
SYN) or fail, and a server that closes after each response leaves each slot reconnecting for a
while. The gauge follows every open and close and reports the time-weighted mean, and the lowest
and highest level held for any length of time inside the window.
"""

from __future__ import annotations

from time import monotonic


class ConnectionGauge:
    __slots__ = ("_at", "area", "end", "level", "low", "peak", "start")

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end
        self.level = 0
        self.area = 0.0
        """Connection-seconds inside the window so far."""
        self.low: int | None = None
        self.peak = 0
        self._at = start

    def change(self, delta: int) -> None:
        self._advance(monotonic())
        self.level += delta

    def finish(self) -> None:
        """Account up to the end of the window (call once the window is over)."""
        self._advance(self.end)

    @property
    def mean(self) -> float:
        span = self.end - self.start
        return self.area / span if span > 0 else float(self.level)

    def _advance(self, now: float) -> None:
        """The level held from the last change until `now`, clipped to the window."""
        since = max(self._at, self.start)
        until = min(now, self.end)
        if until > since:
            self.area += self.level * (until - since)
            self.low = self.level if self.low is None else min(self.low, self.level)
            self.peak = max(self.peak, self.level)
        self._at = max(self._at, now)
