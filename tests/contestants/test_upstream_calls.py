"""Contestants waiting on the upstream: its latency is what a request costs, and a slow or
dead upstream is a 502 or 504, never a 500, even with many requests in flight."""

from __future__ import annotations

import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

WITH_UPSTREAM = [name for name, spec in CONTESTANTS.items() if "upstream" not in dict(spec.lacks)]
LATENCY_MS = 50.0
HONOURED_MS = (50.0, 55.0)
"""A request to a raw baseline costs the upstream's latency plus its own ~1-3 ms (one SQLite
query, the HTTP hops, JSON). Taken as the fastest of several sequential requests: on a busy
2-core machine any single request may wait for a core, but the fastest shows the path's cost."""
SEQUENTIAL = 31
IN_FLIGHT = 12
TIMEOUT_S = 0.3


def _get(url: str, path: str, timeout: float = 10.0) -> tuple[int, float]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        answer.read()
    finally:
        conn.close()
    return answer.status, (time.perf_counter() - started) * 1000


@pytest.mark.slow
@pytest.mark.parametrize("contestant", ["raw-wsgi", "raw-asgi"])
def test_a_request_takes_the_upstreams_latency(contestant, sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    with RunningUpstream(UpstreamConfig(latency_ms=LATENCY_MS)) as upstream:
        running = serve(contestant, None, sqlite_db, workers=1, env=upstream.env())
        _get(running.config.url, "/authors/1/profile")  # first request: connections, imports
        answers = [_get(running.config.url, f"/authors/{n}/profile") for n in range(1, SEQUENTIAL)]
    assert {status for status, _ in answers} == {200}
    fastest = min(elapsed for _, elapsed in answers)
    low, high = HONOURED_MS
    assert low <= fastest <= high, f"fastest of {len(answers)}: {fastest:.1f} ms"


@pytest.mark.slow
@pytest.mark.parametrize("contestant", WITH_UPSTREAM)
def test_no_500_when_the_upstream_is_down_stalled_or_failing(  # type: ignore[no-untyped-def]
    contestant, db, serve, upstream
) -> None:
    running = serve(contestant, None, db, workers=1, env=upstream.env(TIMEOUT_S))
    url = running.config.url

    def burst() -> set[int]:
        paths = [f"/authors/{1 + n % 10}/profile" for n in range(IN_FLIGHT)]
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            return {status for status, _ in pool.map(lambda path: _get(url, path), paths)}

    assert burst() == {200}
    with upstream.stopped():
        assert burst() == {502}
    with upstream.mode("stall"):
        assert burst() == {504}
    with upstream.mode("status", 503):
        assert burst() == {502}
    assert burst() == {200}, "the contestant must recover when the upstream does"
    assert running.alive()


@pytest.mark.slow
@pytest.mark.parametrize("contestant", WITH_UPSTREAM)
def test_no_upstream_configured_is_502(contestant, sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    """Started without FRAMEMATRIX_UPSTREAM_URL (a plain `serve`): it runs, and says 502."""
    running = serve(contestant, None, sqlite_db, workers=1)
    assert _get(running.config.url, "/authors/1/profile")[0] == 502
    assert _get(running.config.url, "/authors/1")[0] == 200
