"""`framematrix report` and the checks `matrix --article` makes before it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.runs import article_like, make_run


def framematrix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "from framematrix.cli import app; app()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_report_formats_and_outputs(tmp_path: Path) -> None:
    run = make_run(tmp_path / "runs", article_like())
    done = framematrix("report", run.id, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (run.path / "report.html").read_text().startswith("<!doctype html>")
    done = framematrix("report", "--format", "json", "-o", "-", cwd=tmp_path)  # the latest run
    assert json.loads(done.stdout)["run"] == run.id
    target = tmp_path / "matrix.md"
    done = framematrix("report", str(run.path), "--format", "md", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0 and target.read_text().startswith("# framematrix run")


def test_report_errors_are_one_line(tmp_path: Path) -> None:
    done = framematrix("report", "nothing-here", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no run" in done.stderr
    make_run(tmp_path / "runs", [])
    done = framematrix("report", "--format", "pdf", cwd=tmp_path)
    assert done.returncode == 2 and "unknown --format 'pdf'" in done.stderr


def test_article_mode_refuses_an_unreachable_database(tmp_path: Path) -> None:
    done = framematrix("matrix", "--article", "--db", "postgresql://postgres@127.0.0.1:1/none",
                       cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "--article needs PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    done = framematrix("matrix", "--article", "--db", "sqlite:///x.db", cwd=tmp_path)
    assert done.returncode == 2 and "runs on PostgreSQL" in done.stderr
    assert not (tmp_path / "runs").exists()
