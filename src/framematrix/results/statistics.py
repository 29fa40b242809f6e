"""Intervals for what verdicts compare: paired rounds and a Student-t interval on log ratios.

Why this method. A run measures each load point in rounds: every contestant once per round, in
a fresh random order. What a shared machine does to a round (a noisy neighbour, a frequency
change, a warmer cache) hits every contestant of that round alike, so the ratio of two
contestants *within* a round cancels it, and the rounds' log ratios are close to independent,
normal draws around the true log ratio (a ratio of throughputs is multiplicative noise). The
Student-t interval on their mean then has the coverage it names for any number of rounds, the
three or five a run affords included, which a bootstrap over so few trials does not (with two
trials a side its "95%" is the min…max of the ratios and covers far less).

- `ratio(a, b)`: rounds measured on both sides are paired; the interval of the ratio of a's
  figure to b's, at `level`.
- `median(a)`: one figure's interval (a threshold claim: 10,000 req/s), on the log of the trials.
- Repeated looks: a budget that judges again after each extra batch of rounds looks several
  times, and each look is another chance of a false verdict. `level_for(looks)` is Pocock's
  constant nominal level for that many looks at an overall error of 5%, used at every look, so
  a verdict stays at 95% however many looks the budget takes (up to `MAX_LOOKS`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

LEVEL = 0.95
MIN_TIE = 0.05
"""The least tie zone: differences under 5% are never called real, however quiet the run."""
MIN_ROUNDS = 3
"""Fewer rounds give no spread to judge noise by (two rounds: one degree of freedom)."""
MAX_ERROR_SHARE = 0.01
"""A side answering more of its requests with errors is not compared: errors are fast."""
POCOCK = {1: 0.05, 2: 0.0294, 3: 0.0221, 4: 0.0182, 5: 0.0158}
"""Pocock (1977), two-sided nominal level per look for an overall 0.05 with K equally spaced
looks."""
MAX_LOOKS = max(POCOCK)
METHOD = (
    "paired rounds (every contestant once per round, in a fresh random order), a Student-t "
    "interval on the rounds' log ratios"
)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float = LEVEL
    n: int = 0
    """How many rounds (or trials) it rests on."""
    estimate: float = 0.0
    """The figure itself: the geometric mean of the rounds' ratios (or of the trials)."""

    def inside(self, low: float, high: float) -> bool:
        return low <= self.low and self.high <= high

    def outside(self, low: float, high: float) -> bool:
        return self.high < low or self.low > high


Side = Literal["above", "below", "equal", "undecided"]
"""Where a ratio lies against a tie zone around a target: clearly above it, clearly below it,
inside it, or not told apart yet (the interval straddles an edge)."""


def side(interval: Interval, target: float = 1.0, tie: float = MIN_TIE) -> Side:
    """The ratio's interval against `target`'s tie zone, `target / (1 + tie)` to
    `target * (1 + tie)`: only a straddling interval can change with more rounds."""
    low, high = target / (1 + tie), target * (1 + tie)
    if interval.inside(low, high):
        return "equal"
    if interval.low > high:
        return "above"
    if interval.high < low:
        return "below"
    return "undecided"


Lead = Literal["a", "b", "equal", "undecided"]
"""Which of two series is higher: a, b, level (inside the tie zone), or not told apart yet."""


def lead(
    a: Mapping[int, float], b: Mapping[int, float], tie: float, level: float = LEVEL
) -> tuple[Lead, Interval | None]:
    """Which of a and b is higher, from the interval of a / b against the tie zone around 1;
    undecided without an interval (fewer than `MIN_ROUNDS` shared rounds)."""
    interval = ratio(a, b, level)
    if interval is None:
        return "undecided", None
    where = side(interval, 1.0, tie)
    return ("a" if where == "above" else "b" if where == "below" else where), interval


def level_for(looks: int) -> float:
    """The confidence level each of `looks` looks uses so that all of them together err at 5%."""
    return 1 - POCOCK[min(max(looks, 1), MAX_LOOKS)]


def ratio(a: Mapping[int, float], b: Mapping[int, float], level: float = LEVEL) -> Interval | None:
    """The interval of a / b from the rounds both were measured in (`{round: figure}`); None
    with fewer than `MIN_ROUNDS` such rounds or a figure that is not positive."""
    rounds = sorted(set(a) & set(b))
    logs = [math.log(a[r] / b[r]) for r in rounds if a[r] > 0 and b[r] > 0]
    return log_interval(logs, level) if len(logs) == len(rounds) else None


def median(a: Sequence[float], level: float = LEVEL) -> Interval | None:
    """One figure's interval from its trials (the log scale: throughput is multiplicative)."""
    logs = [math.log(v) for v in a if v > 0]
    return log_interval(logs, level) if len(logs) == len(a) else None


def log_interval(logs: Sequence[float], level: float = LEVEL) -> Interval | None:
    """The interval, as a ratio, of the mean of log ratios (or log figures); None with fewer
    than `MIN_ROUNDS` of them."""
    if len(logs) < MIN_ROUNDS:
        return None
    low, high, mean = (math.exp(v) for v in _t_interval(logs, level))
    return Interval(low, high, level, len(logs), mean)


def _t_interval(values: Sequence[float], level: float) -> tuple[float, float, float]:
    """(low, high, mean) of the Student-t interval of the values' mean."""
    n = len(values)
    mean = statistics.fmean(values)
    half = t_quantile(1 - (1 - level) / 2, n - 1) * statistics.stdev(values) / math.sqrt(n)
    return mean - half, mean + half, mean


@cache
def t_quantile(p: float, df: int) -> float:
    """Student's t quantile: the x with P(T <= x) = p, by bisection on the exact CDF."""
    if not 0 < p < 1 or df < 1:
        raise ValueError("t_quantile needs 0 < p < 1 and df >= 1")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def t_cdf(x: float, df: int) -> float:
    """P(T <= x) for Student's t with `df` degrees of freedom (the regularised incomplete beta
    function, by its continued fraction)."""
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + x * x))
    return 1 - tail if x >= 0 else tail


def f_cdf(x: float, d1: int, d2: int) -> float:
    """P(F <= x) for Snedecor's F with (d1, d2) degrees of freedom: whether two variances agree."""
    if x <= 0:
        return 0.0
    return _incomplete_beta(d1 / 2, d2 / 2, d1 * x / (d1 * x + d2))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _fraction(a, b, x) / a
    return 1 - front * _fraction(b, a, 1 - x) / b


def _fraction(a: float, b: float, x: float) -> float:
    """Lentz's method for the incomplete beta function's continued fraction."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-12:
            break
    return result


def rounded(value: float | None) -> float | None:
    """A ratio or figure as `--json` gives it: four decimals."""
    return None if value is None else round(value, 4)


def bounds(interval: Interval | None) -> list[float] | None:
    """An interval as `--json` gives it: `[low, high]`, four decimals each."""
    return None if interval is None else [round(interval.low, 4), round(interval.high, 4)]
