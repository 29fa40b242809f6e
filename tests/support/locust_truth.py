"""What a locust result against the delay server must show, with Locust's precision.

The delay server answers every request 20 ms after it arrives, never earlier, so no latency can
read below 20 ms (Locust rounds to the nearest millisecond below 100 ms: a 20.0x ms response is
20 ms), and a closed loop of U users can answer at most U per 20 ms. Above those physical limits
the bounds are wide, as for every engine (tests/engines/test_accuracy.py): p50 within 1.5 x the
latency plus Locust's half-millisecond of rounding, throughput at least half the limit. Each
worker runs an equal part of the users, so each sent at least 40 % of an equal share.
"""

from __future__ import annotations

from framematrix.engines.base import EngineResult

LATENCY_MS = 20.0
ROUNDING_MS = 0.5
"""Locust keeps latencies below 100 ms to the nearest millisecond."""


def check_against_truth(result: EngineResult, users: int, duration_s: float, workers: int) -> None:
    assert result.errors == {}
    assert result.histogram.get_total_count() == result.requests
    assert LATENCY_MS <= result.latency_ms(0) <= result.latency_ms(50)
    assert result.latency_ms(50) <= 1.5 * LATENCY_MS + ROUNDING_MS
    limit = users * (duration_s / (LATENCY_MS / 1000) + 1) / duration_s
    assert limit / 2 <= result.rps <= limit * 1.01
    assert any("nearest millisecond" in warning for warning in result.warnings)
    assert len(result.sources) == workers
    assert sum(source.requests for source in result.sources) == result.requests
    for source in result.sources:
        assert source.requests >= 0.4 * result.requests / workers, result.sources
