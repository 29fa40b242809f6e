"""What one request asks of the database: round trips, statements and transactions.

Both sources of evidence (the PostgreSQL wire proxy, `pg_wire`, and the SQLite trace inside the
server, `sqlite_trace`) turn what they see into the same few events, and `tally` counts them
with one set of rules, so the words mean the same on both databases:

- a **round trip** is each time the client stops and waits for the server (`Wait`): on the
  PostgreSQL wire, one simple `Query` message or one `Sync` that ends a batch of the extended
  protocol (Parse/Bind/Execute), plus the waits of opening a connection; on SQLite, which has no
  wire, each statement the library runs, transaction control included, since the request
  waits for each call into the library (for aiosqlite, each is also a hop to its thread);
- a **statement** is each SQL command the server runs (`Statement`), other than transaction
  control (BEGIN, START, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE): a health check's
  `SELECT 1` is a statement;
- a **transaction** is each transaction the server runs: an explicit one (BEGIN … COMMIT or
  ROLLBACK) counts once, and so does each implicit one (a statement run outside any explicit
  transaction commits on its own; on the PostgreSQL wire, all Executes before one Sync share one);
- a **connection** is each new database connection opened;
- a statement is **prepared** when the server runs it from a named prepared statement (the
  extended protocol's Parse once, then Bind/Execute by name): asyncpg's statement cache, or
  psycopg once a query has run `prepare_threshold` times on a connection with server-side
  binding. Client-side binding (a simple `Query` with the values in its text) and an unnamed
  Parse prepare nothing. SQLite has no wire: its statements count as not prepared here (Python's
  sqlite3 caches compiled statements inside the process, which no wire shows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

CONTROL = frozenset(
    {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"}
)
"""Transaction control: counted as round trips and transactions, never as statements."""
_OPENS = frozenset({"BEGIN", "START"})
_CLOSES = frozenset({"COMMIT", "END", "ROLLBACK", "ABORT"})
_COMMENTS = re.compile(r"\s+|--[^\n]*(?:\n|$)|/\*.*?\*/", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?([A-Za-z_][A-Za-z_0-9]*)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Connect:
    """The client opens a connection (counted apart: a pool that works opens none per request)."""

    connection: str


@dataclass(frozen=True)
class Wait:
    """The client waits for the server: one round trip."""

    connection: str


@dataclass(frozen=True)
class Statement:
    connection: str
    sql: str
    prepared: bool = False
    """Run from a named prepared statement."""


@dataclass(frozen=True)
class Ready:
    """The server is ready again; `in_transaction` is what it reports (PostgreSQL's
    ReadyForQuery), or None where only the statements tell (SQLite)."""

    connection: str
    in_transaction: bool | None = None


Event = Connect | Wait | Statement | Ready


@dataclass(frozen=True)
class Work:
    """The database work of one request."""

    round_trips: int
    statements: int
    transactions: int
    connections: int
    trace: tuple[str, ...]
    """Every command in the order sent, each as `describe` puts it (`SELECT authors`)."""
    prepared: int = 0
    """Statements (transaction control aside) the server ran from a named prepared statement."""
    used: frozenset[str] = frozenset()
    """The connections that ran a statement: under concurrent requests, the pool in use."""


def verb(sql: str) -> str:
    """The command's first keyword, upper-cased, comments and blanks skipped."""
    rest = _COMMENTS.sub(" ", sql).strip()
    word = _WORD.match(rest)
    return word.group(0).upper() if word else ""


def _words(sql: str, count: int) -> list[str]:
    return [word.upper() for word in _WORD.findall(_COMMENTS.sub(" ", sql))[:count]]


def is_control(sql: str) -> bool:
    return verb(sql) in CONTROL


def describe(sql: str) -> str:
    """A short name for a command: `BEGIN`, `SELECT 1`, `SELECT posts`, `INSERT authors`."""
    command = verb(sql)
    if command in CONTROL:
        return command
    table = _TABLE.search(sql)
    if table:
        return f"{command} {table.group(1).lower()}"
    return " ".join(_COMMENTS.sub(" ", sql).split())[:20] or "(empty)"


def _rolls_back_to_savepoint(sql: str) -> bool:
    words = _words(sql, 3)
    return words[:1] == ["ROLLBACK"] and "TO" in words[1:]


class _Connection:
    __slots__ = ("implicit", "open")

    def __init__(self) -> None:
        self.open = False
        """Inside an explicit transaction."""
        self.implicit = False
        """An implicit transaction has been counted since the last Ready."""


def tally(events: Iterable[Event]) -> Work:
    """Count the events of one request by the rules in this module's docstring."""
    round_trips = statements = transactions = connections = prepared = 0
    trace: list[str] = []
    used: set[str] = set()
    state: dict[str, _Connection] = {}
    for event in events:
        conn = state.setdefault(event.connection, _Connection())
        if isinstance(event, Connect):
            connections += 1
        elif isinstance(event, Wait):
            round_trips += 1
        elif isinstance(event, Ready):
            if event.in_transaction is not None:
                conn.open = event.in_transaction
            conn.implicit = False
        else:
            trace.append(describe(event.sql))
            command = verb(event.sql)
            if command in _OPENS:
                transactions += not conn.open
                conn.open = True
            elif command in _CLOSES and not _rolls_back_to_savepoint(event.sql):
                conn.open = False
            elif command not in CONTROL:
                statements += 1
                prepared += event.prepared
                used.add(event.connection)
                if not conn.open and not conn.implicit:
                    transactions += 1
                    conn.implicit = True
    return Work(
        round_trips, statements, transactions, connections, tuple(trace), prepared, frozenset(used)
    )
