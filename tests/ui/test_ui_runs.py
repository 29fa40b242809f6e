"""The page and runs, over real HTTP: a run chosen for the charts and the decision, two runs
compared, a run's report; runs started from the page (a real `bench` child), watched, cancelled
like Ctrl-C with their finished trials kept, and never left behind when the page's server stops."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from support.runs import CROSSING, article_like, crossing_calls, make_run, trials
from support.ui_client import http

SHORT = {"kind": "bench", "contestants": ["raw-asgi", "raw-wsgi"], "scenario": "health",
         "concurrency": "4", "duration": "0.5s", "warmup": "0.2s", "trials": "2",
         "engine": "builtin"}  # fmt: skip


def poll(url: str, until: Any, timeout: float = 120) -> dict[str, Any]:
    """GET /api/job until `until(progress)` holds; the last progress."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = http.get(url + "/api/job").json()
        if progress and until(progress):
            return dict(progress)
        time.sleep(0.2)
    raise AssertionError(f"the job never got there: {progress}")


def servers_of(run_dir: str) -> list[psutil.Process]:
    """The run's contestant servers (their database URL names the run's embedded PostgreSQL, or
    its own SQLite file) and its embedded PostgreSQL itself."""
    environment = json.loads(Path(run_dir, "run.json").read_text()).get("environment") or {}
    database = environment.get("database_server") or {}
    marker = f"127.0.0.1:{database['port']}/" if database.get("embedded") else run_dir
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        try:
            in_db = marker in process.environ().get("FRAMEMATRIX_DB_URL", "")
            is_db = bool(database.get("data")) and database["data"] in " ".join(
                process.info["cmdline"] or ()
            )
            if (in_db or is_db) and process.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            continue
    return found


def gone(processes: list[psutil.Process], timeout: float = 30) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not alive


@pytest.fixture
def two_runs(ui_url: str) -> tuple[str, str]:
    """Two hand-made runs in the page's runs folder (the fixture's working directory)."""
    a = make_run(Path("runs"), article_like())
    b = make_run(Path("runs"), [t for t in article_like() if t.point.contestant != "flask"]
                 + trials("flask", (600, 610, 605)))  # fmt: skip
    return a.id, b.id


def test_a_run_is_chosen_for_the_charts_and_the_decision(ui_url: str, two_runs: Any) -> None:
    a, b = two_runs
    latest = http.get(ui_url + "/")
    assert f'<option value="{b}" selected>' in latest.text  # the latest by default
    chosen = http.get(ui_url + "/", params={"run": a})
    assert f'<option value="{a}" selected>' in chosen.text
    assert 'id="run-charts"' in chosen.text and "judged at crud c=64 (builtin)" in chosen.text
    decided = http.post(ui_url + "/", data={"run": a, "app_kind": "api"})
    assert decided.status_code == 200 and f"run {a}: median of 3 trials" in decided.text
    api = http.post(ui_url + "/api/decide", params={"run": a}, content="{}").json()
    assert api["winner"] in {"django", "fastapi", "flask"}
    report = http.get(ui_url + f"/runs/{a}/report")
    assert report.status_code == 200 and f"framematrix run {a}" in report.text
    assert http.get(ui_url + "/runs/nope/report").status_code == 404


def test_a_run_over_a_workload_range_shows_its_crossover_map(ui_url: str) -> None:
    run = make_run(Path("runs"), crossing_calls())
    page = http.get(ui_url + "/", params={"run": run.id}).text
    assert 'id="crossover-maps"' in page and "req/s against calls: calls=0..1, c=64" in page
    assert f"<b>{CROSSING}.</b>" in page


def test_two_runs_compared_on_the_page(ui_url: str, two_runs: Any) -> None:
    a, b = two_runs
    page = http.get(ui_url + "/compare", params={"a": a, "b": b})
    assert page.status_code == 200
    flask = next(row for row in page.text.split("<tr>") if row.startswith("<td>flask"))
    assert "1.47x slower (1.46…1.49)" in flask
    assert page.text.count('class="num same">1.00x (') == 4  # the others, unchanged
    bad = http.get(ui_url + "/compare", params={"a": a, "b": "nope"})
    assert bad.status_code == 400 and "no run &#39;nope&#39;" in bad.text


