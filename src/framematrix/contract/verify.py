"""`framematrix verify`: start contestants under their servers and run the contract suite.

A contestant that fails to start is a failed verification (one result that says why), not an
error of the command: the other contestants are still verified.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract.suite import CheckResult, reachable, run
from framematrix.db.init import check, init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve, servers_for


@dataclass(frozen=True)
class Verdict:
    contestant: str
    """A contestant's name, or the URL of a server that was already running."""
    server: str | None
    results: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def failures(self) -> list[CheckResult]:
        return [result for result in self.results if not result.passed]

    def record(self) -> dict[str, object]:
        return {
            "contestant": self.contestant,
            "server": self.server,
            "passed": self.passed,
            "checks": [vars(result) for result in self.results],
        }


def plan(names: list[str], server: str | None) -> list[tuple[str, str]]:
    """(contestant, server) pairs: the named contestants (default all) under `server`, or
    under every server each runs under. Unknown or impossible choices raise one clear line."""
    if not names:
        names = [
            n for n, spec in CONTESTANTS.items() if server is None or server in servers_for(spec)
        ]
        if not names:
            resolve(next(iter(CONTESTANTS)), server)  # says why no contestant fits
    if server is not None:
        return [(name, resolve(name, server)[1]) for name in names]
    return [(name, each) for name in names for each in servers_for(resolve(name, None)[0])]


@contextmanager
def database(url: str | None) -> Iterator[DatabaseURL]:
    """The database to verify on, created and seeded: `url`, or a temporary SQLite file."""
    with tempfile.TemporaryDirectory(prefix="framematrix-verify-") as folder:
        db = DatabaseURL.parse(url or f"sqlite:///{folder}/verify.db")
        check(db)
        init(db, SeedSize())
        yield db


def verify_url(url: str) -> Verdict:
    reachable(url)
    return Verdict(url, None, tuple(run(url)))


def verify_contestant(contestant: str, server: str, db: DatabaseURL, workers: int) -> Verdict:
    config = ServerConfig(contestant, server, db.url, port=free_port(), workers=workers)
    try:
        with RunningServer(config):
            results = run(config.url)
    except FramematrixError as exc:
        results = [CheckResult("the server starts", False, str(exc))]
    return Verdict(contestant, server, tuple(results))
