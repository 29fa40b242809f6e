"""Latency histograms: one HdrHistogram form (microseconds) for every engine.

Engines that report only percentiles (wrk's Lua API, ab's CSV) are turned into the same form by
placing each slice of the requests at the value that bounds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hdrh.histogram import HdrHistogram

LOWEST_US = 1
HIGHEST_US = 3_600_000_000
"""One hour: open-loop latencies, measured from the intended send time, can exceed any timeout."""
SIGNIFICANT_DIGITS = 3
EXACT_BITS = 11
EXACT_BELOW = 1 << EXACT_BITS
"""HdrHistogram's sub-bucket count for 3 significant digits: values below it are kept exactly."""


def new() -> HdrHistogram:
    return HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)


def record(histogram: HdrHistogram, value_us: float, count: int = 1) -> None:
    histogram.record_value(min(max(int(value_us), LOWEST_US), HIGHEST_US), count)


def encode(histogram: HdrHistogram) -> str:
    encoded: bytes = histogram.encode()  # hdrh is unannotated
    return encoded.decode("ascii")


def decode(encoded: str) -> HdrHistogram:
    return HdrHistogram.decode(encoded.encode("ascii"))


def mean_us(histogram: HdrHistogram) -> float:
    """The mean as hdrh's `get_mean_value` gives it (each bucket at the middle of its range), in
    one pass over the counts: hdrh's own walks an iterator object per value, about 25 ms for a
    trial's histogram, which every trial paid."""
    total, counts = 0, histogram.counts
    for index in range(histogram.counts_len):
        if count := counts[index]:
            value = histogram.get_value_from_index(index)
            low = histogram.get_lowest_equivalent_value(value)
            high = histogram.get_highest_equivalent_value(value)
            total += count * (low + ((high - low + 1) >> 1))
    return total / histogram.get_total_count() if histogram.get_total_count() else 0.0


def merge(encoded: Iterable[str]) -> HdrHistogram:
    total = new()
    for text in encoded:
        total.add(decode(text))
    return total


def from_percentiles(
    points: Iterable[tuple[float, float]],
    total: int,
    max_us: float,
    rank: Callable[[float, int], int],
) -> HdrHistogram:
    """Rebuild a histogram of `total` requests from (percentile, value in µs) points.

    `rank(percentile, total)` is the tool's own rule for which request (1-based, in latency
    order) its percentile reports. The requests ranked between two points are placed at the
    upper point's value, so every given point reads back as given; those above the last point
    sit at `max_us`.
    """
    histogram = new()
    placed = 0
    for percentile, value in sorted(points):
        upto = min(total, rank(percentile, total))
        if upto > placed:
            record(histogram, value, upto - placed)
            placed = upto
    if total > placed:
        record(histogram, max_us, total - placed)
    return histogram


class Recorder:
    """Counts latencies at HdrHistogram's own resolution in a dict, and makes the histogram at
    the end: about a fifth of the cost of `HdrHistogram.record_value` (pure Python) per
    response, and the same histogram.

    With 3 significant digits, HdrHistogram keeps every value below 2048 exactly and, above,
    one slot per 2**k values (k = bit length - 11); each value is counted at its slot's lowest
    value, which reads back through every query (percentiles, max, mean, encoding) as the
    original would.
    """

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def record(self, value_us: int) -> None:
        if value_us >= EXACT_BELOW:
            shift = value_us.bit_length() - EXACT_BITS
            value_us = value_us >> shift << shift
        elif value_us < LOWEST_US:
            value_us = LOWEST_US
        counts = self.counts
        counts[value_us] = counts.get(value_us, 0) + 1

    def histogram(self) -> HdrHistogram:
        histogram = new()
        for value, count in self.counts.items():
            record(histogram, value, count)
        return histogram
