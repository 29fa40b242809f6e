"""The suite's own judgements: timestamps and transcript differences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from framematrix.contract.context import CheckFailed, parse_timestamp
from framematrix.contract.transcript import Exchange, differences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-01T00:01:00Z", datetime(2025, 1, 1, 0, 1, tzinfo=UTC)),
        ("2025-01-01T00:01:00.5Z", datetime(2025, 1, 1, 0, 1, 0, 500_000, tzinfo=UTC)),
        ("2025-01-01T00:01:00.123456789Z", datetime(2025, 1, 1, 0, 1, 0, 123_456, tzinfo=UTC)),
    ],
)
def test_rfc3339_utc_is_parsed_as_an_instant(text, expected) -> None:  # type: ignore[no-untyped-def]
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2025-01-01T00:01:00+00:00", "2025-01-01 00:01:00Z", "2025-01-01T00:01:00", "", None, 17],
)
def test_anything_but_utc_with_z_is_refused(text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CheckFailed):
        parse_timestamp(text)


def test_differences_name_the_exchange_that_differs() -> None:
    same = Exchange("GET", "/health", 200, {"status": "ok"})
    expected = [same, Exchange("GET", "/authors/1", 200, {"id": 1})]
    actual = [same, Exchange("GET", "/authors/1", 404, None)]
    (line,) = differences(expected, actual)
    assert "GET /authors/1 -> 200" in line and "GET /authors/1 -> 404" in line
    assert differences(expected, expected) == []
    assert differences(expected, expected[:1]) == ["2 exchanges expected, 1 recorded"]
