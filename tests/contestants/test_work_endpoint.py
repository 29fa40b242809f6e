"""`GET /work` on every contestant that has it, over real HTTP: the work its parameters ask
for, its calls made the way the framework teaches, 422 on bad values (RULES.md 36-42)."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract import work
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

WITH_WORK = [name for name, spec in CONTESTANTS.items() if work.PART not in dict(spec.lacks)]
EVENT_LOOP = {"fastapi", "litestar", "django-ninja", "raw-asgi"}
LATENCY_MS = 200.0
"""Long beside a request's own work, so a busy machine leaves the gathered calls well under two
latencies while calls made in turn can never be under three."""


def _get(url: str, path: str) -> tuple[int, Any, float]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        body = answer.read()
    finally:
        conn.close()
    return answer.status, json.loads(body), (time.perf_counter() - started) * 1000


def test_as_published_apps_say_they_lack_it() -> None:
    assert {name for name in CONTESTANTS if name not in WITH_WORK} == {
        name for name, spec in CONTESTANTS.items() if spec.as_published
    }


@pytest.mark.slow
@pytest.mark.parametrize("contestant", WITH_WORK)
def test_work_does_what_its_parameters_say(contestant, sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    with RunningUpstream(UpstreamConfig(latency_ms=LATENCY_MS)) as upstream:
        running = serve(contestant, None, sqlite_db, workers=1, env=upstream.env())
        url = running.config.url
        status, body, _ = _get(url, "/work")
        assert (status, body) == (200, {"post": None, "posts": [], "computed": 0})
        status, first, _ = _get(url, "/posts/3")
        status, second, _ = _get(url, f"/posts/{first['author']['id']}")
        status, posts, _ = _get(url, "/posts?limit=7")
        status, body, _ = _get(url, "/work?queries=2&writes=3&items=7&compute_ms=1&start=3")
        assert status == 200, body
        assert body["post"] == second
        assert body["posts"] == posts
        assert isinstance(body["computed"], int)
        before = upstream.calls("2")
        elapsed = min(_get(url, "/work?calls=3&start=2")[2] for _ in range(3))
        assert upstream.calls("2") - before == 9
    # Three calls gathered on a loop wait about one latency; in turn, three.
    if contestant in EVENT_LOOP:
        assert elapsed < 2 * LATENCY_MS, elapsed
    else:
        assert elapsed >= 3 * LATENCY_MS, elapsed


@pytest.mark.slow
@pytest.mark.parametrize("contestant", WITH_WORK)
def test_bad_values_are_422_and_a_missing_post_404(contestant, sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    url = serve(contestant, None, sqlite_db, workers=1).config.url
    for name, high in work.BOUNDS.items():
        for value in (str(high + 1), "-1", "abc", "1.5", ""):
            status, body, _ = _get(url, f"/work?{name}={value}")
            assert status == 422, (name, value, body)
            assert ["query", name] in [error["loc"] for error in body["detail"]], body
    for value in ("0", "2147483648", "x"):
        status, body, _ = _get(url, f"/work?start={value}")
        assert status == 422 and body["detail"][0]["loc"] == ["query", "start"], body
    assert _get(url, "/work?queries=1&start=2147483647")[0] == 404
