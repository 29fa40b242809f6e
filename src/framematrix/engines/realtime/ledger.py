"""Exactly once, in order: what each subscriber saw of each device, and the run's accounts.

A reading's `value` is its device's sequence number (0, 1, 2, ...), so a subscriber can tell a
gap, a duplicate and a late arrival apart without keeping every reading. What never arrived is
then sorted by the only reasons the contract allows (RULES.md, rule R9): the device wrote it to
a connection that broke, or the subscriber was reconnecting when it was published. Anything
else is `lost`, a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Range = tuple[int, int]
"""Sequence numbers `first..last`, both included."""


@dataclass
class Track:
    """One subscriber's view of one device."""

    highest: int = -1
    session: int = 0
    """The subscriber's session in which this device was last heard."""
    missing: set[int] = field(default_factory=set)
    """Skipped numbers that may still arrive (then out of order)."""
    delivered: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    excused: int = 0
    """Numbers published between two of the subscriber's sessions."""

    def saw(self, seq: int, session: int) -> None:
        if seq == self.highest + 1:
            self.highest = seq
        elif seq > self.highest:
            skipped = range(self.highest + 1, seq)
            if session != self.session and session > 1:
                self.excused += len(skipped)  # published while this subscriber was away
            else:
                self.missing.update(skipped)
            self.highest = seq
        elif seq in self.missing:
            self.missing.discard(seq)
            self.out_of_order += 1
        else:
            self.duplicated += 1
            return
        self.session = session
        self.delivered += 1

    def report(self) -> list[object]:
        """What the parent needs: [highest, missing ranges, delivered, dups, out of order,
        excused]."""
        return [
            self.highest,
            ranges(self.missing),
            self.delivered,
            self.duplicated,
            self.out_of_order,
            self.excused,
        ]


def ranges(numbers: Iterable[int]) -> list[Range]:
    """Sorted numbers as the fewest inclusive ranges."""
    found: list[Range] = []
    for n in sorted(numbers):
        if found and n == found[-1][1] + 1:
            found[-1] = (found[-1][0], n)
        else:
            found.append((n, n))
    return found


def overlap(these: Iterable[Range], those: list[Range]) -> int:
    """How many numbers lie in both sets of ranges."""
    total = 0
    for a, b in these:
        for c, d in those:
            low, high = max(a, c), min(b, d)
            if low <= high:
                total += high - low + 1
    return total


@dataclass
class Accounts:
    """Every (reading, subscriber) pair of a run, added up over subscribers and devices: the
    fields of the result's `plan.Delivery`, counted as the reports come in."""

    expected: int = 0
    delivered: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    lost: int = 0
    lost_with_connection: int = 0
    missed_resubscribing: int = 0

    def add(
        self, sent: int, broken: list[Range], seen: list[object] | None, away_at_end: bool
    ) -> None:
        """One subscriber and one device: `sent` readings (0..sent-1), `broken` the ranges
        written to connections that broke, `seen` a `Track.report()` (None: never heard)."""
        highest, missing, delivered, duplicated, out_of_order, excused = seen or (
            -1,
            [],
            0,
            0,
            0,
            0,
        )
        assert isinstance(highest, int) and isinstance(missing, list)
        assert isinstance(delivered, int) and isinstance(excused, int)
        assert isinstance(duplicated, int) and isinstance(out_of_order, int)
        self.expected += sent
        self.delivered += delivered
        self.duplicated += duplicated
        self.out_of_order += out_of_order
        self.missed_resubscribing += excused
        gaps = [(a, b) for a, b in missing]
        if highest + 1 < sent:
            tail = (highest + 1, sent - 1)
            if away_at_end:  # the subscriber's connection was down when the run ended
                self.missed_resubscribing += sent - 1 - highest
            else:
                gaps.append(tail)
        unaccounted = sum(b - a + 1 for a, b in gaps)
        with_connection = overlap(gaps, broken)
        self.lost_with_connection += with_connection
        self.lost += unaccounted - with_connection
