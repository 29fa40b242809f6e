"""GET /posts runs the same number of SQL statements whatever its `limit` (RULES.md 7).

Statements are counted on the wire by a proxy in front of PostgreSQL (`measure.pg_wire`), so no
contestant needs a hook and none can hide a query from the count.
"""

from __future__ import annotations

import urllib.request

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.measure.db_work import tally
from framematrix.measure.pg_wire import PgProxy, proxied


def _statements(proxy: PgProxy, url: str) -> int:
    mark = proxy.mark()
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        response.read()
    proxy.settle()  # pools may send their reset (ROLLBACK) just after the answer
    return tally(proxy.since(mark)).statements


def _fewest(proxy: PgProxy, url: str, tries: int = 3) -> int:
    """The steady count: the least over a few requests, once connections are warm."""
    return min(_statements(proxy, url) for _ in range(tries))


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("contestant", list(CONTESTANTS))
def test_no_n_plus_one_on_posts(contestant, pg_db, serve) -> None:  # type: ignore[no-untyped-def]
    with proxied(pg_db) as proxy:
        running = serve(contestant, None, proxy.through(pg_db), workers=1)
        small, large = (f"{running.config.url}/posts?limit={n}" for n in (5, 50))
        for url in (small, large):  # warm-up: connections, prepared statements, type lookups
            _statements(proxy, url)
        counts = {5: _fewest(proxy, small), 50: _fewest(proxy, large)}
    if "n+1" in CONTESTANTS[contestant].flaws:
        # One query per distinct author on the page: proof that the count sees an N+1.
        assert counts[50] > counts[5] + 10, f"expected the article's N+1, counted {counts}"
    else:
        assert counts[5] == counts[50] > 0, f"statements per GET /posts by limit: {counts}"
