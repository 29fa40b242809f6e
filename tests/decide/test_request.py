"""Your request: its questions (bounds as `GET /work`'s, one line per problem), its neighbours,
and the measured line and flip points judged from hand-made runs (no load sent: the figures are
the test's, paired by round, with an A/A control)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from framematrix.contract import work
from framematrix.decide import engine, evidence, knowledge, measured
from framematrix.decide.questions import BY_KEY, AnswersError, resolve
from framematrix.results.store import Run
from framematrix.trials import TrialResult
from support.runs import make_run, trial

from .helpers import cli

KB = knowledge.load()
ROUNDS = (1.00, 1.04, 0.97, 1.02)
"""What the machine does to each round: every contestant alike, so paired ratios cancel it."""
JITTER = {"django": (1.0, 0.99, 1.01, 1.0), "fastapi": (1.01, 1.0, 0.99, 1.0),
          "flask": (0.99, 1.01, 1.0, 1.0), "copy": (1.0, 1.01, 0.99, 1.005)}  # fmt: skip
CALLS_2 = {"django": 100.0, "fastapi": 400.0, "flask": 100.0}
CALLS_1 = {"django": 160.0, "fastapi": 420.0, "flask": 160.0}
NO_CALLS = {"django": 300.0, "fastapi": 305.0, "flask": 500.0}


def point_trials(scenario: str, figures: dict[str, float]) -> list[TrialResult]:
    """Four rounds of each framework and of Django's A/A copy at one workload."""
    found = []
    for name, rps in {**figures, "copy": figures["django"]}.items():
        contestant = "django" if name == "copy" else name
        for i, (machine, own) in enumerate(zip(ROUNDS, JITTER[name], strict=True)):
            result = trial(contestant, rps * machine * own, scenario=scenario, index=i)
            if name == "copy":
                result.spec = replace(result.spec, point=replace(result.spec.point, replica=1))
            found.append(result)
    return found


def requested(root: Path, upstream_ms: float = 50.0) -> Run:
    results = point_trials("work-c2", CALLS_2) + point_trials("work-c1", CALLS_1)
    results += point_trials("work-0", NO_CALLS)
    return make_run(root, results, upstream_ms=upstream_ms, trials=4)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"queries": 21}, "queries must be at most 20, got 21"),
        ({"calls": -1}, "calls must be at least 0, got -1"),
        ({"items": 2.5}, "items must be a whole number, got 2.5"),
        ({"compute_ms": "lots"}, "compute_ms must be a whole number, got 'lots'"),
        ({"upstream_ms": 5000}, "upstream_ms must be at most 1000, got 5000"),
    ],
)
def test_request_answers_are_bounded_as_the_endpoint(
    given: dict[str, object], message: str
) -> None:
    with pytest.raises(AnswersError) as found:
        resolve(given)
    assert found.value.problems == [message]


def test_the_request_questions_are_one_group_with_the_peak_rate() -> None:
    keys = (*work.PARAMS, "upstream_ms", "peak_rps")
    assert {BY_KEY[key].group for key in keys} == {"request"}
    assert all(BY_KEY[key].maximum == high for key, high in work.BOUNDS.items())
    assert resolve({"team_size": 3}).request is None  # nothing of a request answered
    request = resolve({"calls": 2, "items": 20, "peak_rps": 300}).request
    assert request is not None and request.scenario == "work-c2-i20"
    assert request.upstream_ms == 50.0 and request.peak_rps == 300
    assert request.describe() == "2 upstream calls of 50 ms, 20 items in the response"
    assert [n.spec.name for n in request.neighbours()] == ["work-i20", "work-c2", "work-c1-i20"]
    assert request.neighbours()[0].words == "with 0 upstream calls"


def test_bad_answers_in_a_file_are_one_line_each(tmp_path: Path) -> None:
    file = tmp_path / "answers.yaml"
    file.write_text("queries: 50\ncalls: 1.5\nupstream_ms: -3\n")
    done = cli("decide", "--answers", str(file))
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), done.stderr
    assert "queries must be at most 20, got 50" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measure"], "--measure needs your request"),
        (["--duration", "2s"], "--duration measures your request: add --measure"),
        (["--measure", "--no-run"], "--measure makes its own run"),
        (["--tuning", "equal,best"], "under one --tuning"),
    ],
)
def test_bad_measure_options_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    file = tmp_path / "answers.yaml"
    file.write_text("team_size: 3\n")
    done = cli("decide", "--answers", str(file), *args)
    assert done.returncode == 2, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr


def test_the_measured_line_and_where_it_flips(tmp_path: Path) -> None:
    run = evidence.load(requested(tmp_path).path, KB)
    decision = engine.decide(resolve({"calls": 2}), run)
    found = decision.on_request
    assert isinstance(found, measured.MeasuredRequest)
    line = found.line()
    assert line.startswith("for your request: FastAPI ") and " Django (" in line
    assert line.index("FastAPI") < line.index("Flask")  # best first, over Django
    assert line.endswith("at 64 concurrent users, under equal settings")
    assert found.standing.leader == "fastapi"
    pairs = {frozenset((p.ahead, p.behind)): p.judged for p in found.standing.pairs().values()}
    assert pairs[frozenset(("django", "flask"))] == "equal"  # within the run's own noise
    flips = {f.neighbour.spec.name: f for f in found.flips}
    assert flips["work-0"].flips and "with 0 upstream calls Flask leads" in flips["work-0"].text
    assert "FastAPI and Django are within the noise" in flips["work-0"].text
    assert not flips["work-c1"].flips and flips["work-c1"].text.endswith("the order holds")
    # the request's points stand for performance, not the workload answer's
    assert (
        decision.evidence is not None and "your request's points (work-c2" in decision.evidence.note
    )
    assert decision.rating("runtime_performance", "fastapi").score == 5.0


def test_decide_run_json_and_terminal_lead_with_the_request(tmp_path: Path) -> None:
    run = requested(tmp_path / "runs")
    answers = tmp_path / "answers.yaml"
    answers.write_text("calls: 2\npeak_rps: 200\n")
    done = cli("decide", "--answers", str(answers), "--run", str(run.path), "--json")
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)["request"]
    assert request["measured"] and request["workload"] == "work-c2"
    assert request["line"].startswith("for your request: FastAPI")
    assert request["reference"] == "django" and request["leader"] == "fastapi"
    assert request["ranking"][0]["framework"] == "fastapi"
    assert {f["workload"]: f["flips"] for f in request["flips"]} == {
        "work-0": True,
        "work-c1": False,
    }
    shown = cli("decide", "--answers", str(answers), "--run", str(run.path))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("for your request: FastAPI"), shown.stdout
    assert "Where the answer would flip" in shown.stdout
    assert max(len(line) for line in lines) <= 100


def test_a_run_without_the_request_is_a_one_line_error(tmp_path: Path) -> None:
    run = requested(tmp_path / "runs")
    answers = tmp_path / "answers.yaml"
    answers.write_text("calls: 3\n")
    done = cli("decide", "--answers", str(answers), "--run", str(run.path))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "did not measure your request (work-c3)" in done.stderr
    assert "decide --measure" in done.stderr
    slower = tmp_path / "slower.yaml"
    slower.write_text("calls: 2\nupstream_ms: 200\n")
    done = cli("decide", "--answers", str(slower), "--run", str(run.path))
    assert done.returncode == 2 and "with a 50 ms upstream, not your 200 ms" in done.stderr
    # the latest run by default: no error, the request said to be unmeasured
    done = cli("decide", "--answers", str(answers), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)["request"]
    assert request["measured"] is False and "work-c3" in request["why"]
