"""The contract suite passes for every contestant under every server it runs under."""

from __future__ import annotations

import pytest

from framematrix.client import Client
from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract.suite import check_names, failures, run
from framematrix.servers import servers_for
from support.careless import careless_server

PAIRS = [(spec.name, server) for spec in CONTESTANTS.values() for server in servers_for(spec)]


@pytest.mark.slow
@pytest.mark.parametrize(("contestant", "server"), PAIRS, ids=[f"{c}-{s}" for c, s in PAIRS])
def test_contract_holds(contestant, server, db, serve) -> None:  # type: ignore[no-untyped-def]
    running = serve(contestant, server, db, workers=1)
    failed = failures(run(running.config.url))
    assert not failed, "\n".join(f"{f.name}: {f.detail}" for f in failed)


def test_suite_catches_a_careless_server() -> None:
    with careless_server() as url:
        results = {result.name: result for result in run(url)}
    assert list(results) == check_names()
    for name in (
        "health",
        "no 5xx in any answer",
        "every answer is JSON (a 204 is empty)",
        "every error body is an object with 'detail'",
        "no traceback, debug page or server version in any answer",
    ):
        assert not results[name].passed, name
    assert (
        "Werkzeug/3.0.1"
        in results["no traceback, debug page or server version in any answer"].detail
    )
    vacuous = [name for name, result in results.items() if result.passed]
    assert not vacuous, f"checks that passed against a broken server: {vacuous}"


@pytest.mark.slow
def test_suite_runs_twice_against_a_live_server(sqlite_db, serve) -> None:  # type: ignore[no-untyped-def]
    running = serve("raw-asgi", None, sqlite_db, workers=1)
    before = Client(running.config.url).get("/authors?limit=100").json()
    for _ in range(2):
        failed = failures(run(running.config.url))
        assert not failed, "\n".join(f"{f.name}: {f.detail}" for f in failed)
    assert Client(running.config.url).get("/authors?limit=100").json() == before, "data left over"
