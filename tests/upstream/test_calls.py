"""How a contestant's call to a real upstream ends: the profile, 502 or 504 (RULES.md 28-29)."""

from __future__ import annotations

import asyncio

import pytest

from framematrix.upstream.calls import (
    UpstreamFailed,
    afetch_profile,
    fetch_profile,
    new_async_session,
    new_client,
)
from framematrix.upstream.profiles import profile_for
from framematrix.upstream.running import RunningUpstream
from framematrix.upstream.settings import UpstreamSettings

TIMEOUT_S = 0.3


def _sync(settings: UpstreamSettings) -> object:
    with new_client(settings) as client:
        try:
            return fetch_profile(client, settings, 4)
        except UpstreamFailed as failure:
            return failure.status


def _async(settings: UpstreamSettings) -> object:
    async def call() -> object:
        async with new_async_session(settings) as session:
            try:
                return await afetch_profile(session, settings, 4)
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
