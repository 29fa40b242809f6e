"""A TCP proxy in front of PostgreSQL that records, from the wire, what clients ask of it.

It needs no hook in the code under test: a server is simply given the proxy's address as its
database (`through`), and none can hide a query from it. It reads both directions of the
protocol (PostgreSQL's "Frontend/Backend Protocol", version 3) and turns them into the events of
`framematrix.measure.db_work`:

- frontend `Query` ('Q'): one `Statement` per SQL command in its text, then one `Wait`;
- frontend `Parse` ('P') and `Bind` ('B') only remember which SQL a portal runs, and whether
  from a named (prepared) statement; `Execute` ('E') is one `Statement` with that SQL; `Sync`
  ('S') is one `Wait`, and so is `Flush` ('H'), after which a driver waits for the answers so
  far (asyncpg, preparing a statement);
- opening a connection: `Connect`, and one `Wait` for the SSL/GSS request (which the proxy
  declines itself with 'N', so every message can be read), the startup message and each
  password message;
- backend `ReadyForQuery` ('Z'): `Ready`, with the server's own transaction status.

Events are logged before the bytes are passed on, so on each connection they are in the order
the server saw them.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import count
from urllib.parse import urlsplit, urlunsplit

from framematrix.db.url import DatabaseURL
from framematrix.measure.db_work import Connect, Event, Ready, Statement, Wait, verb

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
QUIET_S = 0.08
"""No bytes either way for this long: the request's database work is over (pools reset a
connection just after the response is sent)."""


class PgProxy:
    """Listens on 127.0.0.1:`port` and forwards each connection to `upstream`."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._ids = count(1)
        self._last_activity = time.monotonic()
        self._closed = False

    def start(self) -> PgProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def close(self) -> None:
        self._closed = True
        for sock in [self._listener, *self._sockets]:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def through(self, db: DatabaseURL) -> DatabaseURL:
        """The same database, reached through this proxy."""
        parts = urlsplit(db.url)
        user = parts.netloc.rpartition("@")[0]
        host = f"127.0.0.1:{self.port}"
        netloc = f"{user}@{host}" if user else host
        return DatabaseURL.parse(urlunsplit(parts._replace(netloc=netloc)))

    def mark(self) -> int:
        """A point in the log; `since(mark)` is everything recorded after it."""
        with self._lock:
            return len(self._events)

    def since(self, mark: int) -> list[Event]:
        with self._lock:
            return self._events[mark:]

    def settle(self, quiet_s: float = QUIET_S, timeout_s: float = 5.0) -> None:
        """Wait until no bytes have moved for `quiet_s` (or `timeout_s` has passed)."""
        deadline = time.monotonic() + timeout_s
        while (now := time.monotonic()) < deadline:
            idle = now - self._last_activity
            if idle >= quiet_s:
                return
            time.sleep(quiet_s - idle)

    def _record(self, *events: Event) -> None:
        with self._lock:
            self._events.extend(events)
            self._last_activity = time.monotonic()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self._sockets.append(client)
        name = f"pg{next(self._ids)}"
        try:
            startup = self._startup_message(client, name)
        except OSError:
            startup = None
        if startup is None:
            client.close()
            return
        server = socket.create_connection(self.upstream)
        self._sockets.append(server)
        self._record(Connect(name), Wait(name))
        server.sendall(startup)
        backend = _BackendReader(name, self._record)
        threading.Thread(target=self._pipe, args=(server, client, backend), daemon=True).start()
        self._pipe(client, server, _FrontendReader(name, self._record))

    def _startup_message(self, client: socket.socket, name: str) -> bytes | None:
        """Answer encryption requests with 'N' and return the first real startup message."""
        while True:
            head = _read_exactly(client, 8)
            if head is None:
                return None
            length, code = struct.unpack("!ii", head)
            if code in (SSL_REQUEST, GSSENC_REQUEST) and length == 8:
                self._record(Wait(name))
                client.sendall(b"N")
                continue
            rest = _read_exactly(client, length - 8)
            return None if rest is None else head + rest

    def _pipe(self, source: socket.socket, sink: socket.socket, reader: _Reader) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                reader.feed(data)
                self._touch()
                sink.sendall(data)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _read_exactly(sock: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _cstring(body: bytes, start: int = 0) -> tuple[str, int]:
    """A NUL-terminated string at `start`, and the offset just after it."""
    end = body.index(b"\0", start)
    return body[start:end].decode("utf-8", "replace"), end + 1


class _Reader:
    """Splits one direction's byte stream into typed messages (type byte, int32 length)."""

    def __init__(self, connection: str, record: Callable[..., None]) -> None:
        self.connection = connection
        self.record = record
        self._buffer = b""

    def feed(self, data: bytes) -> None:
        self._buffer += data
        events: list[Event] = []
        while len(self._buffer) >= 5:
            (length,) = struct.unpack("!i", self._buffer[1:5])
            if len(self._buffer) < 1 + length:
                break
            kind, body = self._buffer[0:1], self._buffer[5 : 1 + length]
            self._buffer = self._buffer[1 + length :]
            events.extend(self.message(kind, body))
        if events:
            self.record(*events)

    def message(self, kind: bytes, body: bytes) -> list[Event]:
        raise NotImplementedError


class _FrontendReader(_Reader):
    def __init__(self, connection: str, record: Callable[..., None]) -> None:
        super().__init__(connection, record)
        self._prepared: dict[str, str] = {}
        self._portals: dict[str, tuple[str, bool]] = {}
        """portal -> (its SQL, bound to a named prepared statement)."""

    def message(self, kind: bytes, body: bytes) -> list[Event]:
        name = self.connection
        if kind == b"Q":
            sql, _ = _cstring(body)
            return [*(Statement(name, part) for part in split_statements(sql)), Wait(name)]
        if kind == b"P":
            statement, after = _cstring(body)
            self._prepared[statement], _ = _cstring(body, after)
        elif kind == b"B":
            portal, after = _cstring(body)
            statement, _ = _cstring(body, after)
            self._portals[portal] = (self._prepared.get(statement, ""), statement != "")
        elif kind == b"E":
            portal, _ = _cstring(body)
            sql, prepared = self._portals.get(portal, ("", False))
            return [Statement(name, sql, prepared)]
        elif kind in (b"S", b"H", b"p"):
            return [Wait(name)]
        elif kind == b"C":
            target, _ = _cstring(body, 1)
            (self._prepared if body[:1] == b"S" else self._portals).pop(target, None)
        return []


class _BackendReader(_Reader):
    def message(self, kind: bytes, body: bytes) -> list[Event]:
        if kind == b"Z":
            return [Ready(self.connection, in_transaction=body[:1] in (b"T", b"E"))]
        return []


def split_statements(sql: str) -> list[str]:
    """The commands of one simple Query, split at semicolons outside quotes and comments.

    Knows '…' strings (with '' inside, and backslash escapes after E), "…" identifiers and
    -- / /* */ comments: enough for what drivers and client-side binding send.
    """
    parts: list[str] = []
    start = i = 0
    n = len(sql)
    while i < n:
        char = sql[i]
        if char == "'":
            escapes = i > 0 and sql[i - 1] in "eE"
            i += 1
            while i < n:
                if escapes and sql[i] == "\\":
                    i += 2
                    continue
                if sql[i] == "'":
                    if i + 1 < n and sql[i + 1] == "'":
                        i += 2
                        continue
                    break
                i += 1
        elif char == '"':
            i = sql.find('"', i + 1)
            i = n if i < 0 else i
        elif sql.startswith("--", i):
            i = sql.find("\n", i)
            i = n if i < 0 else i
        elif sql.startswith("/*", i):
            i = sql.find("*/", i + 2)
            i = n if i < 0 else i + 1
        elif char == ";":
            parts.append(sql[start:i])
            start = i + 1
        i += 1
    parts.append(sql[start:])
    return [part.strip() for part in parts if verb(part)]


@contextmanager
def pg_proxy(host: str, port: int) -> Iterator[PgProxy]:
    proxy = PgProxy((host, port)).start()
    try:
        yield proxy
    finally:
        proxy.close()


@contextmanager
def proxied(db: DatabaseURL) -> Iterator[PgProxy]:
    """A proxy in front of the server `db` names."""
    parts = urlsplit(db.url)
    with pg_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        yield proxy
