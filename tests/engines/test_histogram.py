"""The histogram helpers agree with hdrh's own readings."""

from __future__ import annotations

import random

import pytest

from framematrix.engines import histogram as hist


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_mean_in_one_pass_is_hdrhs_mean(seed: int) -> None:
    rng = random.Random(seed)
    histogram = hist.new()
    for _ in range(2000):
        hist.record(histogram, rng.lognormvariate(9, 1.2), rng.randint(1, 5))
    assert hist.mean_us(histogram) == pytest.approx(histogram.get_mean_value(), rel=1e-12)
    assert hist.mean_us(hist.new()) == 0.0
