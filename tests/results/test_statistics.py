"""The intervals verdicts rest on have the coverage they claim, proven on trials whose truth is
known: rounds of synthetic trials drawn from one noisy model of a shared machine (a drift that
hits a whole round, and noise of each trial), seeded so that every figure here repeats."""

from __future__ import annotations

import math
import random

import pytest

from framematrix.results.statistics import (
    LEVEL,
    MIN_TIE,
    Interval,
    level_for,
    median,
    ratio,
    side,
    t_cdf,
    t_quantile,
)

REPETITIONS = 2000
ROUNDS = 5
"""The rounds the default `matrix` measures each point in."""
DRIFT = 0.15
"""A round's drift (log scale): 15%, the size of the trials' spread on a busy 2-core machine."""
NOISE = 0.08
"""Each trial's own noise (log scale) once the round's drift is paired away."""


def trials(
    rng: random.Random, truth: float, rounds: int, noise: float = NOISE
) -> tuple[dict[int, float], dict[int, float]]:
    """A's and B's figure in each round; A is `truth` times B."""
    a, b = {}, {}
    for r in range(rounds):
        drift = rng.gauss(0, DRIFT)
        a[r] = 1000 * truth * math.exp(drift + rng.gauss(0, noise))
        b[r] = 1000 * math.exp(drift + rng.gauss(0, noise))
    return a, b


def intervals(truth: float, rounds: int, seed: int, noise: float = NOISE) -> list[Interval]:
    rng = random.Random(seed)
    found = []
    for _ in range(REPETITIONS):
        interval = ratio(*trials(rng, truth, rounds, noise))
        assert interval is not None
        found.append(interval)
    return found


def test_t_quantiles_are_the_tables() -> None:
    # Student's t, two-sided 95%: the values every table prints.
    for df, value in ((1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (30, 2.042)):
        assert t_quantile(0.975, df) == pytest.approx(value, abs=0.001)
        assert t_cdf(value, df) == pytest.approx(0.975, abs=0.0002)
    assert t_quantile(0.025, 4) == pytest.approx(-2.776, abs=0.001)


@pytest.mark.parametrize("rounds", [3, ROUNDS, 8])
@pytest.mark.parametrize("truth", [1.0, 1.3])
def test_the_interval_covers_the_truth_as_often_as_it_says(truth: float, rounds: int) -> None:
    found = intervals(truth, rounds, seed=rounds * 100 + int(truth * 10))
    covered = sum(i.low <= truth <= i.high for i in found) / len(found)
    # 95% by design; 2,000 repetitions put the rate within about 1 point of it.
    assert LEVEL - 0.02 <= covered <= LEVEL + 0.02, covered


def test_equal_contestants_are_called_apart_in_at_most_five_percent() -> None:
    found = intervals(1.0, ROUNDS, seed=7)
    apart = sum(side(i, tie=MIN_TIE) in ("above", "below") for i in found) / len(found)
    assert apart <= 0.05, apart


def test_a_true_thirty_percent_difference_is_found_most_of_the_time() -> None:
    found = intervals(1.3, ROUNDS, seed=8)
    verdicts = [side(i, tie=MIN_TIE) for i in found]
    assert verdicts.count("above") / len(found) >= 0.5, verdicts.count("above")
    assert "below" not in verdicts, "never the wrong way round"


def test_more_noise_widens_the_interval_and_keeps_its_coverage() -> None:
    quiet, noisy = intervals(1.0, ROUNDS, seed=9, noise=0.04), intervals(1.0, ROUNDS, 9, 0.2)
    width = [
        sorted(math.log(i.high / i.low) for i in group)[len(group) // 2] for group in (quiet, noisy)
    ]
    assert width[1] > 3 * width[0]  # five times the noise: about five times as wide
    covered = sum(i.low <= 1 <= i.high for i in noisy) / len(noisy)
    assert covered >= LEVEL - 0.02


def test_the_drift_of_a_round_is_paired_away() -> None:
    """Without pairing, a drift of 15% per round would swamp a 30% difference at 5 rounds."""
    found = intervals(1.3, ROUNDS, seed=10)
    assert sum(i.low > 1 + MIN_TIE for i in found) / len(found) > 0.5


def test_repeated_looks_keep_the_overall_error() -> None:
    """Judging equal contestants after 3, 6 and 9 rounds, stopping at the first "apart": with
    Pocock's level at each look the false verdicts stay near 5% of the runs, where 95% at every
    look would let them grow."""
    rng = random.Random(11)
    false_pocock = false_naive = 0
    for _ in range(REPETITIONS):
        a, b = trials(rng, 1.0, 9)
        looks = [({r: a[r] for r in range(n)}, {r: b[r] for r in range(n)}) for n in (3, 6, 9)]
        false_pocock += any(
            (i := ratio(x, y, level_for(3))) is not None and (i.low > 1 or i.high < 1)
            for x, y in looks
        )
        false_naive += any(
            (i := ratio(x, y)) is not None and (i.low > 1 or i.high < 1) for x, y in looks
        )
    assert false_pocock / REPETITIONS <= 0.065, false_pocock
    assert false_naive > false_pocock


def test_too_few_rounds_give_no_interval() -> None:
    assert ratio({0: 1.0, 1: 2.0}, {0: 1.0, 1: 1.0}) is None
    assert ratio({0: 1.0, 1: 2.0, 5: 3.0}, {0: 1.0, 1: 1.0, 6: 1.0}) is None  # unpaired
    assert ratio({0: 1.0, 1: 0.0, 2: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0}) is None
    assert median([1.0, 2.0]) is None


def test_side_against_a_target_and_its_tie_zone() -> None:
    assert side(Interval(0.97, 1.04)) == "equal"
    assert side(Interval(1.06, 1.30)) == "above"
    assert side(Interval(0.50, 0.90)) == "below"
    assert side(Interval(0.98, 1.20)) == "undecided"
    assert side(Interval(3.5, 4.1), target=3.83, tie=0.10) == "equal"
    assert side(Interval(1.1, 1.4), target=3.83, tie=0.10) == "below"


def test_a_median_interval_covers_the_truth() -> None:
    rng = random.Random(12)
    covered = 0
    for _ in range(REPETITIONS):
        values = [1000 * math.exp(rng.gauss(0, 0.1)) for _ in range(ROUNDS)]
        interval = median(values)
        assert interval is not None
        covered += interval.low <= 1000 <= interval.high
    assert LEVEL - 0.02 <= covered / REPETITIONS <= LEVEL + 0.02
