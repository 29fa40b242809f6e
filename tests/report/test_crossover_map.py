"""The crossover map where people and programs read it: a real `sweep --workload` (real
servers, short trials) with its map in `--json` and its chart in the report; a hand-made
`bench --workload calls=0..1` run showing the same map in `results`, the report and `--json`;
and bad sweeps refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import framematrix
from support.runs import CROSSING, crossing_calls, make_run

ORDERS = {"a", "b", "equal", "undecided", "unknown"}


@pytest.mark.slow
def test_a_workload_sweep_draws_its_map_and_says_where_lines_cross(tmp_path: Path) -> None:
    done = framematrix(
        "sweep", "--workload", "compute_ms=0..2", "--contestants", "raw-wsgi,raw-asgi",
        "--db", "sqlite", "--engine", "builtin", "--concurrency", "4", "--duration", "0.5s",
        "--warmup", "0.2s", "--trials", "3", "--json", "--out", str(tmp_path / "runs"),
        cwd=tmp_path, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    scenarios = {t["scenario"] for t in out["trials"]}
    assert scenarios == {"work-0", "work-m1", "work-m2"}
    assert {t["concurrency"] for t in out["trials"]} == {4}
    assert {t["replica"] for t in out["trials"]} == {0, 1}  # the A/A control judges the order
    (found,) = out["crossover"]
    assert found["parameter"] == "compute_ms" and found["values"] == [0, 1, 2]
    assert found["workload"] == "compute_ms=0..2" and found["load"] == "c=4"
    assert "compute_ms" in found["says"]
    assert sorted(line["contestant"] for line in found["lines"]) == ["raw-asgi", "raw-wsgi"]
    assert all(len(line["points"]) == 3 for line in found["lines"])
    (pair,) = found["pairs"]
    assert {o["order"] for o in pair["orders"]} <= ORDERS and pair["says"]
    report = framematrix("report", out["run"], "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "runs" / out["run"] / "report.html").read_text()
    assert 'id="crossover"' in html and "req/s against compute_ms: compute_ms=0..2, c=4" in html
    assert found["says"] in html


def test_a_bench_run_over_a_range_shows_the_same_map(tmp_path: Path) -> None:
    run = make_run(tmp_path / "runs", crossing_calls())
    said = CROSSING
    shown = framematrix("results", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert f"req/s against calls: calls=0..1, c=64: {said}" in shown.stdout
    assert f"flask ahead of fastapi at calls=0; {said}" in shown.stdout
    printed = framematrix("results", "--json", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert json.loads(printed.stdout)["crossover"][0]["says"] == said
    report = framematrix("report", "--format", "json", "--out", str(tmp_path / "runs"),
                         cwd=tmp_path)  # fmt: skip
    assert json.loads(report.stdout)["crossover"][0]["says"] == said
    markdown = framematrix("report", "--format", "md", "--out", str(tmp_path / "runs"),
                           cwd=tmp_path)  # fmt: skip
    assert f"**{said}.**" in markdown.stdout
    framematrix("report", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    html = (run.path / "report.html").read_text()
    assert 'href="#crossover"' in html and said in html and "shaded: where lines cross" in html


@pytest.mark.parametrize(
    "args, message",
    [
        (["--workload", "calls=0..2,items=1..2"], "only one key may take a range"),
        (["--workload", "calls=2"], "sweep needs one key as a range"),
        (["--workload", "calls=0..2", "--scenario", "crud"], "without --scenario"),
        (["--workload", "calls=0..2", "--to", "64"], "without --scenario, --from and --to"),
        (["--scenario", "crud", "--concurrency", "4"], "give --from and --to"),
        ([], "sweep needs --scenario S"),
    ],
)
def test_a_bad_sweep_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = framematrix("sweep", *args, "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr and not (tmp_path / "runs").exists()
