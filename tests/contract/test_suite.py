"""The contract suite passes for every contestant under every server it runs under."""

from __future__ import annotations

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract.client import Client
from framematrix.contract.suite import NO_UPSTREAM, check_names, failures, not_applicable, run
from framematrix.contract.workload_checks import WORKLOAD_CHECKS
from framematrix.measure.verify import SUITE_UPSTREAM_TIMEOUT_S
from framematrix.servers import servers_for
from support.careless import careless_server

PAIRS = [(spec.name, server) for spec in CONTESTANTS.values() for server in servers_for(spec)]


@pytest.mark.slow
@pytest.mark.parametrize(("contestant", "server"), PAIRS, ids=[f"{c}-{s}" for c, s in PAIRS])
def test_contract_holds(contestant, server, db, serve, upstream) -> None:  # type: ignore[no-untyped-def]
    env = upstream.env(SUITE_UPSTREAM_TIMEOUT_S)
    running = serve(contestant, server, db, workers=1, env=env)
    lacks = CONTESTANTS[contestant].lacks
    results = run(running.config.url, upstream, SUITE_UPSTREAM_TIMEOUT_S, lacks)
    failed = failures(results)
    assert not failed, "\n".join(f"{f.name}: {f.detail}" for f in failed)
    # Nothing is skipped but the checks of the parts the contestant is known to lack.
    lacking = {part for part, _ in lacks}
    expected = {check.name for check in WORKLOAD_CHECKS if check.part in lacking}
    assert {result.name for result in not_applicable(results)} == expected


def test_suite_catches_a_careless_server(upstream) -> None:  # type: ignore[no-untyped-def]
    with careless_server() as url:
        results = {result.name: result for result in run(url, upstream, SUITE_UPSTREAM_TIMEOUT_S)}
    assert list(results) == check_names()
    assert not not_applicable(results.values()), "every check must run against it"
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


def test_checks_of_a_part_a_server_lacks_are_reported_not_applicable(upstream) -> None:  # type: ignore[no-untyped-def]
    """Not failed, not dropped: each check of the part is there, with the reason."""
    lacks = (("image", "not in the article's code"),)
    with careless_server() as url:
        results = {result.name: result for result in run(url, upstream, 0.5, lacks)}
    assert list(results) == check_names()
    for check in WORKLOAD_CHECKS:
        result = results[check.name]
        if check.part == "image":
            assert not result.applicable and not result.passed
            assert "lacks image (not in the article's code)" in result.detail
        else:
            assert result.applicable and not result.passed, check.name
    assert all(r.applicable for r in failures(results.values()))


def test_upstream_checks_need_the_upstream_the_server_calls() -> None:
    with careless_server() as url:
        results = {result.name: result for result in run(url)}
    for check in WORKLOAD_CHECKS:
        result = results[check.name]
        assert result.applicable is not check.needs_upstream, check.name
        if check.needs_upstream:
            assert result.detail == NO_UPSTREAM
