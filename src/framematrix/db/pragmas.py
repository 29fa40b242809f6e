"""The SQLite settings every contestant's connection gets (RULES.md 23, FAIRNESS.md): foreign keys
enforced, for the contract's cascade, and lock waits of up to 30 s instead of "database is
locked" errors. One definition for the SQLAlchemy contestants' `connect` listeners and raw-wsgi."""

from __future__ import annotations

from typing import Any

from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS

SQLITE_PRAGMAS = ("PRAGMA foreign_keys = ON", f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def set_sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """A SQLAlchemy `connect` event listener; also takes a plain DB-API connection alone."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()
