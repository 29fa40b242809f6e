"""`--workload SPEC`: the parser, the name a workload is known by, and `bench` measuring one
like a scenario (a real server, the builtin engine, the results store)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framematrix import scenarios
from framematrix.errors import FramematrixError
from framematrix.scenarios.workload import WorkSpec, from_name, parse, parse_series

CLI = [sys.executable, "-m", "framematrix"]
QUICK = ["--duration", "0.5s", "--warmup", "0.2s", "--engine", "builtin", "--concurrency", "4",
         "--no-control", "--db", "sqlite", "--trials", "1"]  # fmt: skip


def test_pairs_and_a_toml_file_give_the_same_workload(tmp_path: Path) -> None:
    spec = parse("queries=3, calls=1,compute_ms=2,items=20")
    assert spec == WorkSpec(queries=3, calls=1, compute_ms=2, items=20)
    toml = tmp_path / "mine.toml"
    toml.write_text("queries = 3\ncalls = 1\ncompute_ms = 2\nitems = 20\n")
    assert parse(str(toml)) == spec
    assert parse("writes=0") == WorkSpec()


def test_one_key_may_take_a_range_one_workload_per_value() -> None:
    names = [spec.name for spec in parse_series("queries=2,calls=0..3")]
    assert names == ["work-q2", "work-q2-c1", "work-q2-c2", "work-q2-c3"]
    assert [spec.compute_ms for spec in parse_series("compute_ms=0..50/25")] == [0, 25, 50]
    refused = {"calls=0..2,items=1..2": "only one key", "calls=3..1": "goes up",
               "compute_ms=0..100": "at most 12", "calls=0..11": "0 to 10"}  # fmt: skip
    for bad, message in refused.items():
        with pytest.raises(FramematrixError, match=message):
            parse_series(bad)
    with pytest.raises(FramematrixError, match="whole number"):
        parse("calls=0..3")  # a single workload takes no range


def test_a_name_says_every_parameter_asked_for_and_reads_back() -> None:
    spec = WorkSpec(queries=3, calls=1, compute_ms=2, items=20)
    assert spec.name == "work-q3-c1-m2-i20"
    assert WorkSpec().name == "work-0"
    for each in (spec, WorkSpec(), WorkSpec(writes=20, compute_ms=1000)):
        assert from_name(each.name) == each
    for other in ("work-c1-q3", "work-q03", "work-q21", "work", "work-x1", "list-posts"):
        assert from_name(other) is None, other


def test_a_workload_is_a_scenario_of_get_work() -> None:
    scenario = scenarios.get("work-q3-w1-c2")
    (step,) = scenario.steps
    assert step.path == "/work?queries=3&writes=1&calls=2&start={author}"
    assert scenario.part == "work" and scenario.writes and scenario.needs_upstream
    assert scenario.workload == "services"
    assert scenarios.get("work-m5").workload == "compute"
    assert not scenarios.get("work-q1-i10").needs_upstream


@pytest.mark.parametrize(
    "text, message",
    [
        ("queries=3,foo=1", "unknown key 'foo'"),
        ("queries=21", "from 0 to 20"),
        ("calls=-1", "whole number"),
        ("items=1.5", "whole number"),
        ("queries=1,queries=2", "given twice"),
        ("queries=1,,", "is not key=value"),
        ("no-such-file.toml", "neither key=value pairs nor a readable TOML file"),
    ],
)
def test_a_bad_spec_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(FramematrixError, match=message):
        parse(text)


def test_a_bad_toml_file_is_one_clear_error(tmp_path: Path) -> None:
    for content, message in (("queries = 'x'", "integer"), ("nope = 1", "unknown key"),
                             ("queries = ", "bad --workload file")):  # fmt: skip
        toml = tmp_path / "bad.toml"
        toml.write_text(content)
        with pytest.raises(FramematrixError, match=message):
            parse(str(toml))


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "bench", "--out", str(tmp_path / "runs"), *args],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )  # fmt: skip


def test_bench_refuses_a_bad_workload_in_one_line(tmp_path: Path) -> None:
    done = _bench(tmp_path, "--workload", "queries=3,nope=2")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "unknown key 'nope'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_bench_measures_a_workload_named_by_its_parameters(tmp_path: Path) -> None:
    done = _bench(tmp_path, "--contestants", "raw-wsgi,flask-as-published", "--json", *QUICK,
                  "--workload", "queries=2,writes=1,calls=1,compute_ms=1,items=5")  # fmt: skip
    assert done.returncode == 0, done.stderr
    trials = {trial["contestant"]: trial for trial in json.loads(done.stdout)["trials"]}
    measured = trials["raw-wsgi"]
    assert measured["scenario"] == "work-q2-w1-c1-m1-i5"
    assert measured["ok"] and measured["errors"] == 0 and measured["requests"] > 0
    lacking = trials["flask-as-published"]
    assert not lacking["ok"] and "lacks work" in lacking["reason"]
    table = subprocess.run([*CLI, "results", "--out", str(tmp_path / "runs")],
                           capture_output=True, text=True)  # fmt: skip
    assert table.returncode == 0 and "work-q2-w1-c1-m1-i5" in table.stdout
