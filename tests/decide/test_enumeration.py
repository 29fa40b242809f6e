"""Every combination of the boolean and enumerated answers (numbers at a few levels): each
framework wins a fair share, and at each leaf of the article's flowchart the matrix's most
frequent winner is the flowchart's verdict."""

from __future__ import annotations

import itertools

import pytest

from framematrix.decide import knowledge, questions, scoring

from .enumeration import FRAMEWORKS, combinations, distribution

FLOOR = 0.10
"""Each framework must win at least this share of all combinations."""


@pytest.mark.slow
def test_every_framework_wins_a_fair_share(capsys: pytest.CaptureFixture[str]) -> None:
    found = distribution()
    with capsys.disabled():
        print("\n" + "\n".join(found.lines()))
    assert found.total > 100_000
    for framework in FRAMEWORKS:
        assert found.share(framework) >= FLOOR, found.lines()
    for leaf, counts in found.leaves.items():
        verdict = leaf.split(":")[0]
        assert counts.most_common(1)[0][0] == verdict, (leaf, counts)


def test_the_fast_winner_is_the_full_scoring_winner() -> None:
    kb = knowledge.load()
    for given in itertools.islice(combinations(), 0, None, 997):
        answers = questions.resolve(given)
        assert scoring.winner(kb, answers) == scoring.score(kb, answers).winner, given


def test_combinations_are_consistent_answers() -> None:
    seen = 0
    for given in itertools.islice(combinations(), 0, None, 101):
        questions.resolve(given)  # every combination is a valid answers file
        assert given["extreme_performance"] == (given["peak_rps"] > questions.EXTREME_RPS)
        if given["existing_app"] != "none":
            assert given["team_knows"] == [given["existing_app"]]
        seen += 1
    assert seen > 1000
