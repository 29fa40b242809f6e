"""A run whose measurements contradict the article: the ranking moves with the measurements, and
every output says the evidence overruled the article, on which criterion, from which run."""

from __future__ import annotations

import json
from pathlib import Path

from framematrix.decide import engine, evidence, knowledge, questions

from .conftest import WriteRun
from .helpers import cli
from .runs import contradicting_trials

KB = knowledge.load()
BUSY_API = {"app_kind": "api", "peak_rps": 2000}


def test_the_ranking_moves_with_the_measurements(write_run: WriteRun) -> None:
    answers = questions.resolve(BUSY_API)
    article = engine.decide(answers)
    run = evidence.load(write_run(contradicting_trials()), KB)
    measured = engine.decide(answers, run)
    assert article.winner == "fastapi"
    assert measured.winner == "flask" and measured.article_winner == "fastapi"
    assert measured.scored.scores["flask"] > article.scored.scores["flask"]
    assert measured.scored.scores["fastapi"] < article.scored.scores["fastapi"]
    criteria = {o.criterion for o in measured.overruled}
    assert {"runtime_performance", "latency", "memory", "hosting_cost"} <= criteria
    throughput = [(o.ahead, o.behind) for o in measured.overruled
                  if o.criterion == "runtime_performance"]  # fmt: skip
    assert ("flask", "fastapi") in throughput and ("flask", "django") not in throughput
    assert all(o.run == run.run_id for o in measured.overruled)
    assert measured.scored.measured_share("flask") > 0.2
    assert article.scored.measured_share("flask") == 0.0


def test_every_output_says_it_was_overruled(write_run: WriteRun, tmp_path: Path) -> None:
    run = write_run(contradicting_trials())
    answers = tmp_path / "busy.yaml"
    answers.write_text("app_kind: api\npeak_rps: 2000\n")
    adr = tmp_path / "adr.md"
    text = cli("decide", "--answers", str(answers), "--run", str(run), "--adr", str(adr))
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert "the evidence overruled the article on runtime performance (throughput)" in flat
    assert f"run {run.name}" in flat and "the evidence changed the winner" in flat
    assert "Share of each score resting on measurement: Flask" in flat
    assert "overruled the article on runtime performance" in adr.read_text()
    done = cli("decide", "--answers", str(answers), "--run", str(run), "--json")
    out = json.loads(done.stdout)
    assert out["winner"] == "flask" and out["article_winner"] == "fastapi"
    assert out["run"]["id"] == run.name
    assert any(o["criterion"] == "runtime_performance" and o["ahead"] == "flask"
               for o in out["overruled"])  # fmt: skip
    assert out["kind"]["flask"]["runtime_performance"] == "measured"
    assert out["kind"]["flask"]["admin_panel"] == "article-opinion"
    assert 0 < out["measured_share"]["flask"] < 1
    ratings = next(c for c in out["criteria"] if c["key"] == "runtime_performance")["ratings"]
    assert ratings["flask"]["kind"] == "measured" and ratings["flask"]["run"] == run.name
    assert ratings["flask"]["low"] <= ratings["flask"]["score"] <= ratings["flask"]["high"]
