"""GET /posts runs the same number of SQL statements whatever its `limit` (RULES.md 7).

Statements are counted on the wire by a proxy in front of PostgreSQL, so no contestant needs a
hook and none can hide a query from the count.
"""

from __future__ import annotations

import time
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.db.url import DatabaseURL
from support.pg_proxy import PgProxy, pg_proxy

SETTLE_S = 0.2
"""Pools may send their reset (ROLLBACK) just after the answer; wait for it before reading."""


def _through(proxy: PgProxy, db: DatabaseURL) -> DatabaseURL:
    """The same database, reached through the proxy."""
    parts = urlsplit(db.url)
    user = parts.netloc.rpartition("@")[0]
    host = f"127.0.0.1:{proxy.port}"
    return DatabaseURL.parse(urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host)))


def _statements(proxy: PgProxy, url: str) -> int:
    before = proxy.statements
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        response.read()
    time.sleep(SETTLE_S)
    return proxy.statements - before


def _fewest(proxy: PgProxy, url: str, tries: int = 3) -> int:
    """The steady count: the least over a few requests, once connections are warm."""
    return min(_statements(proxy, url) for _ in range(tries))


@pytest.mark.postgres
def test_proxy_counts_every_statement(pg_db) -> None:  # type: ignore[no-untyped-def]
    parts = urlsplit(pg_db.url)
    with pg_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        conn = psycopg.connect(_through(proxy, pg_db).url, autocommit=True)
        with conn:
            before = proxy.statements
            for _ in range(7):
                conn.execute("SELECT 1").fetchone()
            conn.execute("SELECT %s::int", (5,)).fetchone()
            time.sleep(SETTLE_S)
            assert proxy.statements - before == 8


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("contestant", list(CONTESTANTS))
def test_no_n_plus_one_on_posts(contestant, pg_db, serve) -> None:  # type: ignore[no-untyped-def]
    parts = urlsplit(pg_db.url)
    with pg_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        running = serve(contestant, None, _through(proxy, pg_db), workers=1)
        small, large = (f"{running.config.url}/posts?limit={n}" for n in (5, 50))
        for url in (small, large):  # warm-up: connections, prepared statements, type lookups
            _statements(proxy, url)
        counts = {5: _fewest(proxy, small), 50: _fewest(proxy, large)}
    if "n+1" in CONTESTANTS[contestant].flaws:
        # One query per distinct author on the page: proof that the count sees an N+1.
        assert counts[50] > counts[5] + 10, f"expected the article's N+1, counted {counts}"
    else:
        assert counts[5] == counts[50] > 0, f"statements per GET /posts by limit: {counts}"
