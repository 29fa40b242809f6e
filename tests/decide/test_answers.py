"""Bad answers give one clear line per problem and exit code 2; good ones fill in defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from framematrix.decide import groups
from framematrix.decide.questions import QUESTIONS, AnswersError, resolve

from .helpers import cli


def test_every_problem_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(
        "app_kind: mobile\nteam_size: three\npeak_rps: -5\nneeds_admin: 1\ncolour: blue\n"
    )
    done = cli("decide", "--answers", str(file))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 5, done.stderr
    assert all(line.startswith("error: ") and str(file) in line for line in lines)
    text = done.stderr
    assert "app_kind must be 'api' or 'web', got 'mobile'" in text
    assert "team_size must be a whole number, got 'three'" in text
    assert "peak_rps must be at least 0, got -5" in text
    assert "needs_admin must be true or false, got 1" in text
    assert "unknown key 'colour'" in text
    assert "Traceback" not in text
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- a\n- b\n", "must be a mapping of answers"),
        ("app_kind: [unclosed\n", "not valid"),
        ("p95_target_ms: 0\n", "p95_target_ms must be greater than 0"),
    ],
)
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "answers.yaml"
    file.write_text(content)
    done = cli("decide", "--answers", str(file))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    done = cli("decide", "--answers", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot read answers file" in done.stderr


def test_defaults_are_stated_and_used() -> None:
    answers = resolve({"team_size": 7})
    assert answers["team_size"] == 7
    assert answers["app_kind"] == "api"
    assert answers["extreme_performance"] is False
    assert "team_size" not in answers.defaulted()
    assert all(q.why for q in QUESTIONS)


def test_every_question_is_in_a_group() -> None:
    assert all(q.group in groups.BY_KEY for q in QUESTIONS)
    assert all(g.purpose and any(q.group == g.key for q in QUESTIONS) for g in groups.GROUPS)


def test_an_unanswered_question_weighs_nothing() -> None:
    """The flowchart takes its defaults on its path; the matrix reads only what was answered."""
    answers = resolve({"team_size": 7})
    assert answers.weighed["app_kind"] is None and answers.weighed["team_size"] == 7
    assert answers.values["team_experience"] == "learning"  # asked on the API path
    assert answers.values["fast_development"] is None  # not asked there: no default at all
    web = resolve({"app_kind": "web"})
    assert web.values["fast_development"] is True and web.values["team_experience"] is None
    assert web.weighed["fast_development"] is None
    steps = {s.question: s.defaulted for s in web.walk().path}
    assert steps == {"app_kind": False, "needs_admin": True, "fast_development": True}


def test_fast_development_asks_speed_against_runtime_performance() -> None:
    from framematrix.decide.knowledge import load
    from framematrix.decide.scoring import weights

    question = next(q for q in QUESTIONS if q.key == "fast_development")
    assert "runtime performance" in question.prompt and "flexib" not in question.prompt
    kb = load()
    slow = weights(kb, resolve({"fast_development": False}))
    fast = weights(kb, resolve({"fast_development": True}))
    none = weights(kb, resolve({}))
    assert slow["runtime_performance"] > none["runtime_performance"]
    assert slow["flexibility"] == none["flexibility"]  # only web apps without a rush add it
    assert fast["development_speed"] > none["development_speed"]


def test_every_question_names_its_source() -> None:
    new = ("architecture", "team_knows", "structure", "prototype", "content_heavy",
           "existing_app", "workload")  # fmt: skip
    by_key = {q.key: q for q in QUESTIONS}
    for key in new:
        assert key in by_key, key
    for q in QUESTIONS:
        assert q.why and q.prompt
    assert by_key["workload"].choices == ("database", "services", "compute")
    assert by_key["architecture"].choices == ("monolith", "microservices")
    with pytest.raises(AnswersError, match="team_knows must be a list"):
        resolve({"team_knows": ["rails"]})


def test_bool_is_not_a_number() -> None:
    with pytest.raises(AnswersError, match="peak_rps must be a number"):
        resolve({"peak_rps": True})


def test_toml_answers(tmp_path: Path) -> None:
    file = tmp_path / "answers.toml"
    file.write_text('app_kind = "web"\nneeds_admin = true\n')
    done = cli("decide", "--answers", str(file), "--json")
    assert done.returncode == 0, done.stderr
    assert '"tree_verdict": "django"' in done.stdout


def test_a_terminal_is_asked_every_question() -> None:
    """stdin a terminal and no --answers: Rich prompts group by group, typed answers, Enter for
    the defaults."""
    import json
    import os
    import pty
    import subprocess

    from framematrix.decide.render import asked

    from .helpers import FRAMEMATRIX

    answered = {"app_kind": "web", "needs_admin": "n", "fast_development": "n", "team_size": "12",
                "calls": "2"}  # fmt: skip
    typed = [answered.get(q.key, "") for q in asked()]
    assert sorted(q.key for q in asked()) == sorted(q.key for q in QUESTIONS)
    leader, follower = pty.openpty()
    done = subprocess.Popen([*FRAMEMATRIX, "decide", "--json"], stdin=follower,
                            stdout=subprocess.PIPE, stderr=follower)  # fmt: skip
    os.close(follower)
    os.write(leader, "".join(f"{line}\n" for line in typed).encode())
    out, _ = done.communicate(timeout=60)
    os.close(leader)
    assert done.returncode == 0
    result = json.loads(out)
    assert result["answers"]["app_kind"] == "web"
    assert result["answers"]["team_size"] == 12
    assert result["tree_verdict"] == "flask"
    assert result["defaulted"] == [q.key for q in QUESTIONS if q.key not in answered]
    assert result["request"]["calls"] == 2 and result["request"]["measured"] is False
