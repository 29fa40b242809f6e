"""Blocking database access for the WSGI baseline: a small per-process pool of connections.

Neither sqlite3 nor psycopg connections may be used by two threads at once. One connection per
thread is not enough of a rule: granian's WSGI mode grows its blocking threads with the load (up
to hundreds per worker), which exhausted PostgreSQL's connection slots in a test. So threads
borrow from a bounded pool, built on the C-implemented `queue.SimpleQueue` (a get and a put per
request, well under a microsecond). A connection is opened only when none is idle, after the
fork, so a worker holds as many as its concurrency needs (one, one request at a time) and each
keeps its prepared statements warm; every statement runs in autocommit, since each request is
one statement (`GET /work`'s writes run in an explicit transaction).
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

from framematrix.contestants.raw_core import Fetch, Response, Step, violation
from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL

POOL_SIZE = 10
"""Connections per worker at most, as asyncpg's pool in the ASGI baseline; more threads wait."""


class PooledDatabase:
    """Runs a `Step` on a borrowed connection; a connection that failed is replaced."""

    integrity_error: type[Exception]

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        """Idle connections, and None for a slot whose connection was dropped."""
        self._opened = 0
        self._lock = threading.Lock()

    def connect(self) -> Any:
        raise NotImplementedError

    def _borrow(self) -> Any:
        """An idle connection; else None (connect) while under POOL_SIZE; else wait for one."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._opened < POOL_SIZE:
                self._opened += 1
                return None
        return self._idle.get()  # blocks while every connection is busy

    def run(self, step: Step) -> Response | Fetch:
        try:
            rows = self.fetch(step.sql, step.params)
        except self.integrity_error as exc:
            return violation(exc)
        return step.finish(rows)

    def fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with self._connection() as conn:
            rows: list[Any] = conn.execute(sql, params).fetchall()
            return rows

    def transaction(self, sql: str, many: list[tuple[Any, ...]]) -> None:
        """`sql` once per parameter tuple, in order, between one BEGIN and its COMMIT."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                for params in many:
                    conn.execute(sql, params)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        """A borrowed connection, given back after; one that failed is dropped (an integrity
        error leaves it fine)."""
        conn = self._borrow()
        try:
            if conn is None:
                conn = self.connect()
            yield conn
        except self.integrity_error:
            self._idle.put(conn)
            raise
        except BaseException:
            self._idle.put(None)
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            raise
        self._idle.put(conn)


class SqliteDatabase(PooledDatabase):
    integrity_error = sqlite3.IntegrityError

    def __init__(self, url: DatabaseURL) -> None:
        super().__init__()
        self.path = url.sqlite_path

    def connect(self) -> sqlite3.Connection:
        """Rule 23: foreign keys on (for the cascade) and a busy timeout, on every connection.

        `check_same_thread=False` because the pool, not a thread, owns the connection; the pool
        guarantees one user at a time.
        """
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        set_sqlite_pragmas(conn)
        return conn


class PsycopgDatabase(PooledDatabase):
    def __init__(self, url: DatabaseURL) -> None:
        import psycopg

        super().__init__()
        self.url = url
        self.integrity_error = psycopg.IntegrityError
        self._connect = psycopg.connect

    def connect(self) -> Any:
        """prepare_threshold=0: every statement is prepared on its first use, then reused."""
        return self._connect(self.url.libpq, autocommit=True, prepare_threshold=0)


def open_database(url: DatabaseURL) -> PooledDatabase:
    return SqliteDatabase(url) if url.is_sqlite else PsycopgDatabase(url)
