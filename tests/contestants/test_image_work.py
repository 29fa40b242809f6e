"""The image endpoint's CPU work stays off the event loop of the async contestants.

While several large images are being made on one worker, `GET /health` must keep answering
quickly. If the work ran on the loop, a health request would wait for every image ahead of it
(a blocking variant measured here: the first one waited 4 images' time, 728 ms); off the loop,
it waits only for a share of the CPU. The bound on their mean is a quarter of one image's
time: wide for a busy machine, yet far below what a blocked loop gives.
"""

from __future__ import annotations

import http.client
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from framematrix.contestants.registry import CONTESTANTS

ASYNC_WITH_IMAGES = [
    name
    for name, spec in CONTESTANTS.items()
    if spec.interface == "asgi" and "image" not in dict(spec.lacks)
]
IMAGE = "/images/sample.jpg?width=4096"
IN_FLIGHT = 4
BOUND = 0.25
"""Mean /health latency under image load, as a share of one image's time alone."""


def _get(url: str, path: str) -> float:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 200, f"{path}: {answer.status}"
    finally:
        conn.close()
    return time.perf_counter() - started


def health_during_images(url: str) -> tuple[float, list[float]]:
    """One image's time alone, and /health's latencies while IN_FLIGHT images are made."""
    alone = min(_get(url, IMAGE) for _ in range(2))
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        images = [pool.submit(_get, url, IMAGE) for _ in range(IN_FLIGHT)]
        time.sleep(alone / 4)  # let every image request reach the worker
        health = []
        while not health or not all(image.done() for image in images):
            health.append(_get(url, "/health"))
        for image in images:
            image.result()
    return alone, health


@pytest.mark.slow
@pytest.mark.parametrize("contestant", ASYNC_WITH_IMAGES)
def test_health_answers_while_images_are_made(contestant, sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    running = serve(contestant, "uvicorn", sqlite_db, workers=1)
    alone, health = health_during_images(running.config.url)
    mean = statistics.fmean(health)
    assert mean < BOUND * alone, (
        f"/health took {mean * 1000:.0f} ms (mean of {len(health)}) while images were "
        f"made; one image alone takes {alone * 1000:.0f} ms"
    )
