"""`framematrix compare` on hand-made runs: matching points, hyperfine's words, the CI rule
(`--fail-if-slower`: only the best case the trials allow counts), `--ignore db`, the points one
run lacks, the JSON document and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from framematrix.results.compare import compare
from framematrix.results.store import Run
from support.cli import framematrix, longest
from support.runs import article_like, make_run, trials


def _runs(tmp_path: Path, a: list, b: list) -> tuple[Run, Run]:  # type: ignore[type-arg]
    return make_run(tmp_path / "runs", a), make_run(tmp_path / "runs", b)


def test_a_run_against_itself_is_the_same_everywhere(tmp_path: Path) -> None:
    run = make_run(tmp_path / "runs", article_like())
    done = framematrix("compare", run.id, run.id, "--fail-if-slower", "10", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.split(" ")[0] in
            ("django", "fastapi", "flask", "raw-wsgi", "raw-asgi")]  # fmt: skip
    assert len(rows) == 5 and all(" 1.00x (" in row for row in rows), done.stdout
    assert "faster" not in done.stdout and "point(s) slower" not in done.stdout
    assert "no point is slower than A by more than 10%" in done.stdout
    assert longest(done.stdout.splitlines()) <= 100
    data = json.loads(framematrix("compare", run.id, run.id, "--json", cwd=tmp_path).stdout)
    assert {p["verdict"] for p in data["points"]} == {"same"}
    assert all(p["rps_ratio"]["median"] == 1 for p in data["points"])


def test_a_slower_point_fails_and_is_named(tmp_path: Path) -> None:
    before = article_like()
    after = [t for t in article_like() if t.point.contestant != "django"]
    after += trials("django", (600, 610))  # from 740…750: about 1.23x slower
    a, b = _runs(tmp_path, before, after)
    done = framematrix("compare", a.id, b.id, "--fail-if-slower", "10", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    tail = done.stdout.split("slower than A by more than 10%")[1]
    assert "django at crud c=64 (builtin): 1.23x slower (1.21…1.25)" in tail
    assert "fastapi" not in tail and "flask" not in tail
    generous = framematrix("compare", a.id, b.id, "--fail-if-slower", "25", cwd=tmp_path)
    assert generous.returncode == 0 and "no point is slower than A by more than 25%" in (
        generous.stdout
    )


def test_noise_alone_does_not_fail(tmp_path: Path) -> None:
    # the median is 11% lower, but the best case the trials allow is only 5% lower
    a, b = _runs(tmp_path, trials("flask", (740, 760)), trials("flask", (640, 700)))
    point = compare(a, b).points[0]
    assert point.rps is not None and point.rps.median < 0.9 < point.rps.high
    assert not point.slower_than(10)
    assert framematrix("compare", a.id, b.id, "--fail-if-slower", "10",
                       cwd=tmp_path).returncode == 0  # fmt: skip
    lone_a, lone_b = _runs(tmp_path, trials("flask", (750,)), trials("flask", (660,)))
    assert compare(lone_a, lone_b).points[0].slower_than(10)  # one trial: its median decides


def test_two_databases_match_when_told_to(tmp_path: Path) -> None:
    a, b = _runs(tmp_path, trials("flask", (740, 760)),
                 trials("flask", (700, 720), db="postgresql"))  # fmt: skip
    refused = framematrix("compare", a.id, b.id, cwd=tmp_path)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "no point in common" in refused.stderr and "--ignore db" in refused.stderr
    done = framematrix("compare", a.id, b.id, "--ignore", "db", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (point,) = json.loads(done.stdout)["points"]
    assert point["db"] is None and (point["a"]["db"], point["b"]["db"]) == ("sqlite", "postgresql")
    assert point["verdict"] == "slower" and point["says"] == "1.06x slower (1.03…1.09)"


def test_points_of_one_run_only_and_failed_trials(tmp_path: Path) -> None:
    before = trials("flask", (740, 760)) + trials("django", (700, 710))
    after = trials("flask", (750, 760)) + trials("fastapi", (900, 910))
    after += trials("django", (0, 0), ok=False)
    a, b = _runs(tmp_path, before, after)
    data = json.loads(framematrix("compare", str(a.path), str(b.path), "--json",
                                  "--fail-if-slower", "50", cwd=tmp_path).stdout)  # fmt: skip
    assert data["format"] == "framematrix-compare/1" and data["fail_if_slower_pct"] == 50
    assert [p["contestant"] for p in data["only_in_b"]] == ["fastapi"] and not data["only_in_a"]
    django = next(p for p in data["points"] if p["contestant"] == "django")
    assert django["says"] == "failed in B" and django["slower_than_limit"] is True
    assert [p["contestant"] for p in data["slower"]] == ["django"]
    shown = framematrix("compare", str(a.path), str(b.path), cwd=tmp_path)
    assert "only in B: fastapi at crud c=64 (builtin)" in shown.stdout


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    run = make_run(tmp_path / "runs", article_like())
    for args, message in ((["--ignore", "colour"], "cannot ignore colour"),
                          (["--fail-if-slower", "-1"], "--fail-if-slower"),
                          ([], "no run 'nothing'")):  # fmt: skip
        second = run.id if args else "nothing"
        done = framematrix("compare", run.id, second, *args, cwd=tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert message in done.stderr
