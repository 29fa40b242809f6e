"""wrk: its result line parsed on real runs, its back-fill undone, its limits stated."""

from __future__ import annotations

import re
import shutil

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.wrk import lua_value, parse, percentile_grid, uncorrect
from framematrix.errors import FramematrixError, MeasurementError


@pytest.mark.wrk
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not on PATH")
def test_a_real_run_parses_into_the_common_form(delay_server) -> None:
    url = delay_server(latency_ms=5)
    plan = LoadPlan(base_url=url, scenario=scenarios.get("read-one"), concurrency=4, duration_s=1)
    measuring: list[int] = []
    result = get_engine("wrk").run(plan, on_measuring=lambda: measuring.append(1))
    assert result.errors == {}
    assert 1.0 <= result.duration_s < 1.5  # wrk's own clock: at least what it was told
    # at most one answer per connection per 5 ms; at least a quarter of that on a busy machine
    assert 200 <= result.requests <= 4 * (result.duration_s / 0.005 + 1)
    assert result.histogram.get_total_count() == result.requests
    assert 5.0 <= result.latency_ms(50) <= 7.5  # never early
    assert result.engine_cpu_s > 0
    assert result.warnings == () and measuring == [1]


@pytest.mark.wrk
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not on PATH")
def test_a_warm_up_is_a_separate_run_and_says_so(delay_server) -> None:
    url = delay_server(latency_ms=2)
    plan = LoadPlan(base_url=url, scenario=scenarios.get("health"), concurrency=4, duration_s=1,
                    warmup_s=1, processes=2)  # fmt: skip
    events: list[tuple[str, int]] = []
    result = get_engine("wrk").run(
        plan,
        on_progress=lambda _, count: events.append(("progress", count)),
        on_measuring=lambda: events.append(("measuring", 0)),
    )
    measured_at = events.index(("measuring", 0))
    assert measured_at > 0 and events.count(("measuring", 0)) == 1  # after warm-up progress
    threads, warmed = result.warnings
    assert threads == (
        "wrk runs one thread per load core: --load-processes does not apply to it "
        "(give it more load cores with --cpus)"
    )
    assert re.fullmatch(
        r"wrk warmed up in a separate run \(1 s\): the measured window began with 4 new "
        r"connections, \d+\.\d s after the warm-up's last requests were answered "
        r"\(--engine builtin warms up on the same ones\)",
        warmed,
    ), warmed


def test_the_result_line_is_read_and_bad_output_is_one_clear_error() -> None:
    line = (
        'noise\nFRAMEMATRIX-WRK {"duration_us":2000000,"requests":10,"bytes":1,'
        '"errors":{"connect":1,"read":2,"write":3,"status":4,"timeout":0},'
        '"statuses":{"200":6,"404":4},"latency":{"min":5,"max":9,"mean":7.0,'
        '"buckets":[[5,6],[9,4]],"percentiles":[]}}\n'
    )
    report = parse(line)
    assert report.statuses == {200: 6, 404: 4}
    assert report.errors == {"connect": 1, "read": 5, "timeout": 0}
    assert report.buckets == {5: 6, 9: 4}
    with pytest.raises(MeasurementError, match="no result line"):
        parse("unable to connect to 127.0.0.1:1 Connection refused")
    with pytest.raises(MeasurementError, match="malformed"):
        parse("FRAMEMATRIX-WRK {}")


def test_uncorrect_removes_exactly_what_stats_correct_added() -> None:
    measured = {3: 50, 4: 10, 25: 1, 40: 2}
    interval = 4
    corrected = dict(measured)
    for value in sorted(measured):  # wrk's stats_correct, over the measured counts
        if value >= 2 * interval:
            m = value - interval
            while m > interval:
                corrected[m] = corrected.get(m, 0) + measured[value]
                m -= interval
    assert corrected != measured
    assert uncorrect(corrected, interval) == measured


def test_rate_is_refused_and_lua_literals_are_escaped() -> None:
    plan = LoadPlan(base_url="http://127.0.0.1:1", scenario=scenarios.get("health"), rate=10)
    with pytest.raises(FramematrixError, match="closed loop only"):
        get_engine("wrk").check(plan)  # what `run` asks first of a plan, wrk installed or not
    assert (
        lua_value({"a": ['x"\\\n', 1, None, True]})
        == '{["a"] = {"x\\034\\092\\010", 1, nil, true}}'
    )
    grid = percentile_grid()
    assert grid == sorted(grid) and grid[0] > 0 and grid[-1] < 100
