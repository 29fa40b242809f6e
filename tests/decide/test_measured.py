"""Your request measured for real: a short run of two contestants with two upstream calls (and
the neighbours, and the A/A control), then `decide --run` on it leading with the measured line
and naming where the answer would flip, the page showing that line, and `decide --measure` end
to end once. Real servers, the builtin engine, the upstream framematrix starts; the assertions
are orderings and wide ratios (calls gathered on an event loop against calls in turn), never a
machine's figures."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from framematrix.servers import free_port
from framematrix.ui.server import make_server

CLI = [sys.executable, "-m", "framematrix"]
SHORT = ["--duration", "0.5s", "--warmup", "0.2s", "--trials", "3", "--db", "sqlite"]


def framematrix(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, stdin=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture(scope="module")
def calls_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """django and fastapi (and Django's A/A copy) at calls=2, 1 and 0, 16 users."""
    home = tmp_path_factory.mktemp("calls")
    workloads = [arg for calls in (2, 1, 0) for arg in ("--workload", f"calls={calls}")]
    done = framematrix("bench", "--contestants", "django,fastapi", *workloads, *SHORT,
                       "--concurrency", "16", "--engine", "builtin", "--json",
                       cwd=home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (home / json.loads(done.stdout)["path"]).resolve()


def answers(folder: Path, text: str) -> Path:
    file = folder / "answers.yaml"
    file.write_text(text)
    return file


def test_decide_run_leads_with_the_measured_line_and_a_flip_point(calls_run: Path) -> None:
    home = calls_run.parent.parent
    file = answers(home, "calls: 2\n")
    shown = framematrix("decide", "--answers", str(file), "--run", str(calls_run), cwd=home)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("for your request: FastAPI "), shown.stdout
    assert "x Django (" in lines[0] and "at 16 concurrent users" in lines[0]
    assert "Where the answer would flip" in shown.stdout
    assert "with 0 upstream calls" in shown.stdout and "with 1 upstream call" in shown.stdout
    done = framematrix("decide", "--answers", str(file), "--run", str(calls_run), "--json",
                       cwd=home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)["request"]
    assert request["measured"] and request["leader"] == "fastapi"  # gathered beats in turn
    (fastapi,) = [r for r in request["ranking"] if r["framework"] == "fastapi"]
    assert fastapi["ratio"]["low"] > 2  # two 50 ms calls at once against one after the other
    assert {f["workload"] for f in request["flips"]} == {"work-0", "work-c1"}
    assert all(f["measured"] for f in request["flips"])


def test_the_page_shows_the_measured_line(calls_run: Path) -> None:
    server = make_server("127.0.0.1", free_port(), root=calls_run.parent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        form = urlencode({"calls": "2", "run": calls_run.name}).encode()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with urlopen(url, data=form, timeout=60) as answer:
            page = answer.read().decode()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert 'id="measured-line">for your request: FastAPI' in page
    assert page.index('id="measured-line"') < page.index('id="ranking"')
    assert "with 0 upstream calls" in page


def test_decide_measure_end_to_end(tmp_path: Path) -> None:
    file = answers(tmp_path, "calls: 1\n")
    done = framematrix("decide", "--answers", str(file), "--measure", *SHORT,
                       "--concurrency", "8", "--json", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)  # the measurement's progress went to stderr
    request = decision["request"]
    assert request["measured"] and request["tuning"] == "equal" and request["concurrency"] == 8
    assert {r["framework"] for r in request["ranking"]} == {"django", "fastapi", "flask"}
    assert [f["workload"] for f in request["flips"]] == ["work-0"]
    assert decision["run"]["note"].startswith("measured your request in run ")
    assert (tmp_path / "runs" / request["run"] / "run.json").is_file()
