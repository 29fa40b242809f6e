"""A TCP proxy in front of PostgreSQL that counts the SQL statements clients send.

It needs no hook in the code under test: a contestant is simply given the proxy's address as its
database. Statements are counted from the frontend protocol: one 'Q' (simple query) or one 'E'
(Execute of the extended protocol) per statement run. The proxy declines SSL and GSS encryption
itself ('N'), so the clients fall back to plain TCP and every message can be read.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
STATEMENTS = {ord("Q"), ord("E")}


class PgProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._count = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False

    @property
    def statements(self) -> int:
        with self._lock:
            return self._count

    def start(self) -> PgProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def close(self) -> None:
        self._closed = True
        for sock in [self._listener, *self._sockets]:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self._sockets.append(client)
        try:
            startup = _startup_message(client)
        except OSError:
            client.close()
            return
        if startup is None:
            client.close()
            return
        server = socket.create_connection(self.upstream)
        self._sockets.append(server)
        server.sendall(startup)
        threading.Thread(target=_pipe, args=(server, client), daemon=True).start()
        _pipe(client, server, on_data=_MessageCounter(self._add))

    def _add(self, n: int) -> None:
        with self._lock:
            self._count += n


def _read_exactly(sock: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _startup_message(client: socket.socket) -> bytes | None:
    """Answer encryption requests with 'N' and return the first real startup message."""
    while True:
        head = _read_exactly(client, 8)
        if head is None:
            return None
        length, code = struct.unpack("!ii", head)
        if code in (SSL_REQUEST, GSSENC_REQUEST) and length == 8:
            client.sendall(b"N")
            continue
        rest = _read_exactly(client, length - 8)
        return None if rest is None else head + rest


class _MessageCounter:
    """Splits the frontend byte stream into messages and reports how many were statements."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self._report = report
        self._buffer = b""

    def __call__(self, data: bytes) -> None:
        self._buffer += data
        found = 0
        while len(self._buffer) >= 5:
            kind = self._buffer[0]
            (length,) = struct.unpack("!i", self._buffer[1:5])
            if len(self._buffer) < 1 + length:
                break
            self._buffer = self._buffer[1 + length :]
            found += kind in STATEMENTS
        if found:
            self._report(found)


def _pipe(
    source: socket.socket, sink: socket.socket, on_data: Callable[[bytes], None] | None = None
) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            if on_data is not None:
                on_data(data)
            sink.sendall(data)
    for sock in (source, sink):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def pg_proxy(host: str, port: int) -> Iterator[PgProxy]:
    proxy = PgProxy((host, port)).start()
    try:
        yield proxy
    finally:
        proxy.close()
