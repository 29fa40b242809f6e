"""`framematrix verify`: start contestants under their servers and run the contract suite.

A contestant that fails to start is a failed verification (one result that says why), not an
error of the command: the other contestants are still verified. Each contestant gets an upstream
of its own, started here, so the suite can stop and stall it; the contestant waits on it for
`SUITE_UPSTREAM_TIMEOUT_S`, short so that the stall check is quick.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract import suite
from framematrix.contract.suite import CheckResult, reachable, run
from framematrix.db.choice import seeded
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve, servers_for
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

SUITE_UPSTREAM_TIMEOUT_S = 0.5
SUITE_UPSTREAM = UpstreamConfig(latency_ms=5.0)
"""A short latency: the suite checks what the answers are, not how long they take."""


@dataclass(frozen=True)
class Verdict:
    contestant: str
    """A contestant's name, or the URL of a server that was already running."""
    server: str | None
    results: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[CheckResult]:
        return suite.failures(self.results)

    @property
    def not_applicable(self) -> list[CheckResult]:
        """Checks of parts it lacks: reported, neither passed nor failed."""
        return suite.not_applicable(self.results)

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
def database(given: str | None) -> Iterator[DatabaseURL]:
    """The database to verify on, created and seeded: `--db` as given, by default the
    embedded PostgreSQL (`--db sqlite`: a temporary SQLite file)."""
    with (
        tempfile.TemporaryDirectory(prefix="framematrix-verify-") as folder,
        seeded(given, sqlite_file=Path(folder) / "verify.db", size=SeedSize()) as db,
    ):
        yield db.url


def verify_url(url: str) -> Verdict:
    """A running server: the upstream's failure modes are not applicable (the suite does not
    hold the upstream it calls), everything else is checked."""
    reachable(url)
    return Verdict(url, None, tuple(run(url)))


def verify_contestant(contestant: str, server: str, db: DatabaseURL, workers: int) -> Verdict:
    lacks = CONTESTANTS[contestant].lacks
    try:
        with RunningUpstream(SUITE_UPSTREAM) as upstream:
            env = upstream.env(SUITE_UPSTREAM_TIMEOUT_S)
            config = ServerConfig(
                contestant, server, db.url, port=free_port(), workers=workers, env=env
            )
            with RunningServer(config):
                results = run(config.url, upstream, SUITE_UPSTREAM_TIMEOUT_S, lacks)
    except FramematrixError as exc:
        results = [CheckResult("the server starts", False, str(exc))]
    return Verdict(contestant, server, tuple(results))
