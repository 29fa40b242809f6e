"""The SQLite trace sees every statement a process runs once its hook is on the PYTHONPATH.

A real child process (as a server is), real sqlite3 and aiosqlite connections, a real foreign
key cascade: the trace must count what SQLite ran, the module's own BEGIN/COMMIT included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from framematrix.measure.db_work import tally
from framematrix.measure.sqlite_trace import SqliteTrace

CHILD = textwrap.dedent(
    """
    import asyncio, sqlite3, sys
    import aiosqlite
    db = sys.argv[1]
    conn = sqlite3.connect(db)
    conn.executescript('''
        PRAGMA foreign_keys = ON;
        CREATE TABLE a (id INTEGER PRIMARY KEY);
        CREATE TABLE p (id INTEGER PRIMARY KEY, a INTEGER REFERENCES a (id) ON DELETE CASCADE);
    ''')
    print("ready", flush=True)
    sys.stdin.readline()
    conn.execute("INSERT INTO a VALUES (1)")
    conn.execute("INSERT INTO p VALUES (1, 1)")
    conn.commit()
    for _ in range(2):  # the same INSERT twice: two statements
        conn.execute("INSERT INTO p VALUES (NULL, 1)")
    conn.commit()
    conn.execute("SELECT * FROM a").fetchall()
    conn.execute("DELETE FROM a WHERE id = ?", (1,))
    conn.commit()

    async def main():
        async with aiosqlite.connect(db) as other:
            await other.execute_fetchall("SELECT count(*) FROM p")
    asyncio.run(main())
    """
)


def test_the_trace_counts_what_sqlite_ran(tmp_path: Path) -> None:
    trace = SqliteTrace(tmp_path)
    env = {**os.environ, **trace.env()}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "t.db")],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        mark = trace.mark()
        child.stdin.write("go\n")
        child.stdin.close()
        assert child.wait(timeout=30) == 0
    trace.settle()
    work = tally(trace.since(mark))
    assert work.trace == (
        "BEGIN", "INSERT a", "INSERT p", "COMMIT",
        "BEGIN", "INSERT p", "INSERT p", "COMMIT",
        "SELECT a",
        "BEGIN", "DELETE a", "COMMIT",  # reported once, though the cascade runs a trigger
        "SELECT p",
    )  # fmt: skip
    assert work.connections == 1, "the aiosqlite connection, opened after the mark"
    assert (work.round_trips, work.statements, work.transactions) == (13, 7, 5)


def test_no_trace_without_the_environment(tmp_path: Path) -> None:
    trace = SqliteTrace(tmp_path)
    code = "import sqlite3; sqlite3.connect(':memory:').execute('SELECT 1')"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert trace.since(0) == []
