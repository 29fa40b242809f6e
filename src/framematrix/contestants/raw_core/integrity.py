"""Rule 18: the database's constraints decide 409 (email taken) and 422 (no such author).

Both baselines insert or update straight away and translate the driver's integrity error here,
by its SQLSTATE (psycopg, asyncpg) or SQLite's extended error name (sqlite3, aiosqlite), so there
is never a check-then-write race and never a second statement.
"""

from __future__ import annotations

from framematrix.contestants.raw_core.response import CONFLICT, UNKNOWN_AUTHOR, Response

_VIOLATIONS = {
    "23505": CONFLICT,  # unique_violation
    "23503": UNKNOWN_AUTHOR,  # foreign_key_violation
    "SQLITE_CONSTRAINT_UNIQUE": CONFLICT,
    "SQLITE_CONSTRAINT_FOREIGNKEY": UNKNOWN_AUTHOR,
}


def violation(exc: Exception) -> Response:
    """The answer to a constraint violation; `exc` raised again when it is not one the contract
    expects (both baselines' database layers, sync and async, answer through this)."""
    code = getattr(exc, "sqlstate", None) or getattr(exc, "sqlite_errorname", None)
    answer = _VIOLATIONS.get(code) if isinstance(code, str) else None
    if answer is None:
        raise exc
    return answer
