"""Shared fixtures: real databases (SQLite files, throw-away PostgreSQL databases) and servers."""

from __future__ import annotations

import os
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from framematrix.db import broker
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError
from framematrix.servers import RunningServer, ServerConfig, free_port
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    # A suite started in the background of a non-interactive shell inherits SIGINT ignored, and
    # so would every run and server it starts: the tests that press Ctrl-C on them need it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)

PG_ADMIN_URL = os.environ.get(
    "FRAMEMATRIX_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_SEED = SeedSize(authors=50, posts=200)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server's admin URL: the one at `FRAMEMATRIX_TEST_PG` when it answers, else
    the embedded PostgreSQL, started for this test process; skipped only where neither runs
    (never in CI, where it fails)."""
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3).close()
        yield PG_ADMIN_URL
        return
    except psycopg.OperationalError as exc:
        unreachable = str(exc).strip()[:80]
    from framematrix.db.embedded import EmbeddedPostgres

    server = EmbeddedPostgres()
    try:
        url = server.start()
    except FramematrixError as exc:
        if os.environ.get("CI"):
            raise  # in CI PostgreSQL must be there: fail, never skip
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL} ({unreachable}), and no embedded one: {exc}")
    try:
        yield url.url.rsplit("/", 1)[0] + "/postgres"
    finally:
        server.stop()


def _pg_admin(admin_url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(admin_url, autocommit=True, connect_timeout=3)


@pytest.fixture
def test_seed() -> SeedSize:
    """The small seed every test database gets."""
    return TEST_SEED


@pytest.fixture
def sqlite_db(tmp_path) -> DatabaseURL:  # type: ignore[no-untyped-def]
    db = DatabaseURL.parse(f"sqlite:///{tmp_path / 'blog.db'}")
    init(db, TEST_SEED)
    return db


@pytest.fixture
def pg_db(pg_admin_url: str) -> Iterator[DatabaseURL]:
    """A fresh PostgreSQL database of its own, seeded, dropped afterwards."""
    name = f"fm_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin(pg_admin_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = pg_admin_url.rsplit("/", 1)[0]
    db = DatabaseURL.parse(f"{base}/{name}")
    try:
        init(db, TEST_SEED)
        yield db
    finally:
        with _pg_admin(pg_admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request) -> DatabaseURL:  # type: ignore[no-untyped-def]
    """Each test that takes `db` runs once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


ServeFactory = Callable[..., AbstractContextManager[RunningServer]]


@pytest.fixture
def serve() -> Iterator[ServeFactory]:
    """`with serve("flask", "granian", db) as server:` starts a real server on a free port."""
    started: list[RunningServer] = []

    def start(contestant: str, server: str | None, db: DatabaseURL, **options: object):  # type: ignore[no-untyped-def]
        from framematrix.servers import resolve

        _, server_name = resolve(contestant, server, realtime=bool(options.get("realtime")))
        config = ServerConfig(
            contestant=contestant,
            server=server_name,
            db_url=db.url,
            port=free_port(),
            **options,  # type: ignore[arg-type]
        )
        running = RunningServer(config)
        started.append(running)
        try:
            running.start()
        except FramematrixError as exc:
            pytest.fail(str(exc))
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def upstream() -> Iterator[RunningUpstream]:
    """A real upstream service (5 ms latency) of the test's own; give a server
    `env=upstream.env(timeout_s)` to point it there."""
    with RunningUpstream(UpstreamConfig(latency_ms=5.0)) as running:
        yield running


CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)  # fmt: skip
"""Debian's Chromium on a closed network: without the background-networking flags it keeps
trying hosts it cannot reach."""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium driven by selenium, with its console log kept for the test to read."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        from selenium import webdriver
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = f"no headless Chromium: missing {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(reason)  # in CI the browser must be there: fail, never skip
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The broker every realtime test uses; skips where none answers, fails under CI."""
    url = broker.url()
    try:
        broker.check(url)
    except FramematrixError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis: {exc}")  # in CI the broker must be there
        pytest.skip(str(exc))
    return url
