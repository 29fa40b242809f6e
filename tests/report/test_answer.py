"""The answer a report leads with says what it rests on: the A/A control in the quality box, and
beside a verdict on SQLite the thread pool the async stacks reach it through."""

from __future__ import annotations

from pathlib import Path

from framematrix.report import answer
from framematrix.report.model import build
from support.runs import article_like, as_copy, make_run, trials


def _on(db: str) -> list:  # type: ignore[type-arg]
    found = article_like()
    for result in found:
        point = result.spec.point
        at = type(point.at)(point.at.scenario, db, point.at.engine, point.at.concurrency, None)
        result.spec = type(result.spec)(
            type(point)(point.contestant, point.server, at), result.spec.trial
        )
    return found


def test_a_verdict_on_sqlite_names_the_async_stacks_thread_pool(tmp_path: Path) -> None:
    on_sqlite = answer.verdicts(build(make_run(tmp_path / "a", _on("sqlite"))))
    order = next(v for v in on_sqlite if v.id == "rps-order")
    assert "on SQLite" in order.why and "fastapi: aiosqlite" in order.why
    on_postgres = answer.verdicts(build(make_run(tmp_path / "b", _on("postgresql"))))
    assert not any("on SQLite" in v.why for v in on_postgres)
    code = next(v for v in on_sqlite if v.id == "code-order")
    assert "on SQLite" not in code.why  # no measurement of the database: nothing to say


def test_the_quality_box_opens_with_the_a_a_control(tmp_path: Path) -> None:
    report = build(make_run(tmp_path / "a", article_like()))
    assert answer.quality(report)[0].text.startswith("no A/A control in this run")
    copy = as_copy(trials("django", (748, 744, 746), p95=178, pss=243))
    controlled = build(make_run(tmp_path / "b", article_like() + copy))
    first = answer.quality(controlled)[0]
    assert first.level == "ok" and first.text.startswith("A/A control: 1.00x (")
    assert "differences under 5% in req/s (p95 5%, memory 5%) are not called real" in first.text
    assert controlled.control is not None and controlled.control["apart"] is False


def test_a_control_that_came_out_apart_says_where(tmp_path: Path) -> None:
    copy = as_copy(trials("django", (1100, 1110, 1105), p95=178, pss=243))
    report = build(make_run(tmp_path / "a", article_like() + copy))
    first = answer.quality(report)[0]
    assert first.level == "bad"
    assert "apart at crud c=64 (builtin) 1.48x (" in first.text and "at 95%)" in first.text
    assert "too noisy for any performance verdict" in first.text
    assert report.control is not None and report.control["apart_at"] == ["crud c=64 (builtin)"]
