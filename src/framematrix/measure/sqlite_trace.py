"""SQLite's side of the ledger: every statement the server process runs, traced inside it.

SQLite has no wire to watch, so the evidence comes from the library itself: `install` (run by
`sqlite_hook/sitecustomize.py` in the server process, and only when the ledger asks for it)
wraps `sqlite3.connect`, through which sqlite3, aiosqlite, SQLAlchemy and Django all open their
connections, and gives each connection a trace callback. SQLite calls it for every statement it
runs, including the BEGIN and COMMIT the sqlite3 module issues on its own. Each line of the
trace file is `connection<TAB>connect` or `connection<TAB>statement<TAB>SQL`.

SQLite reports a statement again at the start of each trigger program it runs, and a foreign
key's ON DELETE or ON UPDATE action is one; Python's callback cannot tell the two reports apart.
So a DELETE or UPDATE reported again with the same expanded SQL (parameters filled in) on the
same connection, with nothing in between, is left out as that second report. Only those two
commands fire foreign-key actions; an INSERT sent twice is counted twice.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from framematrix.measure.db_work import Connect, Event, Ready, Statement, Wait, verb

ENV_VAR = "FRAMEMATRIX_SQL_TRACE"
HOOK_DIR = Path(__file__).with_name("sqlite_hook")
QUIET_S = 0.08
_FIRE_ACTIONS = frozenset({"UPDATE", "DELETE"})


def install(path: str) -> None:
    """From now on, every new sqlite3 connection in this process reports to `path`."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    original = sqlite3.connect
    numbers = itertools.count(1)

    def write(line: str) -> None:
        os.write(fd, (line + "\n").encode("utf-8", "replace"))

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = original(*args, **kwargs)
        name = f"{os.getpid()}.{next(numbers)}"
        last = ""

        def trace(sql: str) -> None:
            nonlocal last
            if sql == last and verb(sql) in _FIRE_ACTIONS:
                return  # the same statement entering a trigger program
            last = sql
            write(f"{name}\tstatement\t{' '.join(sql.split())}")

        write(f"{name}\tconnect")
        conn.set_trace_callback(trace)
        return conn

    # Both names: Django and SQLAlchemy call `sqlite3.dbapi2.connect`, aiosqlite `sqlite3.connect`.
    sqlite3.connect = sqlite3.dbapi2.connect = connect  # type: ignore[assignment]  # overloads


class SqliteTrace:
    """The reading side: a trace file, and the environment that makes a server write it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "sqlite-trace.log"
        self.path.touch()

    def env(self) -> dict[str, str]:
        """What to add to a server's environment so that it traces into this file."""
        inherited = os.environ.get("PYTHONPATH")
        path = os.pathsep.join([str(HOOK_DIR), *([inherited] if inherited else [])])
        return {"PYTHONPATH": path, ENV_VAR: str(self.path)}

    def mark(self) -> int:
        return self.path.stat().st_size

    def since(self, mark: int) -> list[Event]:
        with self.path.open("rb") as trace:
            trace.seek(mark)
            data = trace.read()
        events: list[Event] = []
        for line in data.decode("utf-8", "replace").splitlines():
            name, kind, *sql = line.split("\t", 2)
            if kind == "connect":
                events.append(Connect(name))
            elif sql:
                events += [Wait(name), Statement(name, sql[0]), Ready(name)]
        return events

    def settle(self, quiet_s: float = QUIET_S, timeout_s: float = 5.0) -> None:
        """Wait until the file has not grown for `quiet_s` (or `timeout_s` has passed)."""
        deadline = time.monotonic() + timeout_s
        size, since = self.mark(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(quiet_s / 4)
            now = self.mark()
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return
