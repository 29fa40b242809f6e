"""Every contestant gives the same answers to the same conversation with the same seed."""

from __future__ import annotations

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract.transcript import Exchange, differences, record
from framematrix.db.init import reseed
from framematrix.db.seed import SeedSize

SEED = SeedSize(authors=50, posts=200)


@pytest.mark.slow
def test_success_bodies_are_identical(db, serve) -> None:  # type: ignore[no-untyped-def]
    transcripts: dict[str, list[Exchange]] = {}
    for name in CONTESTANTS:
        reseed(db, SEED)
        with serve(name, None, db, workers=1) as running:
            transcripts[name] = record(running.config.url)
    # The majority is the reference, so the report names the odd ones out.
    groups: dict[str, list[str]] = {}
    for name, transcript in transcripts.items():
        groups.setdefault(repr(transcript), []).append(name)
    reference = transcripts[max(groups.values(), key=len)[0]]
    report = [
        f"{name} differs:\n" + "\n".join(lines)
        for name, transcript in transcripts.items()
        if (lines := differences(reference, transcript))
    ]
    assert not report, "\n".join(report)
    assert all(exchange.status < 500 for exchange in reference)
