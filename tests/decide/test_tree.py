"""Every leaf of the article's flowchart, given as an answers file, yields the article's verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from .helpers import cli

# (answers, the questions the flowchart asks on the way, the article's verdict)
LEAVES = [
    ({"app_kind": "web", "needs_admin": True}, ["app_kind", "needs_admin"], "django"),
    (
        {"app_kind": "web", "needs_admin": False, "fast_development": True},
        ["app_kind", "needs_admin", "fast_development"],
        "django",
    ),
    (
        {"app_kind": "web", "needs_admin": False, "fast_development": False},
        ["app_kind", "needs_admin", "fast_development"],
        "flask",
    ),
    (
        {"app_kind": "api", "extreme_performance": True},
        ["app_kind", "extreme_performance"],
        "fastapi",
    ),
    (
        {"app_kind": "api", "extreme_performance": False, "auto_api_docs": True},
        ["app_kind", "extreme_performance", "auto_api_docs"],
        "fastapi",
    ),
    (
        {
            "app_kind": "api",
            "extreme_performance": False,
            "auto_api_docs": False,
            "team_experience": "experienced",
        },
        ["app_kind", "extreme_performance", "auto_api_docs", "team_experience"],
        "flask",
    ),
    (
        {
            "app_kind": "api",
            "extreme_performance": False,
            "auto_api_docs": False,
            "team_experience": "learning",
        },
        ["app_kind", "extreme_performance", "auto_api_docs", "team_experience"],
        "fastapi",
    ),
]


@pytest.mark.parametrize(("answers", "asked", "verdict"), LEAVES)
def test_each_leaf_gives_the_articles_verdict(
    tmp_path: Path, answers: dict[str, object], asked: list[str], verdict: str
) -> None:
    file = tmp_path / "answers.yaml"
    file.write_text(yaml.safe_dump(answers))
    done = cli("decide", "--answers", str(file), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["tree_verdict"] == verdict
    assert [step["question"] for step in out["tree_path"]] == asked
    assert [step["answer"] for step in out["tree_path"]] == [answers[k] for k in asked]
    assert out["winner"] == out["ranking"][0]["framework"]
    assert {r["framework"] for r in out["ranking"]} == {"django", "fastapi", "flask"}
    assert out["matrix_agrees"] == (out["winner"] == verdict)


def test_extreme_performance_defaults_from_peak_rps(tmp_path: Path) -> None:
    file = tmp_path / "answers.json"
    file.write_text(json.dumps({"app_kind": "api", "peak_rps": 1500}))
    out = json.loads(cli("decide", "--answers", str(file), "--json").stdout)
    assert out["tree_path"][1] == {
        "question": "extreme_performance",
        "text": "Do you need extreme performance (>1000 req/s)?",
        "answer": True,
        "defaulted": True,
    }
    assert out["tree_verdict"] == "fastapi"
    assert "extreme_performance" in out["defaulted"]
