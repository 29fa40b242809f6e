"""How a contestant's call to a real upstream ends: the profile, 502 or 504 (RULES.md 28-29)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamClient, UpstreamFailed
from framematrix.upstream.profiles import profile_for
from framematrix.upstream.running import RunningUpstream
from framematrix.upstream.settings import UpstreamSettings

TIMEOUT_S = 0.3


def _sync(settings: UpstreamSettings) -> object:
    client = UpstreamClient(settings)
    try:
        return client.fetch_profile(4)
    except UpstreamFailed as failure:
        return failure.status
    finally:
        client.close()


def _async(settings: UpstreamSettings) -> object:
    async def call() -> object:
        async with AsyncUpstreamClient(settings) as client:
            try:
                return await client.fetch_profile(4)
            except UpstreamFailed as failure:
                return failure.status

    return asyncio.run(call())


@pytest.mark.parametrize("call", [_sync, _async], ids=["sync", "async"])
def test_each_failure_of_the_upstream_has_its_status(upstream: RunningUpstream, call) -> None:  # type: ignore[no-untyped-def]
    settings = upstream.settings(TIMEOUT_S)
    assert call(settings) == profile_for("4")
    for mode, status, expected in (
        ("stall", 503, 504),
        ("status", 503, 502),
        ("status", 404, 502),
        ("status", 302, 502),
        ("not-json", 503, 502),
        ("not-object", 503, 502),
    ):
        with upstream.mode(mode, status):
            assert call(settings) == expected, (mode, status)
    assert upstream.calls(4) == 7, "one request per call, failed ones included: no retries"
    with upstream.stopped():
        assert call(settings) == 502
    assert call(UpstreamSettings("", TIMEOUT_S)) == 502, "no upstream configured"
    assert call(settings) == profile_for("4"), "the restarted upstream is reached again"
    assert upstream.calls(4) == 1, "the restarted process counts afresh"


LAZY = """
import sys
from framematrix.upstream.calls import AsyncUpstreamClient, UpstreamClient
from framematrix.upstream.settings import UpstreamSettings
UpstreamClient(UpstreamSettings(""))
AsyncUpstreamClient(UpstreamSettings(""))
import framematrix.images
loaded = {"httpx", "aiohttp", "PIL"} & set(sys.modules)
assert not loaded, loaded
"""


def test_a_worker_without_an_upstream_never_loads_the_http_libraries() -> None:
    """So memory measured on the other scenarios is what it was before these endpoints."""
    done = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
