"""`--tuning best`: the candidates' table, the rule that picks the best (ties to the simpler),
the search over real servers with its cache, and the bad input around it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framematrix.errors import FramematrixError
from framematrix.run import tuning
from framematrix.run.options import BenchOptions
from framematrix.run.plan import BenchPlan, best_key, tuned
from framematrix.run.runner import Runner
from framematrix.run.validation import build_plan
from framematrix.servers import resolve
from framematrix.servers.candidates import SEARCH_LOADS, Candidate, candidates
from framematrix.trials import LoadPoint, TrialPoint
from support.runs import make_run, trial

GTHREAD = Candidate("gunicorn-gthread", 1, 4, source="gunicorn docs")
MORE_THREADS = Candidate("gunicorn-gthread", 1, 64, source="gunicorn docs")
MORE_WORKERS = Candidate("gunicorn-gthread", 3, 4, source="gunicorn docs")


def tried(candidate: Candidate, rps: float | None, why_not: str | None = None) -> tuning.Tried:
    return tuning.Tried(candidate, rps, 10.0, 0, why_not)


def test_every_table_fits_the_budget_and_names_its_documentation() -> None:
    plan = BenchPlan(contestants=("django",), scenarios=("crud",), engine="builtin", db_url="")
    for name, realtime in (
        ("django", False),
        ("flask", False),
        ("fastapi", False),
        ("flask", True),
        ("django", True),
    ):
        spec, _ = resolve(name, None, realtime=realtime)
        for workload in SEARCH_LOADS:
            found, _ = candidates(spec, workload, cores=1)
            assert found and all(c.source for c in found), (name, workload)
            assert tuning.estimated_s(plan, len(found)) <= tuning.BUDGET_S, (name, workload)


def test_documented_configurations_left_out_say_why() -> None:
    django, _ = resolve("django", None)
    found, left_out = candidates(django, "compute", cores=1)
    assert "gunicorn-gevent" not in {c.server for c in found}
    assert "wait" in left_out["gunicorn-gevent"]
    flask_ws, _ = resolve("flask", None, realtime=True)
    _, left_out = candidates(flask_ws, "realtime", cores=1)
    assert left_out["gunicorn-gevent"] == "flask does not run under it"
    found, left_out = candidates(django, "services", cores=1, allowed=("gunicorn-gevent",))
    assert {c.server for c in found} == {"gunicorn-gevent"}
    assert left_out["gunicorn-gthread"] == "not among the --servers given"


def test_waiting_workloads_get_a_thread_per_request_in_flight() -> None:
    django, _ = resolve("django", None)
    found, _ = candidates(django, "services", cores=1)
    threads = {(c.workers, c.threads) for c in found if c.server == "gunicorn-gthread"}
    assert (1, 64) in threads and (3, 22) in threads  # 64 connections, sized per worker


def test_the_fastest_eligible_configuration_wins() -> None:
    found = [tried(GTHREAD, 100), tried(MORE_THREADS, 300), tried(MORE_WORKERS, 200)]
    assert tuning.choose(found, 0.05, "django for services") == MORE_THREADS


def test_a_tie_goes_to_the_simpler_configuration() -> None:
    level = [tried(MORE_WORKERS, 300), tried(MORE_THREADS, 298), tried(GTHREAD, 290)]
    assert tuning.choose(level, 0.05, "x") == GTHREAD  # all within 5% of 300: the fewest threads
    assert tuning.choose(level, 0.01, "x") == MORE_THREADS  # 290 is 3% off: out of the tie
    workers_first = [tried(MORE_WORKERS, 300), tried(MORE_THREADS, 300)]
    assert tuning.choose(workers_first, 0.05, "x") == MORE_THREADS  # fewer workers first


def test_p99_over_the_target_loses_to_one_under_it_unless_none_is_under() -> None:
    slow = tuning.Tried(MORE_THREADS, 900, 2500.0, 0, None, over_target=True)
    assert tuning.choose([slow, tried(GTHREAD, 100)], 0.05, "x") == GTHREAD
    assert tuning.choose([slow, tried(GTHREAD, 100, "the server crashed")], 0.05, "x") == (
        MORE_THREADS
    )


def test_an_open_loop_delivering_more_than_it_was_offered_is_level_with_one_keeping_up() -> None:
    """A realtime server that fell behind in its warm-up delivers its backlog in the window:
    more readings a second than the devices send. Capped at the offered rate, the two are level
    and the simpler configuration wins."""
    catching_up, keeping_up = (
        trial("fastapi", rps, scenario="iot", concurrency=500, engine="realtime")
        for rps in (707.0, 500.0)
    )
    found = [
        tuning.Tried.of(MORE_WORKERS, catching_up, 2000.0, offered=500.0),
        tuning.Tried.of(GTHREAD, keeping_up, 2000.0, offered=500.0),
    ]
    assert [t.rps for t in found] == [500.0, 500.0]
    assert tuning.choose(found, 0.05, "fastapi for realtime") == GTHREAD
    uncapped = tuning.Tried.of(MORE_WORKERS, catching_up, 2000.0)
    assert uncapped.rps == 707.0


def test_an_ineligible_configuration_never_wins_and_none_eligible_says_why_each() -> None:
    found = [tried(MORE_THREADS, 900, "3 errors of 900 responses"), tried(GTHREAD, 100)]
    assert tuning.choose(found, 0.05, "x") == GTHREAD
    with pytest.raises(FramematrixError) as failed:
        tuning.choose([tried(GTHREAD, None, "the server crashed"), found[0]], 0.05, "flask")
    text = str(failed.value)
    assert "\n" not in text and "no configuration of flask" in text
    assert "gunicorn-gthread w1 t4: not eligible: the server crashed" in text
    assert "gunicorn-gthread w1 t64: 900 req/s" in text and "3 errors" in text


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ({"tuning": "fastest"}, "unknown tuning 'fastest'; known: equal, docs, best"),
        ({"tuning": "best", "url": "http://127.0.0.1:1"}, "--tuning best needs servers"),
        ({"retune": True}, "--retune searches the best configurations: give --tuning best"),
    ],
)
def test_bad_tuning_input_is_one_line(given: dict[str, object], error: str) -> None:
    with pytest.raises(FramematrixError, match=error):
        build_plan(BenchOptions(**given))  # type: ignore[arg-type]


def test_a_plan_measures_best_only_where_a_configuration_was_found() -> None:
    at = LoadPoint("upstream", "sqlite", "builtin", 64, None)
    plan = BenchPlan(
        contestants=("django", "flask"),
        scenarios=("upstream",),
        engine="builtin",
        db_url="sqlite:///x.db",
        tunings=("equal", "best"),
        concurrencies=(64,),
        best={best_key("django", "services"): MORE_THREADS.record()},
    )
    points = plan.points("upstream", plan.loads("upstream")[0])
    assert TrialPoint("django", "gunicorn-gthread", at, "best") in points
    assert {p.tuning for p in points if p.contestant == "flask"} == {"equal"}
    gevent = {best_key("django", "services"): Candidate("gunicorn-gevent", 1).record()}
    plan = BenchPlan(
        **{**plan.__dict__, "best": gevent, "servers": ("gunicorn-gthread", "granian")}
    )
    best = [p for p in plan.points("upstream", at) if p.tuning == "best"]
    assert [p.server for p in best] == ["gunicorn-gevent"]  # one best, whatever --servers named


def test_a_realtime_server_is_sized_to_the_run_and_best_takes_the_searched_counts(
    tmp_path: Path,
) -> None:
    from framematrix.engines.realtime import RealtimeOptions
    from framematrix.servers import ServerConfig

    plan = BenchPlan(
        contestants=("flask",),
        scenarios=("iot",),
        engine="builtin",
        db_url="",
        realtime=RealtimeOptions(devices=(100, 500, 2000), subscribers=2),
        best={best_key("flask", "services"): MORE_WORKERS.record()},
    )
    at = LoadPoint("iot", "sqlite", "realtime", 100, None)
    base = ServerConfig("flask", "gunicorn-gthread", "sqlite:///x.db", realtime=True)
    sized = tuned(plan, base, TrialPoint("flask", "gunicorn-gthread", at))
    assert sized.sockets == 2002 and sized.thread_count == 2010
    upstream = LoadPoint("upstream", "sqlite", "builtin", 64, None)
    best = tuned(
        plan,
        ServerConfig("flask", "gunicorn-gthread", "sqlite:///x.db"),
        TrialPoint("flask", "gunicorn-gthread", upstream, "best"),
    )
    assert (best.worker_count, best.thread_count, best.pool_size) == (3, 4, 4)


@pytest.mark.slow
def test_the_search_picks_the_best_real_configuration_caches_it_and_retune_searches_again(
    tmp_path: Path, sqlite_db, test_seed, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Two real configurations of raw-wsgi waiting on a 50 ms upstream at 64 connections: a
    sync worker serves 1 request at a time (20 req/s at most), 32 threads serve 32."""
    sync, threads = Candidate("gunicorn-sync", 1), Candidate("gunicorn-gthread", 1, 32)
    monkeypatch.setattr(tuning, "candidates", lambda *args: ((sync, threads), {}))
    lines: list[str] = []
    options = BenchOptions(
        contestants="raw-wsgi",
        scenario="upstream",
        concurrency="64",
        engine="builtin",
        duration="0.5s",
        warmup="0.3s",
        trials=1,
        tuning="equal,best",
        db=sqlite_db.url,
        control=False,
    )
    plan = BenchPlan(**{**build_plan(options).__dict__, "seed_size": test_seed})
    runner = Runner(plan, make_run(tmp_path / "runs", []))
    cache = tmp_path / "cache"
    first = tuning.Search(runner, lines.append, root=cache)
    [target] = tuning.targets(plan)
    found = first.best(target)
    assert found is not None and found.best == threads and not found.cached
    assert {t.candidate for t in found.tried} == {sync, threads}
    assert all(t.server_config for t in found.tried)  # every trial records what it ran
    [path] = list(cache.rglob("raw-wsgi-services-sqlite-*.json"))
    kept = json.loads(path.read_text())
    assert kept["best"]["server"] == "gunicorn-gthread" and len(kept["tried"]) == 2
    assert kept["machine"]["cores"] >= 1 and kept["versions"]["gunicorn"]

    lines.clear()
    again = tuning.Search(runner, lines.append, root=cache).best(target)
    assert again is not None and again.cached and again.best == threads
    assert "cached" in lines[0] and not any("searching" in line for line in lines)

    kept["framematrix"] = "0.0.1"
    path.write_text(json.dumps(kept))
    lines.clear()
    tuning.Search(runner, lines.append, root=cache).best(target)
    assert "written by framematrix 0.0.1: searched again" in lines[0]

    runner.plan = BenchPlan(**{**plan.__dict__, "retune": True})
    lines.clear()
    retuned = tuning.Search(runner, lines.append, root=cache).best(target)
    assert retuned is not None and not retuned.cached and "--retune" in lines[0]
