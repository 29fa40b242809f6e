"""The locust engine: a master and local workers against servers whose truth is known.

Every test here leaves no Locust process behind (`no_locust_left`).
"""

from __future__ import annotations

import ast
import sqlite3

import pytest

from framematrix import scenarios
from framematrix.db.seed import SeedSize
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.locust.options import Layout, LocustOptions, parse_master
from framematrix.engines.locust.protocol import locustfile
from framematrix.engines.locust.results import engine_result, histogram_of
from framematrix.errors import FramematrixError, MeasurementError
from support.locust_truth import LATENCY_MS, check_against_truth

pytestmark = pytest.mark.usefixtures("no_locust_left")
SEEDED = SeedSize(authors=50, posts=200)
"""What the `sqlite_db` fixture of tests/conftest.py seeds."""


TWO_WORKERS = LocustOptions(locust_workers=2)


def plan(url: str, scenario: str = "health", **load: object) -> LoadPlan:
    return LoadPlan(base_url=url, scenario=scenarios.get(scenario), timeout_s=5, **load)  # type: ignore[arg-type]


def test_a_master_and_two_workers_report_the_true_latency_and_throughput(delay_server) -> None:
    url = delay_server(latency_ms=LATENCY_MS)
    users, duration_s = 8, 3
    measuring: list[bool] = []
    result = get_engine("locust", TWO_WORKERS).run(
        plan(url, concurrency=users, duration_s=duration_s, warmup_s=0.5),
        on_measuring=lambda: measuring.append(True),
    )
    assert measuring == [True]
    check_against_truth(result, users, duration_s, workers=2)
    assert result.duration_s == pytest.approx(duration_s, abs=0.2)


def test_the_crud_flow_follows_the_ids_it_created(serve, sqlite_db) -> None:
    """Every request of the flow succeeds only if it acts on the id its create returned; and
    each user deletes what it created, so at most one author per user is left over."""
    server = serve("raw-asgi", "uvicorn", sqlite_db, workers=1)
    users = 4
    result = get_engine("locust", TWO_WORKERS).run(
        plan(server.config.url, "crud", concurrency=users, duration_s=2, seed_size=SEEDED)
    )
    assert result.errors == {}
    assert result.requests > 40
    with sqlite3.connect(sqlite_db.sqlite_path) as db:
        (authors,) = db.execute("SELECT COUNT(*) FROM authors").fetchone()
    assert SEEDED.authors <= authors <= SEEDED.authors + users


def test_open_loop_is_paced_by_constant_throughput_and_says_so(delay_server) -> None:
    url = delay_server(latency_ms=LATENCY_MS)
    rate, duration_s = 100, 3
    load = plan(url, rate=rate, duration_s=duration_s, warmup_s=0.5)
    result = get_engine("locust", TWO_WORKERS).run(load)

    assert result.errors == {}
    # each user is paced at rate / users; those paces hold while responses take 20 ms
    assert 0.8 * rate * duration_s <= result.requests <= 1.1 * rate * duration_s + 2
    assert LATENCY_MS <= result.latency_ms(50) <= 1.5 * LATENCY_MS + 0.5
    assert any("constant_throughput" in warning for warning in result.warnings)


def test_the_locustfile_is_the_scenario_as_data() -> None:
    crud = scenarios.get("crud")
    load = LoadPlan(base_url="http://127.0.0.1:8000/api", scenario=crud, concurrency=4)
    text = locustfile(load, Layout.of(load, LocustOptions()), "t0ken")
    config = ast.literal_eval(text.split("CONFIG = ", 1)[1].split("\n\nScenarioUser")[0])
    assert [(s["method"], s["path"], s["body"], s["expect"]) for s in config["steps"]] == [
        (step.method, "/api" + step.path, step.body, step.expect) for step in crud.steps
    ]
    assert [step["carries_id"] for step in config["steps"]] == [True, False, False, False]
    assert config["success"] == sorted(crud.success)
    assert config["trial"] == "t0ken"
    assert "ScenarioUser = install(CONFIG)" in text


