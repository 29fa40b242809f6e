"""The database-work ledger, kept between runs of the same install.

The ledger counts what one request asks of the database: exact counts, the same every time for
the same contestant code, the same library versions and the same database server (the tests
hold every count to its allowance). So a run measures it only for the contestants whose rows are
not already kept for exactly that: the key is a digest of framematrix's own version, the source
of the contestants, the scenarios, the schema and the ledger's counting code, the installed
versions of the contestant's distributions, and the database server's kind and version
(`run.install_cache`, under `ledgers/`, one file a contestant and key); anything that could
change a count changes the key, and a run says how many rows it took from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from framematrix.contestants.registry import get
from framematrix.db.url import DatabaseURL
from framematrix.measure import ledger
from framematrix.run import install_cache

KIND = "ledgers"
COUNTED_BY = ("contestants", "scenarios", "db", "measure")
"""The parts of framematrix whose code decides a count: a change to any of them is a new key."""


def key(contestant: str, db: DatabaseURL, server: str, repetitions: int) -> str:
    """What a kept row must have been measured with: the code, versions and database."""
    return install_cache.key(
        COUNTED_BY,
        versions=get(contestant).versions(),
        db=db.kind,
        server=server,
        repetitions=repetitions,
    )


def measured(
    contestants: Sequence[str], db: DatabaseURL, server: str, *, repetitions: int = 1
) -> tuple[ledger.Ledger, list[str]]:
    """The ledger of `contestants` on `db` (whose server is `server`, `PostgreSQL 18.6`), each
    contestant's rows from the cache when kept for the same key, else measured and kept; and
    the contestants whose rows came from the cache."""
    keys = {name: key(name, db, server, repetitions) for name in contestants}
    kept: dict[str, dict[str, Any]] = {}
    for name in contestants:
        if (found := install_cache.read(KIND, name, keys[name])) is not None:
            kept[name] = found
    missing = [name for name in contestants if name not in kept]
    fresh = ledger.measure(missing, db, repetitions=repetitions) if missing else None
    for name in missing:
        assert fresh is not None
        part = {
            "rows": [r.record() for r in fresh.rows if r.contestant == name],
            "pool": fresh.pools.get(name),
        }
        install_cache.keep(KIND, name, keys[name], part)
        kept[name] = part
    rows = [row for name in contestants for row in kept[name]["rows"]]
    pools = {name: kept[name]["pool"] for name in contestants if kept[name].get("pool")}
    found = ledger.Ledger.from_record(
        {"db": db.kind, "repetitions": repetitions, "rows": rows, "pools": pools}
    )
    return found, [name for name in contestants if name not in missing]
