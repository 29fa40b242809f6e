"""Create, seed and reset the neutral database (`framematrix db init`, and between trials)."""

from __future__ import annotations

import functools
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from framematrix.db import restore, schema, seed
from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS, DatabaseURL
from framematrix.errors import FramematrixError

CONNECT_TIMEOUT_S = 5
RESET_LOCK_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class DatabaseState:
    authors: int
    posts: int
    created: bool
    seeded: bool


def check(db: DatabaseURL) -> str:
    """Connect once and return the server's version, or raise one clear line."""
    if db.is_sqlite:
        if not db.sqlite_path.parent.is_dir():
            raise FramematrixError(
                f"cannot open SQLite database: no folder {db.sqlite_path.parent}"
            )
        return f"SQLite {sqlite3.sqlite_version}"
    with _pg_connect(db) as conn:
        return "PostgreSQL " + str(conn.execute("SHOW server_version").fetchone()[0])


def reachable(db: DatabaseURL) -> None:
    """`check`, creating nothing: a PostgreSQL database that does not exist yet passes when its
    server's maintenance database answers, so that `create_if_missing` can create it later."""
    try:
        check(db)
    except FramematrixError as exc:
        if db.is_sqlite or "does not exist" not in str(exc):
            raise
        check(_maintenance(db))


def _maintenance(db: DatabaseURL) -> DatabaseURL:
    """The server's `postgres` database, where a missing database is created from."""
    return DatabaseURL.parse(db.libpq.rsplit("/", 1)[0] + "/postgres")


def create_if_missing(db: DatabaseURL) -> bool:
    """Create a PostgreSQL database that does not exist yet (through the server's `postgres`
    maintenance database); True if it was created. SQLite files are created on first use."""
    if db.is_sqlite:
        return False
    import psycopg
    from psycopg import sql

    try:
        psycopg.connect(db.libpq, connect_timeout=CONNECT_TIMEOUT_S).close()
        return False
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            reason = _first(exc)
            raise FramematrixError(f"cannot reach database {db.redacted()}: {reason}") from None
    name = str(db.pg_parts["name"])
    with _pg_connect(_maintenance(db)) as admin:
        admin.autocommit = True
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def init(db: DatabaseURL, size: seed.SeedSize, *, reset: bool = False) -> DatabaseState:
    """Create the schema if missing and seed it if empty; with `reset`, start from scratch.

    Idempotent: a second call finds the tables and the rows and leaves them alone.
    """
    with _connect(db) as conn:
        cur = conn.cursor()
        created = not _tables_exist(db, cur)
        if reset and not created:
            for table in schema.TABLES:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            created = True
        _executescript(db, cur, schema.SQLITE if db.is_sqlite else schema.POSTGRESQL)
        seeded = _count(cur, "authors") == 0 and _count(cur, "posts") == 0
        if seeded:
            _insert_seed(db, cur, size)
        conn.commit()
        return DatabaseState(_count(cur, "authors"), _count(cur, "posts"), created, seeded)


