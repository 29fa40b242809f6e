"""A run that measured its contestants under equal settings and each at its best judges every
claim under both rules, and the report, the terminal and the JSON show them side by side, with
the configuration each contestant reached."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from framematrix.claims import evaluate
from framematrix.report import export
from framematrix.report.matrix import show
from framematrix.report.model import build
from framematrix.results.reference import by_load
from framematrix.results.run_summary import RunSummary
from framematrix.trials import TrialResult, TrialSpec
from support.runs import article_like, make_run, trials

BEST = {"django": "gunicorn-gevent", "flask": "gunicorn-gthread", "fastapi": "granian"}


def at_best(results: list[TrialResult]) -> list[TrialResult]:
    """The trials as run under `best`: another server, its configuration recorded."""
    for result in results:
        point = result.spec.point
        server = BEST[point.contestant]
        result.spec = TrialSpec(replace(point, tuning="best", server=server), result.spec.trial)
        connections = 1000 if "gevent" in server else None
        settings = {"connections": connections}
        result.server_config = {"server": server, "workers": 1, "settings": settings}
    return results


def both_rules() -> list[TrialResult]:
    """Equal settings in the article's proportions; at their best, Django level with FastAPI."""
    equal = [t for t in article_like() if t.spec.point.contestant in BEST]
    best = at_best(
        [
            *trials("django", (2800, 2810, 2805)),
            *trials("flask", (1500, 1510, 1505)),
            *trials("fastapi", (2840, 2850, 2845)),
        ]
    )
    return equal + best


def test_each_rule_is_judged_on_its_own_points() -> None:
    summary = RunSummary.of(both_rules())
    assert list(summary.rules) == ["equal", "best"]
    best = summary.rules["best"]
    assert {s.point.tuning for found in best.values() for s in found.values()} == {"best"}
    assert by_load(summary.points, "best") == best
    assert RunSummary.of(article_like()).rules == {}  # one rule: nothing side by side


def test_verdicts_under_both_rules_differ_where_the_settings_decided_them() -> None:
    summary = RunSummary.of(both_rules())
    found = {c.id: c for c in evaluate(summary.loads, None, summary.noise, summary.rules)}
    order = found["rps-order"]
    assert order.rule == "equal" and order.verdict == "holds"
    assert order.by_rule["equal"]["verdict"] == "holds"
    assert order.by_rule["best"]["verdict"] == "does not hold"
    assert order.by_rule["best"]["reached"] == {
        "django": "gunicorn-gevent w1 c1000",
        "flask": "gunicorn-gthread w1",
        "fastapi": "granian w1",
    }


def test_the_report_terminal_html_and_json_show_the_rules_side_by_side(tmp_path: Path) -> None:
    report = build(make_run(tmp_path, both_rules()))
    assert report.rules == ("equal", "best")
    markdown = export.render(report, "md")
    assert "under equal settings and each at its best, side by side" in markdown
    assert "### The claims under each rule" in markdown
    assert "| claim | under equal settings | each at its best |" in markdown
    assert "each at its best: django gunicorn-gevent w1 c1000" in markdown
    page = export.render(report, "html")
    assert "under equal settings and each at its best, side by side" in page
    table = page[page.index('id="claims-by-rule"') :]
    table = table[: table.index("</table>")]
    assert "<th>each at its best</th>" in table
    assert '<td>rps-order</td><td class="verdict holds">holds</td>' in table
    assert '<td class="verdict does-not-hold">does not hold</td>' in table
    assert "each at its best: django gunicorn-gevent w1 c1000" in page
    data = json.loads(export.render(report, "json"))
    order = next(c for c in data["claims"] if c["id"] == "rps-order")
    assert order["by_rule"]["best"]["verdict"] == "does not hold"
    console = Console(record=True, width=100, color_system=None)
    show(report, console)
    text = console.export_text()
    assert "each at its best" in text and "granian w1" in text


def test_a_run_with_one_rule_says_which_it_was_judged_under(tmp_path: Path) -> None:
    report = build(make_run(tmp_path, article_like()))
    assert report.rules == ("equal",)
    assert "Judged at crud c=64 (builtin), under equal settings." in export.render(report, "md")
    page = export.render(report, "html")
    assert "Judged at crud c=64 (builtin), under equal settings." in page
    assert 'id="claims-by-rule"' not in page
