"""FAIRNESS.md's server-settings table is true of the server records: every setting it says is
the same for every server is, and every exception it names is one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.servers import SERVERS, ServerConfig, servers_for

FAIRNESS = Path(__file__).parents[2] / "FAIRNESS.md"


def table() -> dict[str, tuple[str, str]]:
    """setting -> (value for every server, exceptions) from the `## Server settings` section."""
    text = FAIRNESS.read_text(encoding="utf-8")
    section = text.split("## Server settings", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("setting", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def launches(tuning: str = "equal") -> list[ServerConfig]:
    """Every (contestant, server) pair framematrix can start, on one server core."""
    return [
        ServerConfig(name, server, "sqlite:///unused.db", cpus=(0,), tuning=tuning)
        for name, spec in CONTESTANTS.items()
        for server in servers_for(spec)
    ]


def exceptions(cell: str) -> set[str]:
    return (
        set()
        if cell == "none"
        else set(
            re.findall(
                r"(gunicorn-sync|granian|gunicorn-gthread|gunicorn-gevent"
                r"|gunicorn-uvicorn|uvicorn)(?=[:,])",
                cell,
            )
        )
    )


def test_the_table_names_every_recorded_setting() -> None:
    recorded = set(ServerConfig("raw-wsgi", "gunicorn-sync", "sqlite:///x.db").settings.record())
    assert recorded - {"keepalive"} <= set(table()) and "workers" in table()


@pytest.mark.parametrize("setting", ["backlog", "access_log", "log_level", "server_header",
                                     "keepalive_timeout_s"])  # fmt: skip
def test_what_fairness_says_is_equal_is_equal(setting: str) -> None:
    _, exempt = table()[setting]
    values = {
        config.server: config.settings.record()[setting]
        for config in launches()
        if config.server not in exceptions(exempt)
    }
    assert len(set(values.values())) == 1, values
    assert exceptions(exempt) <= set(SERVERS)


def test_workers_are_one_per_core_under_equal_and_the_docs_count_under_docs() -> None:
    for config in launches():
        assert config.worker_count == 1  # one server core
    docs = {config.server: config.worker_count for config in launches("docs")}
    assert docs["gunicorn-sync"] == docs["gunicorn-gthread"] == docs["gunicorn-uvicorn"] == 3
    assert docs["gunicorn-gevent"] == 3
    assert docs["uvicorn"] == docs["granian"] == 1


def test_threads_are_equal_for_wsgi_in_threads_and_absent_elsewhere() -> None:
    threads = {(c.server, CONTESTANTS[c.contestant].interface): c.thread_count for c in launches()}
    assert threads[("gunicorn-gthread", "wsgi")] == threads[("granian", "wsgi")] == 4
    no_pool = ("gunicorn-sync", "gunicorn-gevent")
    assert all(v is None for (server, interface), v in threads.items()
               if interface == "asgi" or server in no_pool)  # fmt: skip


def test_greenlet_workers_serve_gunicorns_default_connections_and_pool_within_bounds() -> None:
    gevent = [c for c in launches() if c.server == "gunicorn-gevent"]
    assert gevent and all(c.settings.connections == 1000 for c in gevent)
    assert all(c.pool_size == 16 for c in gevent)
    assert all(c.settings.connections is None for c in launches() if c.server != "gunicorn-gevent")
    assert all("--worker-connections 1000" in " ".join(c.command()) for c in gevent)


def test_a_threaded_realtime_server_holds_a_thread_per_socket_it_is_asked_to_hold() -> None:
    flask = ServerConfig("flask", "gunicorn-gthread", "sqlite:///x.db", realtime=True, sockets=2002)
    assert flask.thread_count == 2010
    assert "--worker-connections 2010" in " ".join(flask.command())
    unknown = ServerConfig("flask", "gunicorn-gthread", "sqlite:///x.db", realtime=True)
    assert unknown.thread_count == 100  # Flask-Sock's docs' example, where the load is not known


def test_every_setting_is_on_the_command_line() -> None:
    for config in launches():
        settings, argv = config.settings, " ".join(config.command())
        assert str(settings.backlog) in argv and settings.log_level in argv
        if settings.keepalive_timeout_s is not None:
            assert f" {settings.keepalive_timeout_s} " in argv
        if settings.threads:
            assert f" {settings.threads} " in argv