def reseed(db: DatabaseURL, size: seed.SeedSize, attempts: int = 3) -> None:
    """Back to the freshly seeded state, ids included; servers may stay connected. On
    PostgreSQL, by undoing only what changed since the last full reset (`db.restore`).

    A server still finishing a write can deadlock with the reset's table locks: the database
    then aborts one side, and the reset is tried again, up to `attempts` times.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _reseed(db, size)
        except (sqlite3.Error, _pg_error()) as exc:
            if attempt == attempts:
                raise FramematrixError(f"cannot reset {db.redacted()}: {_first(exc)}") from None
            time.sleep(0.5 * attempt)


def _pg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def _reseed(db: DatabaseURL, size: seed.SeedSize) -> None:
    """One attempt at `reseed`.

    Users (the audit's login) survive: they are put back, each linked to its author again, or to
    the first author when the seed has no author of that id.
    """
    mark = "?" if db.is_sqlite else "%s"
    with _connect(db) as conn:
        cur = conn.cursor()
        _executescript(db, cur, schema.SQLITE if db.is_sqlite else schema.POSTGRESQL)
        if not db.is_sqlite:
            # A server holding a transaction open would block the reset for ever: give up instead.
            cur.execute(f"SET lock_timeout = '{RESET_LOCK_TIMEOUT_MS}ms'")
            if _put_back(conn, cur, size):
                conn.commit()
                restore.vacuum(conn)
                return
        cur.execute("SELECT username, password_hash, author_id FROM users ORDER BY id")
        users = cur.fetchall()
        if db.is_sqlite:
            for table in schema.TABLES:
                cur.execute(f"DELETE FROM {table}")
            cur.execute(
                "DELETE FROM sqlite_sequence "
                "WHERE name IN ('readings', 'users', 'posts', 'authors')"
            )
        else:
            cur.execute("TRUNCATE readings, users, posts, authors RESTART IDENTITY")
        _insert_seed(db, cur, size)
        cur.executemany(
            "INSERT INTO users (username, password_hash, author_id) VALUES "
            f"({mark}, {mark}, COALESCE((SELECT id FROM authors WHERE id = {mark}), "
            "(SELECT min(id) FROM authors)))",
            list(users),
        )
        if not db.is_sqlite:
            _keep(conn, cur, size)
        conn.commit()


def _put_back(conn: Any, cur: Any, size: seed.SeedSize) -> bool:
    """`restore.put_back` in a savepoint: a change it cannot write back (two seeded authors
    that swapped their emails) leaves the tables to the full reset instead."""
    import psycopg

    try:
        with conn.transaction():
            return restore.put_back(cur, size)
    except psycopg.errors.IntegrityError:
        return False


def _keep(conn: Any, cur: Any, size: seed.SeedSize) -> None:
    """`restore.keep` in a savepoint. The copy only makes later resets shorter: where it
    cannot be made (a user without CREATE on the database), every reset loads the seed whole."""
    import psycopg

    try:
        with conn.transaction():
            restore.keep(cur, size)
    except psycopg.Error:
        pass


def _insert_seed(db: DatabaseURL, cur: Any, size: seed.SeedSize) -> None:
    """The seed's rows, generated once a process (every writing trial resets to them); on
    PostgreSQL loaded with COPY, which keeps the reset between trials short."""
    authors, posts = _seed_rows(size, db.is_sqlite)
    if db.is_sqlite:
        cur.executemany("INSERT INTO authors (name, email) VALUES (?, ?)", authors)
        cur.executemany(
            "INSERT INTO posts (title, content, author_id, created_at) VALUES (?, ?, ?, ?)", posts
        )
        return
    for sql, rows in (
        ("COPY authors (name, email) FROM STDIN", authors),
        ("COPY posts (title, content, author_id, created_at) FROM STDIN", posts),
    ):
        with cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


@functools.cache
def _seed_rows(
    size: seed.SeedSize, naive_text: bool
) -> tuple[list[tuple[str, str]], list[tuple[str, str, int, str | datetime]]]:
    posts = [
        (title, content, author_id, _timestamp(naive_text, created_at))
        for title, content, author_id, created_at in seed.posts(size)
    ]
    return list(seed.authors(size)), posts


def _timestamp(naive_text: bool, value: datetime) -> str | datetime:
    # SQLite has no time zones: store naive UTC text, the form Django and SQLAlchemy both read.
    return value.strftime("%Y-%m-%d %H:%M:%S") if naive_text else value


def _tables_exist(db: DatabaseURL, cur: Any) -> bool:
    if db.is_sqlite:
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({})"
    else:
        sql = (
            "SELECT count(*) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename IN ({})"
        )
    sql = sql.format(", ".join(f"'{table}'" for table in schema.TABLES))
    cur.execute(sql)
    found: int = cur.fetchone()[0]
    return found == len(schema.TABLES)


def _count(cur: Any, table: str) -> int:
    cur.execute(f"SELECT count(*) FROM {table}")
    return int(cur.fetchone()[0])


def _executescript(db: DatabaseURL, cur: Any, script: str) -> None:
    for statement in filter(str.strip, script.split(";")):
        cur.execute(statement)


def _connect(db: DatabaseURL) -> Any:
    if db.is_sqlite:
        check(db)
        conn = sqlite3.connect(db.sqlite_path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return closing(conn)
    return _pg_connect(db)


def _pg_connect(db: DatabaseURL) -> Any:
    import psycopg

    try:
        return psycopg.connect(db.libpq, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as exc:
        raise FramematrixError(f"cannot reach database {db.redacted()}: {_first(exc)}") from None


def _first(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
