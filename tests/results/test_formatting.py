"""One way to write a figure everywhere: a median with its range, a ratio with its range."""

from __future__ import annotations

from framematrix.results.formatting import MISSING, number, spread, times
from framematrix.results.summary import Spread


def test_numbers_keep_three_significant_digits_below_100() -> None:
    assert number(2847.4) == "2,847"
    assert number(45.25) == "45.2"
    assert number(0.01234) == "0.0123"
    assert number(1.5, digits=3) == "1.500"


def test_a_spread_shows_its_range_only_with_two_trials_or_more() -> None:
    assert spread(Spread(740.0, 700.0, 750.0, 3)) == "740 (700…750)"
    assert spread(Spread(740.0, 740.0, 740.0, 1)) == "740"
    assert spread(Spread(45.0, 44.0, 47.5, 2), digits=1) == "45.0 (44.0…47.5)"
    assert spread(None) == MISSING


def test_a_ratio_is_written_hyperfine_style() -> None:
    assert times(Spread(1.4, 1.38, 1.71, 3)) == "1.40x (1.38…1.71)"
    assert times(Spread(0.27, 0.27, 0.27, 1)) == "0.27x"
    assert times(None) == MISSING
