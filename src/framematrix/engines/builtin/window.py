"""The measured window with soft edges, for the request rate of a closed loop.

A hard window counts a response in or out by a hair: where a point answers a dozen requests a
window, one response across an edge moves the rate by 8%, and where a server finishes its
connections' requests together (four threads sharing one core), four of them cross at once.
So a response near an edge counts in part: its weight rises from 0 to 1 across the window's
start (half in the warm-up, half in the window) and falls from 1 to 0 over the window's last
`EDGE_S`; the weights' sum over the window's weighted length is the rate. For a steady stream
of responses it is the count's rate, whatever the stream's rhythm; unlike a rate from each
request's share of the window, it needs no latency and stays right while queues still grow.
The window itself (which responses' latencies and errors count) keeps its hard edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

EDGE_S = 0.5
"""How long each edge's ramp is: longer than the time a request of the slowest default point
takes (`image`: about 0.26 s), so its bursts are spread over the ramp. Bursts every 0.1-0.4 s
read within 4% of their rate at any phase (a hard 1 s window: up to 25%), and a random stream's
spread grows by about 2%."""
EDGE_SHARE = 0.5
"""A short window's edges take at most this share of it each."""


@dataclass(frozen=True)
class SoftWindow:
    start: float
    end: float
    warmup_s: float
    """The time before `start` the load runs: the first ramp reaches back at most this far."""

    @cached_property
    def edge_s(self) -> float:
        return min(EDGE_S, EDGE_SHARE * (self.end - self.start))

    @cached_property
    def rising_s(self) -> float:
        """The first ramp's length: the edge, or less where the warm-up is shorter than its half
        (no warm-up: the window starts hard)."""
        return 2 * min(self.edge_s / 2, self.warmup_s)

    @property
    def length_s(self) -> float:
        """The weights' integral over time: what their sum is a rate over."""
        return self.end - self.start - self.edge_s / 2

    def weight(self, at: float) -> float:
        """How much a response at `at` (a monotonic time) counts."""
        rising = self.rising_s
        if at < self.start - rising / 2 or at > self.end:
            return 0.0
        up = (at - self.start + rising / 2) / rising if rising else 1.0
        down = (self.end - at) / self.edge_s
        return min(1.0, up, down)