def test_the_histogram_is_locusts_buckets_with_exact_extremes() -> None:
    workers = [
        {"responses": 3, "response_times": {"20": 2, "150": 1}, "min_ms": 19.8, "max_ms": 152.4},
        {"responses": 2, "response_times": {"21": 1, "990": 1}, "min_ms": 20.6, "max_ms": 987.0},
    ]
    histogram = histogram_of(workers)
    assert histogram.get_total_count() == 5
    assert histogram.get_min_value() == pytest.approx(19_800, rel=1e-3)
    assert histogram.get_max_value() == pytest.approx(987_000, rel=1e-3)
    assert histogram.get_value_at_percentile(50) == pytest.approx(21_000, rel=1e-3)
    assert histogram.get_value_at_percentile(80) == pytest.approx(150_000, rel=1e-3)


@pytest.mark.parametrize(
    ("options", "concurrency", "url", "says"),
    [
        (LocustOptions(locust_workers=0), 4, "http://127.0.0.1:8000", "needs a worker"),
        (LocustOptions(locust_workers=2, locust_remote_workers=2), 3, "http://10.0.0.9:80",
         "fewer users"),
        (LocustOptions(locust_workers=0, locust_remote_workers=1), 4, "http://127.0.0.1:8000",
         "reach"),
    ],
)  # fmt: skip
def test_plans_locust_cannot_run_are_refused_before_they_start(
    options, concurrency, url, says
) -> None:
    load = LoadPlan(base_url=url, scenario=scenarios.get("health"), concurrency=concurrency)
    with pytest.raises(FramematrixError, match=says):
        get_engine("locust", options).check(load)


def test_master_addresses() -> None:
    assert parse_master("10.1.2.3") == ("10.1.2.3", 5557)
    assert parse_master("load-1.example:6000") == ("load-1.example", 6000)
    assert parse_master("[::1]:7000") == ("::1", 7000)
    for bad in ("host:port", "host:0", ":5557", "host:70000"):
        with pytest.raises(FramematrixError, match="bad master address"):
            parse_master(bad)


def window(index: int, cpu_s: float, **overrides: object) -> dict[str, object]:
    """One worker's `fm_result`, as locust.scenario.WorkerWindow sends it."""
    return {"index": index, "host": "h", "pid": 100 + index, "window_s": 2.0, "cpu_s": cpu_s,
            "users": 2, "responses": 10, "response_times": {"20": 10}, "min_ms": 20.1,
            "max_ms": 20.4, "errors": {}, "locust_cpu_warning": 0.0, **overrides}  # fmt: skip


def result_of(*workers: dict[str, object], **outcome: object):  # type: ignore[no-untyped-def]
    load = LoadPlan(base_url="http://127.0.0.1:9", scenario=scenarios.get("health"),
                    concurrency=4)  # fmt: skip
    data = {"window_s": 2.0, "master_cpu_s": 0.1, "workers": list(workers), "missing": [],
            **outcome}  # fmt: skip
    return engine_result(data, load, Layout.of(load, TWO_WORKERS))


def test_a_worker_over_90_percent_of_its_core_flags_the_trial() -> None:
    calm = result_of(window(0, 0.5), window(1, 0.5))
    assert not calm.saturated and calm.requests == 20 and calm.engine_cpu_s == pytest.approx(1.1)
    busy = result_of(window(0, 0.5), window(1, 1.9))
    assert busy.saturated and [s.saturated for s in busy.sources] == [False, True]
    assert any("worker 1" in w and "95%" in w for w in busy.warnings)
    warned = result_of(window(0, 0.5, locust_cpu_warning=93.0), window(1, 0.5))
    assert warned.saturated


def test_a_window_that_lost_a_worker_or_users_is_void() -> None:
    with pytest.raises(MeasurementError, match=r"worker 1 .* sent no results"):
        result_of(window(0, 0.5), missing=["worker 1 (h)"])
    with pytest.raises(MeasurementError, match="ran 3 of the 4 users"):
        result_of(window(0, 0.5), window(1, 0.5, users=1))


def test_a_scenario_without_http_steps_is_refused() -> None:
    silent = scenarios.Scenario(name="sockets", summary="no HTTP", steps=(), writes=False)
    load = LoadPlan(base_url="http://127.0.0.1:9", scenario=silent, concurrency=2)
    with pytest.raises(FramematrixError, match="no HTTP steps"):
        get_engine("locust").check(load)
