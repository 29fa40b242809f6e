"""The page over real HTTP: the questionnaire, a decision, bad answers, the JSON API, and a
run's charts."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from framematrix.decide.questions import QUESTIONS
from framematrix.servers import free_port
from framematrix.ui import questionnaire
from framematrix.ui.server import make_server
from support.ui_client import http


def test_questionnaire_lists_every_question(ui_url: str) -> None:
    page = http.get(ui_url + "/")
    assert page.status_code == 200
    for key in ("app_kind", "needs_admin", "team_size", "peak_rps", "price_gb_month"):
        assert f'name="{key}"' in page.text
    assert "<script" not in page.text and "http://" not in page.text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_questionnaire_leads_with_what_decides_most_and_folds_the_rest(ui_url: str) -> None:
    page = http.get(ui_url + "/").text
    form = page[page.index('id="questionnaire"') : page.index('id="submit"')]
    order = re.findall(r'id="q-(\w+)"', form)
    assert sorted(order) == sorted(q.key for q in QUESTIONS)  # each question once
    lead = [q.key for q in questionnaire.layout().leading.questions]
    assert lead and order[: len(lead)] == lead
    folds = re.findall(r'<details class="qgroup" id="group-(\w+)"\s*(open)?>', page)
    assert folds and all(not opened for _, opened in folds)  # nothing answered: all folded
    folded = next(q for q in QUESTIONS if q.key not in lead)
    answered = http.post(ui_url + "/", data={folded.key: "nonsense"}).text
    assert f'id="group-{folded.group}" open>' in answered  # a problem is never folded away
    assert re.search(r"questions?, 1 answered", answered)


def test_submitting_shows_ranking_reasons_and_plan(ui_url: str) -> None:
    page = http.post(ui_url + "/", data={"app_kind": "web", "needs_admin": "yes", "peak_rps": ""})
    assert page.status_code == 200
    assert 'id="ranking"' in page.text and 'id="reasons"' in page.text
    assert 'id="tree-verdict">Django<' in page.text
    assert "article § Code Comparison" in page.text
    assert "$80 (4 workers)" in page.text
    assert "<svg" in page.text
    # each contribution shows its rating's kind, and the page says what evidence it used
    assert 'title="article-opinion">O<' in page.text and 'title="article-figure">F<' in page.text
    assert "Django (article-opinion): article § When Django Won" in page.text
    assert "Evidence: no usable run" in page.text
    assert "0% of Django's score rests on measurement" in page.text
    assert 'id="claims-ledger"' in page.text and "fewer dependencies than Django" in page.text


def test_new_questions_and_too_close(ui_url: str) -> None:
    page = http.get(ui_url + "/")
    for key in ("architecture", "structure", "existing_app", "workload", "learning_project"):
        assert f'name="{key}"' in page.text
    assert 'type="checkbox" name="team_knows" value="flask"' in page.text
    chosen = http.post(ui_url + "/", data={"team_knows": ["flask", "django"], "app_kind": "api"})
    assert chosen.status_code == 200
    assert 'value="flask" id="team_knows-flask" checked' in chosen.text
    close = http.post(ui_url + "/", data={"peak_rps": ""})  # nothing answered: too close
    assert 'id="too-close"' in close.text and "Too close to call between" in close.text


def test_bad_answers_are_listed(ui_url: str) -> None:
    page = http.post(ui_url + "/", data={"team_size": "lots", "peak_rps": "-3"})
    assert page.status_code == 400
    assert "team_size must be a whole number, got &#39;lots&#39;" in page.text
    assert "peak_rps must be at least 0, got -3" in page.text


def test_json_api(ui_url: str) -> None:
    ok = http.post(
        ui_url + "/api/decide", content=json.dumps({"app_kind": "api", "auto_api_docs": True})
    )
    assert ok.status_code == 200 and ok.json()["tree_verdict"] == "fastapi"
    bad = http.post(ui_url + "/api/decide", content=json.dumps({"colour": "red"}))
    assert bad.status_code == 400 and "unknown key 'colour'" in bad.json()["problems"][0]


def test_latest_run_charts(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = tmp_path / "runs" / "20250101-000000"
    (run / "trials").mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"run": run.name, "created": "2025-01-01"}))
    servers = {"django": "gunicorn-gthread", "fastapi": "uvicorn", "flask": "gunicorn-gthread"}
    for i, (name, server) in enumerate(servers.items()):
        for trial in range(3):  # three rounds: the least a measured rating rests on
            (run / "trials" / f"{i}.{trial}.json").write_text(
                json.dumps(
                    {
                        "contestant": name,
                        "server": server,
                        "workers": 2,
                        "db": "sqlite",
                        "scenario": "crud",
                        "engine": "builtin",
                        "concurrency": 16,
                        "rate": None,
                        "trial": trial,
                        "rps": 100.0 * (i + 1) * (1 + trial / 100),
                        "latency_ms": {"p95": 10.0 * (3 - i) * (1 + trial / 100)},
                        "server_pss_mb": 90.0 + 10 * i,
                        "uss_per_worker_mb": 30.0,
                        "server_cpu_s_per_1k": 1.5 * (3 - i),
                        "ok": True,
                        "errors": 0,
                    }
                )
            )
    monkeypatch.chdir(tmp_path)
    server = make_server("127.0.0.1", free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        page = http.post(url, data={"app_kind": "api"})
        assert 'id="run-charts"' in page.text and "Throughput" in page.text
        assert "run 20250101-000000: median of 3 trials" in page.text
        assert "Evidence: used run 20250101-000000, the latest under runs/" in page.text
        assert 'title="measured">M<' in page.text
    finally:
        server.shutdown()
        server.server_close()
