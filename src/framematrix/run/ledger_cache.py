"""The database-work ledger, kept between runs of the same install.

The ledger counts what one request asks of the database: exact counts, the same every time for
the same contestant code, the same library versions and the same database server (the tests
hold every count to its allowance). So a run measures it only for the contestants whose rows are
not already kept for exactly that: the key is a digest of framematrix's own version, the source
of the contestants, the scenarios, the schema and the ledger's counting code, the installed
versions of the contestant's distributions, and the database server's kind and version. Rows are
kept under `$FRAMEMATRIX_CACHE/ledgers/`, one file a contestant and key; anything that could
change a count changes the key, and a run says how many rows it took from there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from framematrix import __version__
from framematrix.contestants.registry import get
from framematrix.db.embedded import cache_root
from framematrix.db.url import DatabaseURL
from framematrix.measure import ledger
from framematrix.results.store import write_json_atomic

PACKAGE = Path(__file__).resolve().parent.parent
COUNTED_BY = ("contestants", "scenarios", "db", "measure")
"""The parts of framematrix whose code decides a count: a change to any of them is a new key."""


@cache
def _source_digest() -> str:
    digest = hashlib.sha256(__version__.encode())
    for part in COUNTED_BY:
        for path in sorted((PACKAGE / part).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".sql", ".toml", ".html"):
                digest.update(str(path.relative_to(PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def key(contestant: str, db: DatabaseURL, server: str, repetitions: int) -> str:
    """What a kept row must have been measured with: the code, versions and database."""
    parts = {
        "source": _source_digest(),
        "versions": get(contestant).versions(),
        "db": db.kind,
        "server": server,
        "repetitions": repetitions,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


def folder() -> Path:
    return cache_root() / "ledgers"


def measured(
    contestants: Sequence[str], db: DatabaseURL, server: str, *, repetitions: int = 1
) -> tuple[ledger.Ledger, list[str]]:
    """The ledger of `contestants` on `db` (whose server is `server`, `PostgreSQL 18.6`), each
    contestant's rows from the cache when kept for the same key, else measured and kept; and
    the contestants whose rows came from the cache."""
    kept: dict[str, dict[str, Any]] = {}
    for name in contestants:
        path = folder() / f"{name}.{key(name, db, server, repetitions)}.json"
        try:
            kept[name] = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
    missing = [name for name in contestants if name not in kept]
    fresh = ledger.measure(missing, db, repetitions=repetitions) if missing else None
    for name in missing:
        assert fresh is not None
        part = {
            "rows": [r.record() for r in fresh.rows if r.contestant == name],
            "pool": fresh.pools.get(name),
        }
        write_json_atomic(folder() / f"{name}.{key(name, db, server, repetitions)}.json", part)
        kept[name] = part
    rows = [row for name in contestants for row in kept[name]["rows"]]
    pools = {name: kept[name]["pool"] for name in contestants if kept[name].get("pool")}
    found = ledger.Ledger.from_record(
        {"db": db.kind, "repetitions": repetitions, "rows": rows, "pools": pools}
    )
    return found, [name for name in contestants if name not in missing]
