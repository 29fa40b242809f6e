"""The article's profiles (its 'Choose X if' lists, team sizes, use cases, recommendations,
personal picks and flowchart leaves) as answers files: each gets the article's pick from the
weighted matrix, and against a run that contradicts the article, any disagreement is explained
by the measured fact that caused it, naming the run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framematrix.decide import engine, evidence, knowledge, questions

from .conftest import WriteRun
from .helpers import cli
from .runs import contradicting_trials

ANSWERS = sorted((Path(__file__).parent / "answers").glob("*.yaml"))
KB = knowledge.load()


def expected(path: Path) -> list[str]:
    found = re.search(r"^# expect: (.+)$", path.read_text(), re.MULTILINE)
    assert found, f"{path.name} names no expected pick"
    return found.group(1).split()


def test_every_kind_of_profile_is_there() -> None:
    names = {p.stem.split("-")[0] for p in ANSWERS}
    assert names == {"choose", "team", "case", "pick", "recommend", "leaf"}
    assert len([p for p in ANSWERS if p.stem.startswith("leaf-")]) == 7


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_the_article_pick_from_the_weighted_matrix(path: Path) -> None:
    decision = engine.decide(questions.read(path))
    assert decision.winner in expected(path), (path.stem, decision.scored.scores)
    if len(expected(path)) == 1:  # a single pick is not a coin toss
        assert decision.too_close is None, (path.stem, decision.too_close)


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_a_disagreement_is_explained_by_the_run(path: Path, write_run: WriteRun) -> None:
    run = evidence.load(write_run(contradicting_trials()), KB)
    decision = engine.decide(questions.read(path), run)
    assert decision.article_winner in expected(path)
    if decision.winner not in expected(path):
        assert decision.overruled, path.stem
        reasons = [o.text(decision.labels) for o in decision.overruled]
        assert all(f"run {run.run_id}" in r and "overruled the article" in r for r in reasons)
        winner_ahead = [o for o in decision.overruled if o.ahead == decision.winner]
        assert winner_ahead, (path.stem, reasons)


def test_the_cli_reads_an_answers_file(tmp_path: Path) -> None:
    path = next(p for p in ANSWERS if p.stem == "leaf-web-no-rush")
    done = cli("decide", "--answers", str(path), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["winner"] == "flask" and out["tree_verdict"] == "flask"
    assert out["run"] == {"id": None, "path": None, "performance": None,
                          "note": out["run"]["note"]}  # fmt: skip
    assert "article's figures" in out["run"]["note"]
