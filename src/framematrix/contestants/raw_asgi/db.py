"""Async database access for the ASGI baseline: opened once per worker process, on its loop.

asyncpg gets a small pool, so requests awaiting the database overlap instead of queueing on one
connection; asyncpg prepares and caches every statement by itself. aiosqlite runs one connection on
one background thread: SQLite serialises writes anyway, and each extra connection would only add
another thread hop, so one connection per process is the lean choice.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from framematrix.contestants.raw_core import Fetch, Response, Step, violation
from framematrix.db.pragmas import SQLITE_PRAGMAS
from framematrix.db.url import DatabaseURL

POOL_MAX = 10
"""asyncpg connections per worker at most, as in the WSGI baseline; one is opened at start."""


class AsyncDatabase:
    """Runs a `Step` with an awaited driver; `open` and `close` follow the ASGI lifespan."""

    integrity_error: type[Exception]

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        raise NotImplementedError

    async def transaction(self, sql: str, many: list[tuple[Any, ...]]) -> None:
        """`sql` once per parameter tuple, in order, in one transaction."""
        raise NotImplementedError

    async def run(self, step: Step) -> Response | Fetch:
        try:
            rows = await self.fetch(step.sql, step.params)
        except self.integrity_error as exc:
            return violation(exc)
        return step.finish(rows)


class AiosqliteDatabase(AsyncDatabase):
    def __init__(self, url: DatabaseURL) -> None:
        import sqlite3

        self.path = url.sqlite_path
        self.integrity_error = sqlite3.IntegrityError
        self._conn: Any = None
        self._lock = asyncio.Lock()
        """Held through a transaction: the one connection is shared by every request, so
        no other statement may run between its BEGIN and COMMIT."""

    async def open(self) -> None:
        """Rule 23: foreign keys on (for the cascade) and a busy timeout, on the connection."""
        import aiosqlite

        conn = await aiosqlite.connect(self.path, isolation_level=None)
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        async with self._lock:  # free but during a transaction: no wait, no hop
            # one hop to the connection's thread: execute and fetch together
            return list(await self._conn.execute_fetchall(sql, params))

    async def transaction(self, sql: str, many: list[tuple[Any, ...]]) -> None:
        async with self._lock:
            await self._conn.execute("BEGIN")
            try:
                for params in many:
                    await self._conn.execute(sql, params)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")


class AsyncpgDatabase(AsyncDatabase):
    """asyncpg with a minimal pool of its own: a borrow is a list pop, a return a list append.

    asyncpg's `Pool` resets each connection on release, one more round trip per request, and
    queues through an `asyncio.Queue`; measured here, a bare `fetch` cost ~25 us on a connection
    and ~170 us through that pool. Each request is one autocommit statement, so there is no
    session state to reset. Connections open as concurrency needs them, up to `POOL_MAX`;
    beyond that a request waits for the next connection returned.
    """

    def __init__(self, url: DatabaseURL) -> None:
        import asyncpg

        self.url = url
        self.integrity_error = asyncpg.IntegrityConstraintViolationError
        self._connect = asyncpg.connect
        self._idle: list[Any] = []
        self._size = 0
        self._waiters: deque[asyncio.Future[Any]] = deque()

    async def open(self) -> None:
        self._hand_back(await self._borrow())  # fail at startup if the database is not there

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        self._size -= len(idle)
        for conn in idle:
            await conn.close()

    async def fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        conn = await self._borrow()
        try:
            rows = await conn.fetch(sql, *params)
        except self.integrity_error:
            self._hand_back(conn)  # the statement failed, the connection is fine
            raise
        except BaseException:
            conn.terminate()  # broken or cancelled mid-query: never reuse it
            self._hand_back(None)
            raise
        self._hand_back(conn)
        return rows

    async def transaction(self, sql: str, many: list[tuple[Any, ...]]) -> None:
        conn = await self._borrow()
        try:
            async with conn.transaction():
                for params in many:
                    await conn.execute(sql, *params)
        except BaseException:
            conn.terminate()
            self._hand_back(None)
            raise
        self._hand_back(conn)

    async def _borrow(self) -> Any:
        if self._idle:
            return self._idle.pop()
        if self._size < POOL_MAX:
            self._size += 1
        else:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                conn = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._hand_back(waiter.result())
                raise
            if conn is not None:
                return conn
        try:
            return await self._connect(self.url.libpq)
        except BaseException:
            self._hand_back(None)
            raise

    def _hand_back(self, conn: Any) -> None:
        """Give a connection, or a free slot (None), to the first waiter, else keep it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is None:
            self._size -= 1
        else:
            self._idle.append(conn)


def open_database(url: DatabaseURL) -> AsyncDatabase:
    """Not connected yet: connections belong to the worker's event loop, opened at startup."""
    return AiosqliteDatabase(url) if url.is_sqlite else AsyncpgDatabase(url)
