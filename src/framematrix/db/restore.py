"""Putting a PostgreSQL database back to its seed by undoing only what changed.

A writing trial (crud, iot) changes a few hundred rows of a seed of 11,000, but loading the
whole seed again (TRUNCATE, then COPY of 10,000 posts and their indexes) took half a second a
trial on the embedded PostgreSQL of a 2-core machine. So a full reset (`init.reseed`) keeps a
copy of the seed it loaded beside the tables (schema `framematrix_seed`, with a key naming the
seed's size and the code that makes it), and the next reset compares the tables with that copy
instead, in about 0.15 s: rows the seed lacks are deleted, seeded rows that differ are written
back, seeded rows that are gone are inserted again, the readings are emptied and every
identity restarts after the seed's last id. Rows and next ids come out as a full reset leaves
them (`tests/db/test_restore.py` proves it on every kind of change); users survive, each still
linked to its author or to the first one, as a full reset keeps them. The tables the undo
wrote are vacuumed after it, so a trial never starts on the dead rows of the trials before it.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from framematrix.db import seed

SCHEMA = "framematrix_seed"
COLUMNS = {"authors": ("name", "email"), "posts": ("title", "content", "author_id", "created_at")}
"""The seeded tables and the columns a row is compared on, each before the tables referencing
it (authors are put back before their posts)."""
EMPTIED = ("readings",)
"""Tables the seed leaves empty."""
VACUUMED = ("authors", "posts", "users")


@functools.cache
def seed_key(size: seed.SeedSize) -> str:
    """The seed's size and the code that makes its rows (`db/seed.py`, deterministic), digested:
    a kept copy of another seed (another size, another framematrix's rows) is never taken for
    this one."""
    digest = hashlib.sha256(repr(size).encode())
    digest.update(Path(seed.__file__).read_bytes())
    return digest.hexdigest()[:24]


def keep(cur: Any, size: seed.SeedSize) -> None:
    """Copy the freshly loaded seed aside, in the caller's transaction, for the next reset."""
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    cur.execute(f"DROP TABLE IF EXISTS {SCHEMA}.about, {SCHEMA}.authors, {SCHEMA}.posts")
    for table in COLUMNS:
        cur.execute(f"CREATE TABLE {SCHEMA}.{table} AS SELECT * FROM {table}")
        cur.execute(f"ALTER TABLE {SCHEMA}.{table} ADD PRIMARY KEY (id)")
    cur.execute(f"CREATE TABLE {SCHEMA}.about (key text NOT NULL)")
    cur.execute(f"INSERT INTO {SCHEMA}.about VALUES (%s)", (seed_key(size),))


def put_back(cur: Any, size: seed.SeedSize) -> bool:
    """Undo every change since the seed, in the caller's transaction; False, having changed
    nothing, when no copy of this seed is kept (the caller then loads it whole)."""
    cur.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.about",))
    if cur.fetchone()[0] is None:
        return False
    cur.execute(f"SELECT key FROM {SCHEMA}.about")
    if [row[0] for row in cur.fetchall()] != [seed_key(size)]:
        return False
    cur.execute(
        f"UPDATE users u SET author_id = (SELECT min(id) FROM {SCHEMA}.authors) "
        f"WHERE NOT EXISTS (SELECT 1 FROM {SCHEMA}.authors s WHERE s.id = u.author_id)"
    )
    for table, columns in COLUMNS.items():
        listed = ", ".join(columns)
        theirs = ", ".join(f"s.{column}" for column in columns)
        cur.execute(
            f"DELETE FROM {table} t WHERE NOT EXISTS "
            f"(SELECT 1 FROM {SCHEMA}.{table} s WHERE s.id = t.id)"
        )
        cur.execute(
            f"UPDATE {table} t SET ({listed}) = ({theirs}) FROM {SCHEMA}.{table} s "
            f"WHERE s.id = t.id AND ({', '.join(f't.{c}' for c in columns)}) "
            f"IS DISTINCT FROM ({theirs})"
        )
        cur.execute(
            f"INSERT INTO {table} (id, {listed}) OVERRIDING SYSTEM VALUE "
            f"SELECT s.id, {theirs} FROM {SCHEMA}.{table} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = s.id)"
        )
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce(max(id), 0) + 1, false) FROM {SCHEMA}.{table}"
        )
    for table in EMPTIED:
        cur.execute(f"TRUNCATE {table} RESTART IDENTITY")
    return True


def vacuum(conn: Any) -> None:
    """Reclaim the rows the undo deleted or rewrote (outside any transaction)."""
    conn.autocommit = True
    conn.execute(f"VACUUM {', '.join(VACUUMED)}")
