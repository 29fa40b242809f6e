"""The two environment variables a contestant reads, parsed once for all of them."""

from __future__ import annotations

import pytest

from framematrix.errors import FramematrixError
from framematrix.upstream.settings import (
    DEFAULT_TIMEOUT_S,
    TIMEOUT_ENV,
    URL_ENV,
    UpstreamSettings,
)


def test_reads_the_url_and_timeout_the_launcher_set(monkeypatch: pytest.MonkeyPatch) -> None:
    given = UpstreamSettings("http://127.0.0.1:8123", 0.25)
    for name, value in given.env().items():
        monkeypatch.setenv(name, value)
    assert UpstreamSettings.from_env() == given
    assert given.profile_url(12) == "http://127.0.0.1:8123/profiles/12"


def test_defaults_to_no_upstream_and_two_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert UpstreamSettings.from_env() == UpstreamSettings("", DEFAULT_TIMEOUT_S)
    assert DEFAULT_TIMEOUT_S == 2.0


@pytest.mark.parametrize(
    ("url", "timeout", "message"),
    [
        ("ftp://host:1", "1", "bad upstream URL"),
        ("http://127.0.0.1:1", "soon", "must be a number of seconds"),
        ("http://127.0.0.1:1", "0", "must be positive"),
        ("http://127.0.0.1:1", "nan", "must be positive"),
    ],
)
def test_bad_settings_are_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, url: str, timeout: str, message: str
) -> None:
    monkeypatch.setenv(URL_ENV, url)
    monkeypatch.setenv(TIMEOUT_ENV, timeout)
    with pytest.raises(FramematrixError, match=message):
        UpstreamSettings.from_env()
