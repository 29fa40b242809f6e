"""A request of posts and nothing else (`items=N`) is ranked by the serialisers: the terminal,
`--json`, the Markdown and HTML reports say the ordering beside each contestant's serialiser;
a request that asks for more than posts, or a scenario of the contract's own, says nothing."""

from __future__ import annotations

import json
from pathlib import Path

from framematrix.report.serializer_view import said
from framematrix.results.run_summary import RunSummary
from framematrix.trials import TrialResult
from support.cli import framematrix
from support.runs import make_run, trials

RANKED = {"litestar": (190, 185, 188), "django": (105, 100, 110), "flask": (140, 142, 139)}


def items_run(scenario: str = "work-i200") -> list[TrialResult]:
    return [
        t
        for name, rps in RANKED.items()
        for t in trials(name, rps, scenario=scenario, concurrency=64)
    ]


def test_posts_alone_are_ranked_beside_their_serialisers() -> None:
    (line,) = said(RunSummary.of(items_run()))
    assert line.startswith("items=200 alone at c=64")
    assert line.index("litestar 188") < line.index("flask 140") < line.index("django 105")
    assert "(msgspec Structs)" in line and "(DRF serializers, the stdlib's json)" in line
    assert "(marshmallow schemas, the stdlib's json)" in line
    for other in ("work-q1-i200", "work-c1-i20", "crud"):
        assert said(RunSummary.of(items_run(other))) == []


def test_every_output_says_it(tmp_path: Path) -> None:
    make_run(tmp_path / "runs", items_run())
    (line,) = said(RunSummary.of(items_run()))
    shown = framematrix("results", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert line in shown.stdout
    printed = framematrix("results", "--json", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert json.loads(printed.stdout)["serializers"] == [line]
    for fmt, marker in (("json", None), ("md", "## The serialisers")):
        report = framematrix("report", "--format", fmt, "--out", str(tmp_path / "runs"),
                             cwd=tmp_path)  # fmt: skip
        assert report.returncode == 0, report.stderr
        if marker is None:
            assert json.loads(report.stdout)["serializers"] == [line]
        else:
            assert marker in report.stdout and line in report.stdout
    html = framematrix("report", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    page = next((tmp_path / "runs").glob("*/report.html")).read_text()
    assert 'id="serializers"' in page and "msgspec Structs" in page
