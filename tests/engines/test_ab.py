"""ab: its report and percentile file parsed on real runs, its limits stated."""

from __future__ import annotations

import shutil

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.ab import parse_percentiles, parse_report
from framematrix.engines.base import LoadPlan
from framematrix.errors import FramematrixError

pytestmark = pytest.mark.skipif(shutil.which("ab") is None, reason="ab is not on PATH")


def test_a_real_run_parses_into_the_common_form(delay_server) -> None:
    url = delay_server(latency_ms=5)
    plan = LoadPlan(base_url=url, scenario=scenarios.get("read-one"), concurrency=4, duration_s=1)
    measuring: list[int] = []
    result = get_engine("ab").run(plan, on_measuring=lambda: measuring.append(1))
    assert result.errors == {}
    # at most one answer per connection per 5 ms in ab's own duration (>= 1 s): 4 / 5 ms,
    # one more each at the edge; at least a quarter of that on a busy machine
    assert 200 <= result.requests <= 4 * (result.duration_s / 0.005 + 1)
    assert result.histogram.get_total_count() == result.requests
    assert 5.0 <= result.latency_ms(50) <= 10.0  # never early; ab reports whole ms
    assert any("HTTP/1.0" in warning for warning in result.warnings)
    assert any("every request read author" in warning for warning in result.warnings)
    assert not any("separate run" in warning for warning in result.warnings)
    assert measuring == [1]


def test_a_warm_up_is_a_separate_run_and_says_so(delay_server) -> None:
    url = delay_server(latency_ms=2)
    plan = LoadPlan(base_url=url, scenario=scenarios.get("health"), concurrency=3, duration_s=1,
                    warmup_s=1)  # fmt: skip
    events: list[str] = []
    result = get_engine("ab").run(
        plan,
        on_progress=lambda *_: events.append("progress"),
        on_measuring=lambda: events.append("measuring"),
    )
    assert events[:2] == ["progress", "measuring"]  # after the warm-up's progress
    assert events.count("measuring") == 1
    warned = [w for w in result.warnings if w.startswith("ab warmed up in a separate run (1 s)")]
    assert warned and "the measured window began with 3 new connections, " in warned[0]


def test_report_and_percentiles_are_read() -> None:
    report = parse_report(
        "Time taken for tests:   2.004 seconds\nComplete requests:      900\n"
        "Failed requests:        7\n   (Connect: 1, Receive: 2, Length: 0, Exceptions: 4)\n"
        "Non-2xx responses:      3\n 100%     12 (longest request)\n"
    )
    assert (report.duration_s, report.requests, report.longest_ms) == (2.004, 900, 12.0)
    assert report.errors == {"status:non-2xx": 3, "connect": 1, "read": 6}
    assert parse_percentiles("Percentage served,Time in ms\n0,1.500\n100,2.250\n") == [
        (0.0, 1500.0),
        (100.0, 2250.0),
    ]


def test_only_get_scenarios_and_closed_loop() -> None:
    for load in ({"concurrency": 2, "scenario": "crud"}, {"rate": 5, "scenario": "health"}):
        scenario = scenarios.get(str(load.pop("scenario")))
        plan = LoadPlan(base_url="http://127.0.0.1:1", scenario=scenario, **load)  # type: ignore[arg-type]
        with pytest.raises(FramematrixError):
            get_engine("ab").run(plan)
