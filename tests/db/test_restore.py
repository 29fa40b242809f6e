"""A reset that undoes only what changed (`db.restore`) leaves what a full reset leaves: the same
rows, the same next ids, the users kept; and it is only taken with a copy of the same seed."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from framematrix.db import restore
from framematrix.db.init import reseed
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL

pytestmark = pytest.mark.postgres

CHANGES = (
    "INSERT INTO authors (name, email) SELECT 'new ' || i, 'new' || i || '@example.com' "
    "FROM generate_series(1, 40) i",
    "UPDATE authors SET name = 'renamed', email = 'renamed@example.com' WHERE id = 3",
    "DELETE FROM authors WHERE id = 5",  # its posts go with it (ON DELETE CASCADE)
    "UPDATE posts SET title = 'changed', content = 'changed' WHERE id BETWEEN 10 AND 20",
    "UPDATE posts SET author_id = (SELECT max(id) FROM authors) WHERE id = 30",
    "DELETE FROM posts WHERE id BETWEEN 40 AND 45",
    "INSERT INTO posts (title, content, author_id, created_at) VALUES ('p', 'c', 1, now())",
    "INSERT INTO users (username, password_hash, author_id) "
    "VALUES ('kept', 'h1', 2), ('moved', 'h2', (SELECT max(id) FROM authors)) "
    "ON CONFLICT (username) DO UPDATE SET author_id = excluded.author_id",  # users survive
    "INSERT INTO readings (device_id, sensor, value, ts) "
    "SELECT 'd' || i, 'temp', i, now() FROM generate_series(1, 500) i",
)


def state(db: DatabaseURL) -> dict[str, Any]:
    """Every row of every table (users by name: a full reset numbers them anew) and the id
    each table would give next (taken in a transaction rolled back)."""
    with psycopg.connect(db.url) as conn:
        found: dict[str, Any] = {
            "authors": conn.execute("SELECT * FROM authors ORDER BY id").fetchall(),
            "posts": conn.execute("SELECT * FROM posts ORDER BY id").fetchall(),
            "readings": conn.execute("SELECT count(*) FROM readings").fetchall(),
            "users": conn.execute(
                "SELECT username, password_hash, author_id FROM users ORDER BY username"
            ).fetchall(),
        }
        for table in ("authors", "posts", "readings"):
            found[f"next {table} id"] = conn.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            ).fetchone()
        conn.rollback()
    return found


def change(db: DatabaseURL) -> None:
    with psycopg.connect(db.url) as conn:
        for sql in CHANGES:
            conn.execute(sql)


def kept_copy(db: DatabaseURL) -> bool:
    with psycopg.connect(db.url) as conn:
        row = conn.execute("SELECT to_regclass(%s)", (f"{restore.SCHEMA}.about",)).fetchone()
        return row is not None and row[0] is not None


def drop_copy(db: DatabaseURL) -> None:
    with psycopg.connect(db.url) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {restore.SCHEMA} CASCADE")


def test_the_undo_leaves_what_a_full_reset_leaves(pg_db: DatabaseURL, test_seed: SeedSize) -> None:
    reseed(pg_db, test_seed)  # the first reset loads the seed whole and keeps its copy
    assert kept_copy(pg_db)
    seeded = state(pg_db)

    change(pg_db)
    assert state(pg_db) != seeded  # the changes changed something to undo
    reseed(pg_db, test_seed)  # undone
    undone = state(pg_db)

    drop_copy(pg_db)
    change(pg_db)
    reseed(pg_db, test_seed)  # no copy: loaded whole, as before the undo existed
    assert state(pg_db) == undone

    without_users = {key: value for key, value in undone.items() if key != "users"}
    assert without_users == {key: value for key, value in seeded.items() if key != "users"}
    first = min(row[0] for row in undone["authors"])
    assert ("kept", "h1", 2) in undone["users"]  # its author is a seeded one: still linked
    assert ("moved", "h2", first) in undone["users"]  # its author is gone: the first one


def test_a_copy_of_another_seed_is_not_taken_for_this_one(pg_db: DatabaseURL) -> None:
    small, smaller = SeedSize(authors=6, posts=12), SeedSize(authors=3, posts=5)
    reseed(pg_db, small)
    reseed(pg_db, smaller)  # the kept copy is of `small`: loaded whole
    with psycopg.connect(pg_db.url) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (5,)
        assert conn.execute("SELECT count(*) FROM authors").fetchone() == (3,)
    assert restore.seed_key(small) != restore.seed_key(smaller)
