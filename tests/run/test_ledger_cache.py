"""The ledger is counted once per install and code: a second run takes it from the cache, the
same rows; a contestant whose versions differ is counted again."""

from __future__ import annotations

from pathlib import Path

import pytest

from framematrix.db.url import DatabaseURL
from framematrix.run import ledger_cache


def test_a_second_run_takes_the_same_rows_from_the_cache(
    sqlite_db: DatabaseURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRAMEMATRIX_CACHE", str(tmp_path / "cache"))
    first, cached = ledger_cache.measured(["raw-wsgi"], sqlite_db, "SQLite 3")
    assert cached == [] and first.rows and first.pools["raw-wsgi"] >= 1
    again, cached = ledger_cache.measured(["raw-wsgi"], sqlite_db, "SQLite 3")
    assert cached == ["raw-wsgi"] and again.record() == first.record()
    # Another server (or version, or code) is another key: counted again.
    _, cached = ledger_cache.measured(["raw-wsgi"], sqlite_db, "SQLite 4")
    assert cached == []
    assert len(list((tmp_path / "cache" / "ledgers").glob("raw-wsgi.*.json"))) == 2
