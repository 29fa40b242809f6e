"""The Flask config object: everything the app reads, derived from FRAMEMATRIX_DB_URL."""

from __future__ import annotations

from typing import Any

from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS, DatabaseURL

MAX_BODY_BYTES = 1024 * 1024


class Settings:
    """Loaded with `app.config.from_object()`; only upper-case attributes become config keys."""

    MAX_CONTENT_LENGTH = MAX_BODY_BYTES
    """Werkzeug answers 413 itself for a larger body, before any view reads it."""

    def __init__(self, db_url: DatabaseURL) -> None:
        self.SQLALCHEMY_DATABASE_URI = db_url.sqlalchemy(asyncio=False)


def set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: enforce foreign keys (ON DELETE CASCADE) and wait on locks, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
