"""What a run finds once per install is found once: the second run takes it from the cache,
the same finding; another key (code, versions, database) finds it again."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from framematrix.audit import store
from framematrix.claims.security import needed
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.results.store import Run
from framematrix.run import install_cache
from framematrix.run.plan import BenchPlan
from framematrix.run.security_audit import record_audit


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FRAMEMATRIX_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_finding_is_found_once_a_key_and_an_unreadable_one_again(own_cache: Path) -> None:
    found: list[int] = []

    def find() -> dict[str, int]:
        found.append(1)
        return {"n": len(found)}

    def kept(key: str) -> tuple[dict[str, int], bool]:
        return install_cache.kept("things", "a", key, find, record=dict, from_record=dict)

    first = install_cache.key(("db",), versions={"x": "1"})
    assert kept(first) == ({"n": 1}, False)
    assert kept(first) == ({"n": 1}, True)
    other = install_cache.key(("db",), versions={"x": "2"})
    assert other != first and install_cache.key(("db",), versions={"x": "1"}) == first
    assert kept(other) == ({"n": 2}, False)
    (own_cache / "things" / f"a.{first}.json").write_text("{not json")
    assert kept(first) == ({"n": 3}, False) and len(found) == 3


def test_a_second_run_takes_its_audits_from_the_cache(
    tmp_path: Path, sqlite_db: DatabaseURL
) -> None:
    init(sqlite_db, SeedSize(authors=20, posts=100))
    plan = BenchPlan(
        contestants=("flask",), scenarios=("list-posts",), engine="builtin", db_url=sqlite_db.url
    )
    out = Console(file=io.StringIO())
    runs = [Run.create(tmp_path / str(i), {"plan": plan.to_dict()}) for i in range(2)]
    for run in runs:
        record_audit(run, plan, sqlite_db, "SQLite 3", out)
    first, again = (run.meta()["audit"] for run in runs)
    pairs = [list(pair) for pair in needed(["flask"])]
    assert first["cached"] == [] and first["audited"] == pairs and first["failures"] == 0
    assert again["cached"] == pairs and again["audited"] == pairs
    kept = [json.loads(json.dumps(a.record())) for a in store.load(runs[1].path)]
    assert kept == [a.record() for a in store.load(runs[0].path)]
    record_audit(Run.create(tmp_path / "2", {}), plan, sqlite_db, "SQLite 4", out)
    assert len(list((tmp_path / "cache" / "audits").glob("flask.*.json"))) == 2 * len(pairs)
