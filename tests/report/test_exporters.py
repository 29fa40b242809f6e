"""Every format from one report of a hand-made run: the same figures, claims and code size."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from framematrix.claims.catalog import CATALOGUE, RunCheck, VerdictOf
from framematrix.report import export
from framematrix.report.model import Report, build, save_code_sizes
from framematrix.results.store import Run
from support.runs import article_like, make_run, trials


@pytest.fixture
def run(tmp_path: Path) -> Run:
    results = article_like() + article_like("list-posts", 16)
    results += trials("flask-as-published", (300, 310))
    made = make_run(tmp_path / "runs", results)
    save_code_sizes(made, ("django", "fastapi", "flask"))
    return made


@pytest.fixture
def report(run: Run) -> Report:
    return build(run)


def test_the_model_ratios_and_baselines(report: Report) -> None:
    crud = next(at for at in report.loads() if at.scenario == "crud" and at.label == "c=64")
    fastapi = next(r for r in report.rows_at(crud) if r.point.contestant == "fastapi")
    rps = fastapi.metrics["rps"]
    assert rps.measured is not None and rps.measured.median == 2845
    assert rps.vs_django is not None and round(rps.vs_django.median, 2) == 3.82
    assert rps.vs_django.low == pytest.approx(2840 / 750)
    assert rps.vs_baseline == pytest.approx(2845 / 4050, abs=1e-4)  # raw-asgi
    assert rps.article == 2847 and rps.article_vs_django == pytest.approx(3.8318, abs=1e-4)
    assert [p for p, _ in fastapi.curve][-1] == 100.0
    assert dict(fastapi.curve)[95.0] == pytest.approx(45.0, rel=0.01)
    published = next(r for r in report.rows if r.point.contestant == "flask-as-published")
    assert published.metrics["rps"].article == 892  # beside Flask's figure
    assert published.metrics["rps"].vs_baseline == pytest.approx(305 / 1510, abs=1e-4)


def test_stored_code_sizes_are_used(report: Report) -> None:
    assert [c.contestant for c in report.code] == ["django", "fastapi", "flask"]
    assert report.code_measured == "when the run was made"


def test_json_has_the_whole_schema(report: Report) -> None:
    data = json.loads(export.render(report, "json"))
    assert data["format"] == "framematrix-report/1"
    assert {"rows", "claims", "code", "differences", "environment", "plan", "article"} <= set(data)
    row = data["rows"][0]
    assert set(row["metrics"]) == {"rps", "p95_ms", "workers_pss_mb", "pss_mb", "cpu_s_per_1k"}
    assert {"measured", "vs_django", "vs_baseline", "article", "article_vs_django"} == set(
        row["metrics"]["rps"]
    )
    assert {c["verdict"] for c in data["claims"]} <= {"holds", "does not hold", "cannot tell"}


def test_csv_one_row_per_contestant_and_load(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(report, "csv"))))
    assert len(rows) == len(report.rows) == 11
    django = next(r for r in rows if r["contestant"] == "django" and r["scenario"] == "crud")
    assert float(django["rps"]) == 745 and float(django["rps_vs_django"]) == 1.0
    assert float(django["p95_ms_article"]) == 178


def test_markdown_tables_are_well_formed(report: Report) -> None:
    text = export.render(report, "md")
    assert "## The article's claims" in text and "**holds**" in text
    for block in re.findall(r"(?:^\|.*\|\n)+", text, flags=re.M):
        widths = {line.count("|") - line.count("\\|") for line in block.splitlines()}
        assert len(widths) == 1, block  # every row of a table has the same columns
    assert "2,845 (2,840…2,850)" in text and "article: ab, Apache Bench" in text


def test_html_is_self_contained(report: Report) -> None:
    text = export.render(report, "html")
    assert text.count("<svg") >= 8
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<script" not in text and "@import" not in text
    assert "FastAPI shines at 1,000+ concurrent requests" in text


def test_an_audit_in_the_run_folder_joins_the_report(run: Run) -> None:
    claim = {"framework": "django", "claim": "CSRF protection (automatic)", "kind": "automatic",
             "probes": ["csrf"], "verdict": "holds", "evidence": "csrf probe passed"}  # fmt: skip
    (run.path / "audit.json").write_text(json.dumps({"format": "x", "claims": [claim]}))
    report = build(run)
    assert report.audit_claims == [claim]
    assert "csrf probe passed" in export.render(report, "html")
    assert "CSRF protection (automatic)" in export.render(report, "md")


def test_an_empty_run_still_renders(tmp_path: Path) -> None:
    report = build(make_run(tmp_path / "runs", []))
    for fmt in export.FORMATS:
        assert export.render(report, fmt)
    assert all(c.verdict == "cannot tell" for c in report.claims if c.id != "code-order")


def test_every_claim_of_the_article_is_in_each_format_with_the_runs_verdicts(
    report: Report,
) -> None:
    data = json.loads(export.render(report, "json"))
    entries = {e["id"]: e for e in data["claims_ledger"]}
    verdicts = {c.id: c.verdict for c in report.claims}
    checked = {c.id: c.check.claim if isinstance(c.check, VerdictOf) else c.id
               for c in CATALOGUE if isinstance(c.check, RunCheck | VerdictOf)}  # fmt: skip
    assert set(checked.values()) == set(verdicts)  # each claim the run judges is in the ledger
    for cid, ref in checked.items():  # and carries the run's own verdict, never a second one
        assert entries[cid]["status"] == "measured" and entries[cid]["verdict"] == verdicts[ref]
    assert {e["status"] for e in entries.values()} == {"measured", "measurable", "stated"}
    html = export.render(report, "html")
    stated = sum(e["status"] == "stated" for e in entries.values())
    assert html.count('<tr class="stated">') == stated
    assert 'href="#every-claim"' in html and 'id="claims-ledger"' in html
    markdown = export.render(report, "md")
    assert "## Every claim of the article" in markdown
    assert all(e["claim"].replace("|", "\\|") in markdown for e in entries.values())
