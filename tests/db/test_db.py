"""The neutral database: one schema, a deterministic seed, `db init` idempotent, resets exact."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from framematrix.db.init import create_if_missing, init, reseed
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL

CLI = [sys.executable, "-m", "framematrix"]
SMALL = SeedSize(authors=30, posts=120)


def rows(db: DatabaseURL, sql: str) -> list[tuple[object, ...]]:
    if db.is_sqlite:
        with sqlite3.connect(db.sqlite_path) as conn:
            return conn.execute(sql).fetchall()
    with psycopg.connect(db.url) as conn:
        return conn.execute(sql).fetchall()


def content(db: DatabaseURL) -> list[tuple[object, ...]]:
    """Every post with its author, timestamps as text in one form, for comparing databases."""
    found = rows(
        db,
        "SELECT p.id, p.title, p.content, a.id, a.name, a.email, p.created_at "
        "FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.id",
    )
    return [(*row[:6], str(row[6])[:19].replace("T", " ")) for row in found]


def test_db_init_is_idempotent_and_reset_starts_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    args = [*CLI, "db", "init", "--db", url, "--authors", "30", "--posts", "120"]
    first = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "schema created, data seeded (30 authors, 120 posts)" in first.stdout
    db = DatabaseURL.parse(url)
    before = content(db)
    second = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "schema found, data left as it was (30 authors, 120 posts)" in second.stdout
    assert content(db) == before
    with sqlite3.connect(db.sqlite_path) as conn:
        conn.execute("DELETE FROM posts WHERE id > 100")
    reset = subprocess.run([*args, "--reset"], capture_output=True, text=True, check=True)
    assert "data seeded (30 authors, 120 posts)" in reset.stdout
    assert content(db) == before


def test_the_seed_is_the_same_every_time_and_on_both_databases(tmp_path: Path, pg_db) -> None:  # type: ignore[no-untyped-def]
    one, two = (DatabaseURL.parse(f"sqlite:///{tmp_path / name}") for name in ("a.db", "b.db"))
    for db in (one, two):
        init(db, SMALL)
    pg = pg_db  # seeded with the tests' own size: seed it again with ours
    init(pg, SMALL, reset=True)
    assert content(one) == content(two) == content(pg)
    assert len(content(one)) == SMALL.posts


def test_both_schemas_have_the_same_tables_constraints_and_index(sqlite_db, pg_db) -> None:  # type: ignore[no-untyped-def]
    lite = {r[0] for r in rows(sqlite_db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    pg = {r[0] for r in rows(pg_db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    assert "posts_author_id_idx" in lite and "posts_author_id_idx" in pg
    tables = rows(sqlite_db, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert {r[0] for r in tables} >= {"authors", "posts", "users"}
    assert rows(sqlite_db, "PRAGMA journal_mode") == [("wal",)]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_reseed_restores_rows_and_ids(kind: str, request: pytest.FixtureRequest) -> None:
    db: DatabaseURL = request.getfixturevalue("sqlite_db" if kind == "sqlite" else "pg_db")
    size: SeedSize = request.getfixturevalue("test_seed")
    before = content(db)
    sql = "INSERT INTO authors (name, email) VALUES ('x', 'x@example.com')"
    if db.is_sqlite:
        with sqlite3.connect(db.sqlite_path) as conn:
            conn.execute(sql)
            conn.execute("DELETE FROM posts WHERE id = 1")
    else:
        with psycopg.connect(db.url) as conn:
            conn.execute(sql)
            conn.execute("DELETE FROM posts WHERE id = 1")
    reseed(db, size)
    assert content(db) == before
    assert rows(db, "SELECT max(id) FROM authors") == [(size.authors,)]


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_created(pg_db) -> None:  # type: ignore[no-untyped-def]
    name = f"fm_test_new_{uuid.uuid4().hex[:8]}"
    db = DatabaseURL.parse(pg_db.url.rsplit("/", 1)[0] + "/" + name)
    try:
        assert create_if_missing(db) is True
        assert create_if_missing(db) is False
        assert init(db, SMALL).posts == SMALL.posts
    finally:
        with psycopg.connect(pg_db.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_a_reset_blocked_by_an_open_transaction_fails_with_one_line_then_recovers(
    pg_db, test_seed: SeedSize, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from framematrix.db import init as db_init
    from framematrix.errors import FramematrixError

    monkeypatch.setattr(db_init, "RESET_LOCK_TIMEOUT_MS", 200)
    with psycopg.connect(pg_db.url) as holder:  # like a wedged server: a transaction left open
        holder.execute("SELECT count(*) FROM posts").fetchone()
        with pytest.raises(FramematrixError, match=r"cannot reset .*lock timeout"):
            reseed(pg_db, test_seed, attempts=2)
        holder.rollback()
    reseed(pg_db, test_seed)
    assert rows(pg_db, "SELECT count(*) FROM posts") == [(test_seed.posts,)]
