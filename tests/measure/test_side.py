"""The side measurements of `matrix`, on real processes: install footprint from the package
metadata, each framework's test client running the contract's read checks in-process, cold
starts of a real server; then the rules that turn them into verdicts, and the report's tables.
Counts and orderings only, never timings."""

from __future__ import annotations

from pathlib import Path

from framematrix.claims import evaluate
from framematrix.claims.catalog import CATALOGUE, RunCheck
from framematrix.claims.side import fewer_dependencies, judge_testing, serverless
from framematrix.db.url import DatabaseURL
from framematrix.measure import coldstart, footprint, side
from framematrix.measure.batteries.battery import FAMILIES, Battery
from framematrix.measure.coldstart import ColdStart
from framematrix.measure.footprint import Footprint
from framematrix.measure.testclient import runs as testclient
from framematrix.measure.testclient.runs import TestClientRun
from framematrix.report import markdown
from framematrix.report.model import build
from framematrix.report.side_view import tables
from framematrix.results.store import Run
from support.runs import article_like, make_run

CHECKS = {c.id: c.check for c in CATALOGUE if isinstance(c.check, RunCheck)}


def test_footprint_follows_each_stack_through_its_requirements() -> None:
    django = footprint.footprint("django")
    assert {"django", "djangorestframework", "asgiref", "sqlparse"} <= set(django.distributions)
    assert django.count == len(django.distributions) and django.megabytes > 0
    assert {"starlette", "pydantic"} <= footprint.dependencies("fastapi")
    assert "fastapi" not in footprint.dependencies("fastapi")
    assert Footprint.from_record(django.record()) == django


def test_each_frameworks_test_client_runs_the_read_checks(sqlite_db: DatabaseURL) -> None:
    for name in ("flask", "fastapi"):
        child = testclient.run(name, sqlite_db.url)
        run = child.client
        assert child.import_s and run is not None and run.error is None
        assert run.passed == len(run.checks) == 6, run.checks
        assert all(c["requests"] > 0 for c in run.checks)
        assert run.setup_lines >= 1
        assert TestClientRun.from_record(run.record()) == run
    bare = testclient.run("raw-wsgi", sqlite_db.url)  # no framework, so no test client
    assert bare.import_s and bare.client is None


def test_cold_starts_time_a_real_server(sqlite_db: DatabaseURL) -> None:
    found = coldstart.cold_start("flask", sqlite_db.url, starts=2)
    assert found.error is None and found.server == "gunicorn-gthread"
    assert len(found.starts_s) == 2 and min(found.starts_s) > 0
    assert found.median_s is not None and found.worker_rss_mb
    assert ColdStart.from_record(found.record()) == found


def test_side_measures_each_contestant_two_at_a_time(sqlite_db: DatabaseURL) -> None:
    def kept(family: str) -> list[Battery]:
        return [Battery(family, "kept", "absent", how="from the cache")]

    found = side.measure(["flask", "raw-wsgi", "no-such"], sqlite_db.url, starts=1, probe=kept)
    assert [c.contestant for c in found.cold_starts] == ["flask", "raw-wsgi"]
    assert [(b.framework, b.battery) for b in found.batteries] == [
        (family, "kept") for family in FAMILIES
    ]
    assert all(c.import_s and c.error is None and len(c.starts_s) == 1 for c in found.cold_starts)
    assert [t.contestant for t in found.test_clients] == ["flask"]
    assert side.Side.from_record(found.record()) == found


def _clients(lines: dict[str, int], passed: int = 6) -> list[TestClientRun]:
    checks = [{"name": str(i), "passed": i < passed, "seconds": 0.01} for i in range(6)]
    return [TestClientRun(n, "client", count, 0.1, checks) for n, count in lines.items()]


def test_the_side_claims_rules() -> None:
    check = CHECKS["testing-experience"]
    assert isinstance(check, RunCheck)
    ranked = side.Side(test_clients=_clients({"fastapi": 2, "django": 3, "flask": 3}))
    assert judge_testing(check, ranked).verdict == "holds"
    swapped = side.Side(test_clients=_clients({"fastapi": 2, "django": 5, "flask": 3}))
    assert judge_testing(check, swapped).verdict == "does not hold"
    failing = side.Side(test_clients=_clients({"fastapi": 1, "django": 2, "flask": 3}, 5))
    assert judge_testing(check, failing).verdict == "does not hold"
    assert judge_testing(check, None).unmeasured
    deps = CHECKS["fewer-dependencies"]
    assert isinstance(deps, RunCheck)
    prints = side.Side(footprints=footprint.measure_all(["fastapi", "django"]))
    counts = {f.contestant: f.count for f in prints.footprints}
    expected = "holds" if counts["fastapi"] < counts["django"] else "does not hold"
    assert fewer_dependencies(deps, prints).verdict == expected
    cold = CHECKS["serverless"]
    assert isinstance(cold, RunCheck)
    starts = [ColdStart(n, "s", (1.0, 2.0), 0.5, 50.0) for n in ("django", "fastapi", "flask")]
    assert serverless(cold, side.Side(cold_starts=starts)).verdict == "holds"
    starts[0] = ColdStart("django", "s", (11.0, 12.0), 0.5, 50.0)
    assert serverless(cold, side.Side(cold_starts=starts)).verdict == "does not hold"
    assert serverless(cold, side.Side(cold_starts=starts[1:])).unmeasured


def test_a_run_with_side_measurements_reports_them(tmp_path: Path) -> None:
    made = make_run(tmp_path, article_like())
    measured = side.Side(
        [ColdStart(n, "s", (1.0,), 0.5, 50.0) for n in ("django", "fastapi", "flask")],
        footprint.measure_all(["django", "fastapi", "flask"]),
        _clients({"fastapi": 2, "django": 3, "flask": 4}),
        [Battery("fastapi", name, "default") for name in ("openapi", "docs")],
    )
    Run(made.path).write(side.FILE, measured.record())
    report = build(Run(made.path))
    assert report.side == measured.record()
    verdicts = {c.id: c.verdict for c in report.claims}
    assert verdicts["serverless"] == "holds" and verdicts["testing-experience"] == "holds"
    assert verdicts["fastapi-docs-for-free"] == "holds"
    assert verdicts["drf-for-free"] == "cannot tell"  # the run probed no DRF
    assert [len(t.rows) for t in tables(measured)] == [3, 3, 3, 1]
    text = markdown.render(report)
    assert "### Batteries" in text and "### Cold start" in text
    assert len(report.to_dict()["side"]["cold_starts"]) == 3
    without = {c.id: c for c in evaluate({})}
    assert without["serverless"].verdict == "cannot tell"
