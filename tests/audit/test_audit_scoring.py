"""Observatory-style scoring from hand-made probe results: modifiers, the bonus rule, grades."""

from __future__ import annotations

from pathlib import Path

import pytest

from framematrix.audit import scoring
from framematrix.audit.model import ProbeResult
from framematrix.audit.probes import PROBE_NAMES


def result(name: str, outcome: str) -> ProbeResult:
    return ProbeResult(name, scoring.MODIFIERS[outcome] >= 0, "hand-made", outcome)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(135, "A+"), (100, "A+"), (99, "A"), (90, "A"), (89, "A-"), (85, "A-"), (84, "B+"),
     (80, "B+"), (79, "B"), (70, "B"), (69, "B-"), (65, "B-"), (64, "C+"), (60, "C+"),
     (59, "C"), (50, "C"), (49, "C-"), (45, "C-"), (44, "D+"), (40, "D+"), (39, "D"),
     (30, "D"), (29, "D-"), (25, "D-"), (24, "F"), (0, "F")],
)  # fmt: skip
def test_observatory_grade_boundaries(score: int, grade: str) -> None:
    assert scoring.grade(score) == grade


def test_bonuses_count_at_ninety_or_more() -> None:
    # -10 leaves 90: the +5 bonuses count.
    results = [
        result("host-header", "host-accepted"),
        result("referrer-policy", "referrer-private"),
        result("cookie-samesite", "cookie-all-flags"),
    ]
    score = scoring.score(results)
    assert (score.before_bonus, score.score, score.grade) == (90, 100, "A+")
    assert score.modifiers == {"host-header": -10, "referrer-policy": 5, "cookie-samesite": 5}


def test_bonuses_do_not_count_below_ninety() -> None:
    results = [
        result("strict-transport-security", "hsts-short"),
        result("methods", "methods-no-405"),
        result("referrer-policy", "referrer-private"),
        result("content-security-policy", "csp-strict"),
    ]
    score = scoring.score(results)
    assert (score.before_bonus, score.score, score.grade) == (85, 85, "A-")
    assert score.modifiers["referrer-policy"] == 0


def test_score_never_goes_below_zero() -> None:
    results = [
        result("cors", "cors-credentials-any-origin"),
        result("sql-injection", "sqli-error"),
        result("password-storage", "password-plaintext"),
    ]
    assert (scoring.score(results).score, scoring.score(results).grade) == (0, "F")


def test_not_applicable_and_cannot_tell_are_neutral() -> None:
    results = [
        ProbeResult.not_applicable("csrf", "no web side"),
        ProbeResult.cannot_tell("xss", "no page"),
    ]
    assert scoring.score(results).score == 100


def test_an_outcome_missing_from_the_table_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no-such-outcome"):
        scoring.score([ProbeResult("csrf", False, "", "no-such-outcome")])


def test_every_probe_has_rules_and_docs_carry_the_table() -> None:
    assert {r.probe for r in scoring.RULES} - {"(any)"} == set(PROBE_NAMES)
    docs = Path(scoring.__file__).with_name("AUDIT.md").read_text()
    assert scoring.markdown_table() in docs