def test_bad_run_options_are_refused_before_anything_starts(ui_url: str) -> None:
    page = http.post(ui_url + "/job", data={**SHORT, "scenario": "nope"})
    assert page.status_code == 400 and "unknown scenario &#39;nope&#39;" in page.text
    assert http.get(ui_url + "/api/job").json() is None
    assert not Path("runs").exists()


def test_a_run_started_from_the_page_finishes_with_its_results(ui_url: str) -> None:
    started = http.post(ui_url + "/job", data=SHORT)
    assert started.status_code == 303 and started.headers["location"] == "/job"
    refused = http.post(ui_url + "/job", data=SHORT)
    assert refused.status_code == 400 and "already in progress" in refused.text
    done = poll(ui_url, lambda p: p["state"] not in ("starting", "running"))
    # 2 contestants x 2 trials, and raw-asgi again from a second server: the A/A control.
    assert done["state"] == "finished" and done["done"] == done["total"] == 6, done
    page = http.get(ui_url + "/job").text
    assert 'id="results"' in page and "http-equiv" not in page  # no reloading once finished
    assert re.search(r"<td>raw-asgi</td><td class=\"num\">[\d,]+ \(", page)
    assert len(list(Path("runs", done["run"], "trials").glob("*.json"))) == 6


def test_cancel_keeps_finished_trials_and_stops_every_process(ui_url: str) -> None:
    http.post(ui_url + "/job", data={**SHORT, "trials": "20", "duration": "1s"})
    running = poll(ui_url, lambda p: p["done"] >= 1)
    run_dir = str(Path("runs", running["run"]).resolve())
    servers = servers_of(run_dir)
    assert servers, "the run's servers should be up"
    assert http.post(ui_url + "/job/cancel").status_code == 303
    stopped = poll(ui_url, lambda p: p["state"] != "running")
    assert stopped["state"] == "interrupted" and stopped["exit_code"] == 130, stopped
    assert "--resume" in (stopped["message"] or "")
    assert 1 <= stopped["done"] < 40
    assert len(list(Path(run_dir, "trials").glob("*.json"))) == stopped["done"]
    assert gone(servers) and not servers_of(run_dir)


@pytest.fixture
def ui_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen([sys.executable, "-m", "framematrix", "ui", "--port", "0"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, (line, process.stderr.read() if process.stderr else "")
        yield process, found[0]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_stopping_the_page_stops_its_run_and_keeps_its_trials(
    ui_process: tuple[subprocess.Popen[str], str], tmp_path: Path
) -> None:
    process, url = ui_process
    http.post(url + "/job", data={**SHORT, "trials": "20", "duration": "1s"})
    running = poll(url, lambda p: p["done"] >= 1)
    children = psutil.Process(process.pid).children(recursive=True)
    assert any("bench" in " ".join(c.cmdline()) for c in children), children
    process.send_signal(signal.SIGINT)  # Ctrl-C
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "stopped" in out
    assert gone(children), [c for c in children if c.is_running()]
    run_dir = tmp_path / "runs" / running["run"]
    assert not servers_of(str(run_dir))
    assert list((run_dir / "trials").glob("*.json"))  # what finished is kept
    assert not list((run_dir / "trials").glob(".*"))  # and nothing half-written


def _interrupted(process: subprocess.Popen[str]) -> str:
    """Ctrl-C the page's server; its stderr. Killed if it outlives the wait, so that a failed
    test leaves no server behind."""
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=60)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_another_host_is_warned_about(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "framematrix", "ui", "--port", "0",
                                "--host", "0.0.0.0"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    try:
        assert process.stdout is not None and "framematrix ui on" in process.stdout.readline()
    finally:
        err = _interrupted(process)
    assert "warning: listening on 0.0.0.0: the page has no authentication" in err
    quiet = subprocess.Popen([sys.executable, "-m", "framematrix", "ui", "--port", "0"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)  # fmt: skip
    try:
        assert quiet.stdout is not None and "127.0.0.1" in quiet.stdout.readline()
    finally:
        err = _interrupted(quiet)
    assert "warning" not in err
