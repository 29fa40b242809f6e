"""The audit user lives in the neutral schema: `db init` makes its table, `reseed` keeps it."""

from __future__ import annotations

import sqlite3

from framematrix.audit.users import AUDIT_USERNAME, ensure_audit_user, read_hash
from framematrix.db.init import init, reseed
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL


def test_init_creates_the_users_table(db: DatabaseURL) -> None:
    assert read_hash(db) is None  # the table is there, the user not yet
    ensure_audit_user(db, "pbkdf2_sha256$1$salt$hash")
    assert read_hash(db) == "pbkdf2_sha256$1$salt$hash"


def test_reseed_keeps_the_audit_user(db: DatabaseURL, test_seed: SeedSize) -> None:
    ensure_audit_user(db, "kept$hash")
    reseed(db, test_seed)
    assert read_hash(db, AUDIT_USERNAME) == "kept$hash"
    reseed(db, test_seed)  # twice: the ids restart, the user is put back each time
    assert read_hash(db) == "kept$hash"


def test_an_older_database_gets_the_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = DatabaseURL.parse(f"sqlite:///{tmp_path / 'old.db'}")
    init(db, SeedSize(authors=2, posts=2))
    with sqlite3.connect(db.sqlite_path) as conn:
        conn.execute("DROP TABLE users")
    assert read_hash(db) is None
    ensure_audit_user(db, "new$hash")
    assert read_hash(db) == "new$hash"
    reseed(db, SeedSize(authors=2, posts=2))
    assert read_hash(db) == "new$hash"
