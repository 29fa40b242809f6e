"""The audit user in the neutral schema's `users` table, and its password hash.

Each framework hashes passwords its own way, so the audit asks the contestant (through the
password hook its registry record names, in a child process carrying the profile) for the hash
of the known password and stores it before starting the server. The password-storage probe
then reads the hash back exactly as stored. See WEB_CONTRACT.md.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from typing import Any

from framematrix.db.schema import POSTGRESQL, SQLITE
from framematrix.db.url import ENV_VAR, DatabaseURL
from framematrix.errors import FramematrixError

AUDIT_USERNAME = "audit"
AUDIT_PASSWORD = "audit-password-1"
PROFILE_ENV_VAR = "FRAMEMATRIX_PROFILE"
UNUSABLE_HASH = "!"
"""Stored when the contestant offers no hook: no password verifies against it."""
HOOK_TIMEOUT_S = 60


def hash_with(hook: str, profile: str, db_url: str, password: str = AUDIT_PASSWORD) -> str:
    """The hash the hook (`module:function`) makes, computed in a child process with the profile
    set. A child process, because frameworks configure themselves once per process (Django)."""
    code = (
        "import importlib, sys; module, _, name = sys.argv[1].partition(':'); "
        "print(getattr(importlib.import_module(module), name)(sys.argv[2]))"
    )
    env = {**os.environ, PROFILE_ENV_VAR: profile, ENV_VAR: db_url}
    done = subprocess.run(
        [sys.executable, "-c", code, hook, password],
        env=env,
        capture_output=True,
        text=True,
        timeout=HOOK_TIMEOUT_S,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise FramematrixError(f"{hook} failed: {last}")
    return lines[-1]


def ensure_audit_user(db: DatabaseURL, password_hash: str) -> None:
    """Set the audit user's hash (linked to the first author).

    The neutral schema is applied first (idempotent), so a database made before it had the
    `users` table gets it.
    """
    mark = "?" if db.is_sqlite else "%s"
    with _connect(db) as conn:
        cur = conn.cursor()
        for statement in filter(str.strip, (SQLITE if db.is_sqlite else POSTGRESQL).split(";")):
            cur.execute(statement)
        cur.execute("SELECT min(id) FROM authors")
        author_id = cur.fetchone()[0]
        if author_id is None:
            raise FramematrixError(f"no authors in {db.redacted()}: run `framematrix db init`")
        cur.execute(
            "INSERT INTO users (username, password_hash, author_id) "
            f"VALUES ({mark}, {mark}, {mark}) "
            "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
            (AUDIT_USERNAME, password_hash, author_id),
        )
        conn.commit()


def read_hash(db: DatabaseURL, username: str = AUDIT_USERNAME) -> str | None:
    """The stored hash; None when there is no users table or no such user."""
    mark = "?" if db.is_sqlite else "%s"
    with _connect(db) as conn:
        cur = conn.cursor()
        try:
            cur.execute(f"SELECT password_hash FROM users WHERE username = {mark}", (username,))
        except Exception as exc:  # the table is missing: sqlite3 and psycopg raise differently
            if "users" in str(exc):
                return None
            raise
        row = cur.fetchone()
        return None if row is None else str(row[0])


def _connect(db: DatabaseURL) -> Any:
    if db.is_sqlite:
        if not db.sqlite_path.exists():
            raise FramematrixError(f"no SQLite database at {db.sqlite_path}")
        return closing(sqlite3.connect(db.sqlite_path, timeout=30))
    import psycopg

    try:
        return psycopg.connect(db.libpq, connect_timeout=5)
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise FramematrixError(f"cannot reach database {db.redacted()}: {first}") from None
