"""`framematrix bench` end to end: real servers, the builtin engine, the results store."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

CLI = [sys.executable, "-m", "framematrix"]
QUICK = ["--duration", "0.5s", "--warmup", "0.2s", "--engine", "builtin", "--concurrency", "4",
         "--no-control"]  # fmt: skip
"""Short trials, counted exactly: without the A/A control's second server (tests/run/test_rounds.py
has it)."""


def bench(tmp_path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "bench", "--out", str(tmp_path / "runs"), *args],
        capture_output=True, text=True, timeout=timeout, cwd=tmp_path,
    )  # fmt: skip


def servers_running(marker: str) -> list[psutil.Process]:
    """Server processes started for this test (their command line names the run folder)."""
    found = []
    for process in psutil.process_iter(["cmdline", "environ"]):
        try:
            env = process.environ()
        except psutil.Error:
            continue
        if marker in env.get("FRAMEMATRIX_DB_URL", ""):
            found.append(process)
    return found


def test_json_output_has_the_documented_fields(tmp_path: Path) -> None:
    exports = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "csv", "md")}
    done = bench(tmp_path, "--contestants", "raw-asgi,raw-wsgi", "--scenario", "health",
                 "--trials", "2", "--json", *QUICK, "--export-json", str(exports["json"]),
                 "--export-csv", str(exports["csv"]),
                 "--export-markdown", str(exports["md"]))  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert json.loads(exports["json"].read_text()) == data  # hyperfine-style exports, one schema
    assert len(exports["csv"].read_text().splitlines()) == 1 + 4
    assert "raw-asgi" in exports["md"].read_text() and "|" in exports["md"].read_text()
    assert set(data) >= {"run", "trials"}
    trials = data["trials"]
    assert len(trials) == 4
    # interleaved: A B A B, never A A B B
    assert [t["contestant"] for t in trials if t["trial"] == 0] == ["raw-asgi", "raw-wsgi"] or len(
        {t["contestant"] for t in trials}
    ) == 2
    for trial in trials:
        assert trial["ok"], trial["reason"]
        for key in ("contestant", "server", "scenario", "engine", "concurrency", "rate",
                    "requests", "rps", "errors", "server_pss_mb", "ok"):  # fmt: skip
            assert key in trial
        assert set(trial["latency_ms"]) >= {"p50", "p90", "p95", "p99", "p999", "max"}
        assert trial["requests"] > 0 and trial["rps"] > 0
        assert (
            trial["latency_ms"]["p50"] <= trial["latency_ms"]["p99"] <= trial["latency_ms"]["max"]
        )
        assert trial["server_pss_mb"] > 5  # a Python server holds megabytes, not bytes
        assert trial["server_cpu_s_per_1k"] > 0
        assert trial["errors"] == 0
        assert trial["server_config"]["cpus"] == [0]
    run_dir = Path(data["path"])
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["environment"]["cores"] >= 1 and meta["plan"]["trials"] == 2
    assert len(list((run_dir / "trials").glob("*.json"))) == 4
    assert not servers_running(_database_of(run_dir))


def test_later_rounds_warm_up_as_asked_on_the_server_that_served_the_first(
    tmp_path: Path,
) -> None:
    """`--warmup FIRST,LATER`: the first round on a fresh server warms up for FIRST, the later
    ones, on the same server, for LATER; each trial says which it had."""
    quick = [*QUICK[:2], "--warmup", "0.3s,0.1s", *QUICK[4:]]
    done = bench(tmp_path, "--contestants", "raw-asgi", "--scenario", "health", "--trials", "3",
                 "--json", *quick)  # fmt: skip
    assert done.returncode == 0, done.stderr
    warmups = {t["trial"]: t["warmup_s"] for t in json.loads(done.stdout)["trials"]}
    assert warmups == {0: 0.3, 1: 0.1, 2: 0.1}


def test_results_reads_a_run_back_as_json_and_csv(tmp_path: Path) -> None:
    done = bench(tmp_path, "--contestants", "raw-asgi", "--scenario", "health", "--trials", "1",
                 "--json", *QUICK)  # fmt: skip
    assert done.returncode == 0, done.stderr
    run_id = json.loads(done.stdout)["run"]
    runs = str(tmp_path / "runs")
    as_json = subprocess.run([*CLI, "results", run_id, "--out", runs, "--json"],
                             capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(as_json.stdout)["trials"][0]["scenario"] == "health"
    as_csv = subprocess.run([*CLI, "results", "--out", runs, "--csv"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    header, row = as_csv.stdout.splitlines()[:2]
    assert header.startswith("contestant,server,db") and row.startswith(
        "raw-asgi,uvicorn,postgresql"
    )  # the embedded default
    table = subprocess.run([*CLI, "results", "--out", runs], capture_output=True, text=True)
    assert table.returncode == 0 and "raw-asgi" in table.stdout


def test_results_compare_each_contestant_with_the_reference(tmp_path: Path) -> None:
    done = bench(tmp_path, "--contestants", "raw-wsgi,raw-asgi", "--scenario", "health",
                 "--trials", "1", *QUICK)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "health c=4 (builtin): req/s against raw-wsgi" in done.stdout  # the first named
    assert re.search(r"^raw-wsgi +[\d,]+ +1\.00x ", done.stdout, re.M), done.stdout
    runs = str(tmp_path / "runs")
    again = subprocess.run([*CLI, "results", "--out", runs, "--reference", "raw-asgi"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert "req/s against raw-asgi" in again.stdout
    assert re.search(r"^raw-asgi +[\d,]+ +1\.00x ", again.stdout, re.M), again.stdout
    assert re.search(r"^raw-wsgi +[\d,]+ +\d+\.\d\dx ", again.stdout, re.M), again.stdout
    wide = subprocess.run([*CLI, "results", "--out", runs, "--reference", "raw-asgi", "--wide"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert re.search(r"raw-wsgi \(gunicorn-gthread\): \d+\.\d\dx", wide.stdout), wide.stdout


def test_url_runs_name_the_url_as_contestant(tmp_path: Path, serve, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    server = serve("raw-asgi", None, sqlite_db, workers=1)
    done = bench(tmp_path, "--url", server.config.url, "--scenario", "read-one", "--trials", "1",
                 "--json", *QUICK)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (trial,) = json.loads(done.stdout)["trials"]
    assert trial["contestant"] == server.config.url and trial["ok"] and trial["requests"] > 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--contestants", "nope"], "unknown contestant"),
        (["--servers", "apache"], "unknown server"),
        (["--scenario", "nope"], "scenario"),
        (["--engine", "nope"], "unknown engine"),
        (["--concurrency", "x"], "--concurrency"),
        (["--duration", "soon"], "bad duration"),
        (["--warmup", "1s,0.5s,0.2s"], "bad --warmup '1s,0.5s,0.2s'"),
        (["--cpus", "0:99"], "--cpus"),
        (["--db", "mysql://x/y"], "unsupported database URL"),
        (["--resume", "no-such-run"], "no run"),
        (["--engine", "builtin", "--db", "postgresql://nobody@127.0.0.1:9/none"], "cannot reach"),
        (["--url", "http://127.0.0.1:9"], "cannot reach http://127.0.0.1:9"),
        (["--url", "ftp://example"], "bad --url"),
        (["--engine", "realtime"], "unknown engine 'realtime'; known: builtin, wrk, ab, locust"),
        (["--engine", "builtin", "--locust-workers", "2", "--locust-master", "h:1"],
         "--locust-workers, --locust-master apply to --engine locust only"),
        (["--engine", "locust", "--locust-master", "h:99999"], "bad master address 'h:99999'"),
        (["--devices", "5,x"], "bad --devices '5,x': expected a comma-separated list"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    done = bench(tmp_path, *args, timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            ["--engine", "wrk", "--rate", "100"],
            "closed loop only",
            marks=pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not on PATH"),
        ),
        pytest.param(
            ["--engine", "ab", "--scenario", "crud", "--concurrency", "4"],
            "one GET URL",
            marks=pytest.mark.skipif(shutil.which("ab") is None, reason="ab is not on PATH"),
        ),
    ],
)
def test_engine_and_load_that_do_not_fit_are_refused_up_front(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = bench(tmp_path, *args, timeout=30)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def _start_long_run(tmp_path: Path, trials: int = 3) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "bench", "--out", str(tmp_path / "runs"), "--contestants", "raw-asgi,raw-wsgi",
         "--scenario", "health", "--trials", str(trials), *QUICK],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip


def _wait_for_trials(tmp_path: Path, count: int, timeout: float = 90) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = list((tmp_path / "runs").glob("*/trials/*.json"))
        if len(files) >= count:
            return files[0].parent.parent
        time.sleep(0.1)
    raise AssertionError("the run never stored a trial")


def _database_of(run_dir: Path) -> str:
    """What every server of the run has in its database URL: the embedded PostgreSQL's port,
    or the run folder (its own SQLite file)."""
    environment = json.loads((run_dir / "run.json").read_text()).get("environment") or {}
    server = environment.get("database_server") or {}
    return f"127.0.0.1:{server['port']}/" if server.get("embedded") else str(run_dir)


def _no_servers_left(marker: str, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not servers_running(marker):
            return True
        time.sleep(0.2)
    return False


def _no_postgres_left(run_dir: Path, timeout: float = 20) -> bool:
    """No live process runs the embedded PostgreSQL cluster the run measured on."""
    server = json.loads((run_dir / "run.json").read_text())["environment"]["database_server"]
    assert server["embedded"] is True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [p for p in psutil.process_iter(["cmdline", "status"])
                   if server["data"] in " ".join(p.info["cmdline"] or ())
                   and p.info["status"] != psutil.STATUS_ZOMBIE]  # fmt: skip
        if not running:
            return True
        time.sleep(0.2)
    return False


def test_sigkill_then_resume_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    with _start_long_run(tmp_path) as process:
        run_dir = _wait_for_trials(tmp_path, 2)
        os.kill(process.pid, signal.SIGKILL)
    assert _no_servers_left(_database_of(run_dir)), "servers outlived a SIGKILLed run"
    assert _no_postgres_left(run_dir), "the embedded PostgreSQL outlived a SIGKILLed run"
    before = {p.name: p.stat().st_mtime_ns for p in (run_dir / "trials").glob("*.json")}
    assert 2 <= len(before) < 6
    done = bench(tmp_path, "--resume", run_dir.name, "--json")
    assert done.returncode == 0, done.stderr
    trials = json.loads(done.stdout)["trials"]
    assert len(trials) == 6
    keys = {(t["contestant"], t["trial"]) for t in trials}
    assert len(keys) == 6  # every trial exactly once
    after = {p.name: p.stat().st_mtime_ns for p in (run_dir / "trials").glob("*.json")}
    assert all(after[name] == stamp for name, stamp in before.items())  # finished ones untouched
    assert not list((run_dir / "trials").glob(".*"))  # no half-written files
    assert _no_postgres_left(run_dir), "the resumed run's PostgreSQL outlived it"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_keeps_trials_and_leaves_no_process(tmp_path: Path, signum: int) -> None:
    process = _start_long_run(tmp_path, trials=30)  # long enough to outlast a starved test
    try:
        run_dir = _wait_for_trials(tmp_path, 1)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:  # a failed wait leaves no run behind
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr
    assert _no_servers_left(_database_of(run_dir), timeout=5)
    assert _no_postgres_left(run_dir), "the embedded PostgreSQL outlived an interrupted run"
    assert list((run_dir / "trials").glob("*.json"))
