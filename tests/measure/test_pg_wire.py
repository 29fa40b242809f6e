"""The wire proxy counts round trips, statements, transactions and connections by db_work's rules.

Real PostgreSQL, real drivers (psycopg for the simple and extended protocols, asyncpg for
prepared statements), so each rule is checked against what a driver really sends.
"""

from __future__ import annotations

import asyncio

import asyncpg
import psycopg
import pytest

from framematrix.measure.db_work import Work, tally
from framematrix.measure.pg_wire import PgProxy, proxied, split_statements

pytestmark = pytest.mark.postgres


def _work(proxy: PgProxy, mark: int) -> Work:
    proxy.settle()
    return tally(proxy.since(mark))


def test_autocommit_statements_are_one_round_trip_and_one_transaction_each(pg_db) -> None:  # type: ignore[no-untyped-def]
    with proxied(pg_db) as proxy:
        url = proxy.through(pg_db).url
        with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
            mark = proxy.mark()
            for _ in range(7):
                conn.execute("SELECT 1").fetchone()
            conn.execute("SELECT %s::int", (5,)).fetchone()  # extended protocol
            work = _work(proxy, mark)
    assert (work.round_trips, work.statements, work.transactions) == (8, 8, 8)
    assert work.connections == 0
    assert work.trace == ("SELECT 1",) * 7 + ("SELECT $1::int",)


def test_an_explicit_transaction_counts_once_and_its_control_is_no_statement(pg_db) -> None:  # type: ignore[no-untyped-def]
    with proxied(pg_db) as proxy:
        url = proxy.through(pg_db).url
        with psycopg.connect(url, prepare_threshold=None) as conn:
            mark = proxy.mark()
            conn.execute("SELECT count(*) FROM authors").fetchone()
            conn.execute("UPDATE authors SET name = name WHERE id = %s", (1,))
            conn.commit()
            work = _work(proxy, mark)
    assert work.trace == ("BEGIN", "SELECT authors", "UPDATE authors", "COMMIT")
    assert (work.round_trips, work.statements, work.transactions) == (4, 2, 1)


def test_a_new_connection_and_a_simple_query_of_several_statements(pg_db) -> None:  # type: ignore[no-untyped-def]
    with proxied(pg_db) as proxy:
        mark = proxy.mark()
        with psycopg.connect(proxy.through(pg_db).url, autocommit=True) as conn:
            conn.execute(b"SELECT 1; SELECT 'a;b' AS x; BEGIN; SELECT 2; COMMIT")  # type: ignore[call-overload]
        work = _work(proxy, mark)
    assert work.connections == 1
    assert work.statements == 3
    # psycopg's own set-up after connecting is its business; the query is one more round trip.
    assert work.trace[-5:] == ("SELECT 1", "SELECT 'a;b' AS x", "BEGIN", "SELECT 2", "COMMIT")


def test_asyncpg_prepares_once_then_runs_in_one_round_trip(pg_db) -> None:  # type: ignore[no-untyped-def]
    async def run(url: str, proxy: PgProxy) -> tuple[Work, Work]:
        conn = await asyncpg.connect(url)
        try:
            mark = proxy.mark()
            await conn.fetch("SELECT name FROM authors WHERE id = $1", 1)
            first = _work(proxy, mark)
            mark = proxy.mark()
            await conn.fetch("SELECT name FROM authors WHERE id = $1", 2)
            return first, _work(proxy, mark)
        finally:
            await conn.close()

    with proxied(pg_db) as proxy:
        first, again = asyncio.run(run(proxy.through(pg_db).url, proxy))
    assert first.statements == again.statements == 1
    assert first.round_trips >= 2, "the first use prepares the statement"
    assert (again.round_trips, again.transactions) == (1, 1)
    assert again.prepared == 1, "asyncpg runs it from its named statement"


def test_prepared_statements_are_told_from_bound_and_inlined_ones(pg_db) -> None:  # type: ignore[no-untyped-def]
    """psycopg prepares a query once it has run `prepare_threshold` times on a connection;
    before, an unnamed Parse; a client-side cursor puts the values in the text."""
    query = "SELECT name FROM authors WHERE id = %s"
    with proxied(pg_db) as proxy:
        url = proxy.through(pg_db).url
        with psycopg.connect(url, autocommit=True, prepare_threshold=2) as conn:
            mark = proxy.mark()
            for n in range(4):
                conn.execute(query, (n + 1,)).fetchone()
            served = _work(proxy, mark)
            mark = proxy.mark()
            with psycopg.ClientCursor(conn) as cursor:
                cursor.execute(query, (1,)).fetchone()
            inlined = _work(proxy, mark)
    assert (served.statements, served.prepared) == (4, 2), "prepared on the 3rd run, reused"
    assert served.trace == ("SELECT authors",) * 4
    assert (inlined.statements, inlined.prepared) == (1, 0)
    assert served.used == inlined.used and len(served.used) == 1


def test_the_connections_a_pool_uses_are_counted(pg_db) -> None:  # type: ignore[no-untyped-def]
    with proxied(pg_db) as proxy:
        url = proxy.through(pg_db).url
        mark = proxy.mark()
        conns = [psycopg.connect(url, autocommit=True) for _ in range(3)]
        try:
            for conn in conns:
                conn.execute("SELECT 1").fetchone()
        finally:
            for conn in conns:
                conn.close()
        work = _work(proxy, mark)
    assert work.connections == 3 and len(work.used) == 3


def test_statements_split_outside_quotes_and_comments() -> None:
    sql = "SELECT ';' AS a; -- ; not here\nSELECT E'\\';' ; /* ; */ SELECT \"x;y\" FROM t;"
    assert split_statements(sql) == [
        "SELECT ';' AS a",
        "-- ; not here\nSELECT E'\\';'",
        '/* ; */ SELECT "x;y" FROM t',
    ]
    assert split_statements(" ; ;") == []
