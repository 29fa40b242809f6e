"""The measurements `matrix` makes beside its trials, for more contestants than the default
job's three: cold start, install footprint, test clients and batteries of Django, FastAPI,
Flask, Litestar and Django Ninja, on a freshly seeded database (the embedded PostgreSQL unless
`--db` says otherwise), two jobs at a time on cores of their own, as `matrix` measures them;
then the verdict each side claim gives on them. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/side_tables.py [--db sqlite] [--contestants a,b,c]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from framematrix.claims.catalog import CATALOGUE, RunCheck
from framematrix.claims.evidence import Evidence
from framematrix.claims.kinds import JUDGES
from framematrix.db.choice import seeded
from framematrix.db.seed import SeedSize
from framematrix.measure import side
from framematrix.report.side_view import rich_tables

CONTESTANTS = "django,fastapi,flask,litestar,django-ninja"
SIDE_KINDS = ("cold-start", "footprint", "test-clients", "batteries")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=None, help="default: the embedded PostgreSQL")
    parser.add_argument("--contestants", default=CONTESTANTS)
    args = parser.parse_args()
    out = Console(width=100)
    with (
        tempfile.TemporaryDirectory(prefix="side-tables-") as scratch,
        seeded(args.db, sqlite_file=Path(scratch) / "side.db", size=SeedSize()) as database,
    ):
        found = side.measure(
            args.contestants.split(","), database.url.url, say=lambda what: out.print(what)
        )
    out.print(
        f"cores: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.2f}, "
        f"side work {found.seconds:.1f} s"
    )
    for table in rich_tables(found):
        out.print(table)
    evidence = Evidence({}, side=found)
    for claim in CATALOGUE:
        check = claim.check
        if isinstance(check, RunCheck) and check.kind in SIDE_KINDS:
            _, judged = JUDGES[check.kind](check, evidence)
            out.print(f"[bold]{claim.id}[/]: {judged.verdict}: {judged.evidence}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
