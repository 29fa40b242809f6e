"""The database's unique constraint decides a race for one email (RULES.md 18)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract.client import Client

RACERS = 20


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("contestant", list(CONTESTANTS))
def test_one_email_twenty_creates(contestant, pg_db, serve) -> None:  # type: ignore[no-untyped-def]
    # Two workers (and each server's own threads or event loop), so requests truly overlap.
    running = serve(contestant, None, pg_db, workers=2)
    start = threading.Barrier(RACERS)
    body = {"name": "Racer", "email": "race@example.com"}

    def create(_: int) -> int:
        client = Client(running.config.url)
        start.wait()
        return client.post("/authors", body).status

    with ThreadPoolExecutor(RACERS) as pool:
        statuses = Counter(pool.map(create, range(RACERS)))
    assert statuses == {201: 1, 409: RACERS - 1}
    listed = Client(running.config.url).get("/authors?limit=100&offset=0").json()
    assert [a["email"] for a in listed].count(body["email"]) == 1
