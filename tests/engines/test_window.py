"""The soft-edged window gives a stream's true rate where a hard window's count jumps, on
streams whose rate is known: bursts on a fixed rhythm, steady Poisson arrivals, and a real
server that answers its connections together."""

from __future__ import annotations

import random
import statistics

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.builtin.window import SoftWindow

HEALTH = scenarios.get("health")
WINDOWS = [
    SoftWindow(10.0, 11.0, warmup_s=0.25),
    SoftWindow(10.0, 11.0, warmup_s=0.5),
    SoftWindow(10.0, 11.0, warmup_s=0.0),
    SoftWindow(10.0, 10.3, warmup_s=0.1),
    SoftWindow(10.0, 20.0, warmup_s=2.0),
]


@pytest.mark.parametrize("window", WINDOWS)
def test_the_weights_integrate_to_the_windows_length(window: SoftWindow) -> None:
    step = 1e-4
    span = window.end - window.start + 2
    times = [window.start - 1 + i * step for i in range(int(span / step))]
    integral = sum(window.weight(t) for t in times) * step
    assert integral == pytest.approx(window.length_s, rel=1e-3)
    assert window.weight(window.start - window.warmup_s - 1e-3) == 0.0
    assert window.weight(window.end + 1e-3) == 0.0
    assert window.weight((window.start + window.end) / 2) == 1.0


def bursts(period_s: float, size: int, phase_s: float, until: float) -> list[float]:
    """`size` responses at once, every `period_s`, from `phase_s` on."""
    return [phase_s + k * period_s for k in range(int(until / period_s) + 1) for _ in range(size)]


def rates(window: SoftWindow, times: list[float]) -> tuple[float, float]:
    """The soft window's rate and the hard window's count's."""
    soft = sum(window.weight(t) for t in times) / window.length_s
    hard = sum(window.start <= t <= window.end for t in times) / (window.end - window.start)
    return soft, hard


@pytest.mark.parametrize("period_s", [0.1, 0.15, 0.2, 0.26, 0.3, 0.35, 0.4])
def test_bursts_are_counted_at_their_rate_whatever_their_phase(period_s: float) -> None:
    """Four answers at once every 0.1-0.4 s (the image point answers its four connections
    about every 0.26 s): at every phase, the soft window reads their rate within 5%, where the
    hard window's count is a whole number of bursts."""
    window = SoftWindow(10.0, 11.0, warmup_s=0.25)
    truth = 4 / period_s
    softs, hards = [], []
    for step in range(100):
        times = bursts(period_s, 4, phase_s=step / 100 * period_s, until=12.0)
        soft, hard = rates(window, times)
        softs.append(soft)
        hards.append(hard)
    assert all(abs(soft / truth - 1) < 0.05 for soft in softs)
    assert max(abs(hard / truth - 1) for hard in hards) > 0.1


def test_a_steady_random_stream_is_counted_without_bias() -> None:
    """Poisson responses at 50/s, 2,000 seeded windows: the mean within 1% of the truth, and the
    spread no more than a tenth above the hard count's."""
    window = SoftWindow(10.0, 11.0, warmup_s=0.25)
    rng = random.Random(7)
    softs, hards = [], []
    for _ in range(2000):
        at, times = 9.0, []
        while at < 12.0:
            at += rng.expovariate(50.0)
            times.append(at)
        soft, hard = rates(window, times)
        softs.append(soft)
        hards.append(hard)
    assert statistics.mean(softs) == pytest.approx(50.0, rel=0.01)
    assert statistics.stdev(softs) < 1.1 * statistics.stdev(hards)


def test_the_builtin_engine_reads_a_bursting_servers_rate(delay_server) -> None:  # type: ignore[no-untyped-def]
    """A real server answering its 4 connections together every 300 ms: 13.3 answers a second.
    Each trial's req/s is within 15% of it (a hard 1 s window reads 12 or 16: 10-20% off), and
    its count of responses stays the hard window's."""
    url = delay_server(batch_ms=300)
    truth = 4 / 0.3
    for warmup_s in (0.25, 0.33, 0.41):
        plan = LoadPlan(
            base_url=url, scenario=HEALTH, concurrency=4, duration_s=1.0, warmup_s=warmup_s,
            timeout_s=5,
        )  # fmt: skip
        result = get_engine("builtin").run(plan)
        assert result.errors == {}
        assert result.soft_rps is not None
        assert abs(result.rps / truth - 1) < 0.15, (warmup_s, result.rps, result.requests)


def test_an_open_loop_rate_is_its_requests_over_the_window(delay_server) -> None:  # type: ignore[no-untyped-def]
    plan = LoadPlan(
        base_url=delay_server(latency_ms=5), scenario=HEALTH, rate=100, duration_s=1.0,
        timeout_s=5,
    )  # fmt: skip
    result = get_engine("builtin").run(plan)
    assert result.soft_rps is None
    assert result.rps == result.requests / result.duration_s
