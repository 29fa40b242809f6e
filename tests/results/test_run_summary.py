"""A run's trials are summarised once (`RunSummary`): its points, each contestant's representative
at each load, and the load it is judged at, which the report, the claims, the decision engine,
the budget and `compare` all read."""

from __future__ import annotations

from pathlib import Path

from framematrix.decide import evidence
from framematrix.decide.knowledge import load as load_knowledge
from framematrix.report.model import build
from framematrix.results.reference import by_load, reference_load
from framematrix.results.run_summary import RunSummary
from framematrix.results.summary import summarise
from framematrix.run import budget
from support.runs import article_like, make_run, trials


def test_the_summary_is_the_points_their_representatives_and_the_reference() -> None:
    found = [*article_like("list-posts", 8), *article_like(),
             *trials("django", (600, 610, 605), server="uvicorn")]  # fmt: skip
    summary = RunSummary.of(found)
    assert summary.trials == tuple(found)
    assert list(summary.points) == summarise(found)
    assert summary.loads == by_load(summary.points)
    assert summary.reference == reference_load(summary.loads)
    assert summary.reference is not None and summary.reference.scenario == "crud"
    crud = summary.at(summary.reference)
    assert [s.point.contestant for s in crud][-1] == "django" and len(crud) == 6
    assert summary.loads[summary.reference]["django"].point.server == "gunicorn-gthread"
    assert [len(group) for group in summary.groups.values()] == [3] * 11


def test_an_empty_run_has_no_reference() -> None:
    summary = RunSummary.of(())
    assert summary.points == () and summary.loads == {} and summary.reference is None


def test_every_reader_of_a_run_takes_the_same_summary(tmp_path: Path) -> None:
    run = make_run(tmp_path, article_like())
    summary = RunSummary.read(run)
    report = build(run)
    assert report.summary == summary
    assert report.reference == (summary.reference.describe() if summary.reference else None)
    assert [row.summary for row in report.rows] == list(summary.points)
    judged = {c.id: c.evidence for c in budget.judged(summary)}  # judged without code sizes
    assert judged["rps-order"] == next(c.evidence for c in report.claims if c.id == "rps-order")
    measured = evidence.of_run(run, summary, load_knowledge())
    assert measured.summary == summary
    assert measured.frameworks["django"].point == summary.loads[summary.reference]["django"].point
