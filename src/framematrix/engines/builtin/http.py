"""One HTTP/1.1 keep-alive connection as an asyncio Protocol: send a request, parse its response.

Callbacks instead of coroutines keep the hot path short: the response's last byte arrives in
`data_received`, and the owner sends the next request from that same call. The parser handles
Content-Length, chunked bodies and bodies that end when the server closes, and notices
`Connection: close` (gunicorn's sync workers close after every response).
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import Protocol

from framematrix.engines.builtin.flows import Flow

MAX_HEAD = 65536
NEED_SIZE = -1
NEED_TRAILER = -2


class Owner(Protocol):
    def completed(self, conn: Connection, status: int, body: bytes) -> None: ...

    def failed(self, conn: Connection) -> None: ...

    def lost_idle(self, conn: Connection) -> None: ...


class Connection(asyncio.Protocol):
    __slots__ = ("_body", "_buf", "_chunk", "_left", "_status", "busy", "closing", "flow",
                 "keep_body", "owner", "sent_at", "started", "timed_out", "transport")  # fmt: skip

    def __init__(self, owner: Owner) -> None:
        self.owner = owner
        self.transport: asyncio.Transport | None = None
        self.flow: Flow | None = None
        self.started = 0.0
        """When the request was meant to go: its latency is counted from here."""
        self.sent_at = 0.0
        self.busy = False
        self.closing = False
        self.timed_out = False
        self.keep_body = False
        self._reset()

    def _reset(self) -> None:
        self._buf = b""
        self._status = 0
        self._left = 0
        self._chunk: int | None = None
        self._body: list[bytes] = []

    def send(self, flow: Flow, started: float | None = None) -> None:
        """Send the flow's next request; its latency counts from `started`, else from now."""
        assert self.transport is not None
        self.flow = flow
        self.busy = True
        self.keep_body = flow.wants_body
        data = flow.request()
        self.sent_at = monotonic()
        self.started = self.sent_at if started is None else started
        self.transport.write(data)

    def close(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.abort()

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a stream's is a Transport

    def data_received(self, data: bytes) -> None:
        if not self.busy:
            return self.abort()  # bytes nobody asked for: this connection cannot be trusted
        buf = self._buf + data if self._buf else data
        self._buf = b""
        try:
            if self._status == 0:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(buf) > MAX_HEAD:
                        raise ValueError("response head too long")
                    self._buf = buf
                    return None
                self._head(buf[:end])
                buf = buf[end + 4 :]
            if self._chunk is not None:
                if not self._chunks(buf):
                    return None
            elif self._left >= 0:
                if len(buf) < self._left:
                    self._left -= len(buf)
                    if self.keep_body:
                        self._body.append(buf)
                    return None
                if self.keep_body:
                    self._body.append(buf[: self._left])
            else:
                if self.keep_body:
                    self._body.append(buf)
                return None  # the body ends when the server closes
        except ValueError:
            self.abort()
            return None
        self._complete()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        if not self.busy:
            self.owner.lost_idle(self)
        elif self._status and self._left < 0 and self._chunk is None and not self.timed_out:
            self._complete()
        else:
            self.busy = False
            self.owner.failed(self)

    # parsing

    def _head(self, head: bytes) -> None:
        if not head.startswith(b"HTTP/1."):
            raise ValueError("not an HTTP/1.x response")
        status = int(head[9:12])
        lower = head.lower()
        if head[7:8] == b"0":
            self.closing = b"\r\nconnection: keep-alive" not in lower
        else:
            self.closing = b"\r\nconnection: close" in lower
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.find(b"\r\n", at + 17)
            self._left = int(lower[at + 17 : end if end >= 0 else None])
        elif b"\r\ntransfer-encoding:" in lower and b"chunked" in lower:
            self._chunk = NEED_SIZE
        elif status < 200 or status in (204, 304):
            self._left = 0
        else:
            self._left = -1
        self._status = status

    def _chunks(self, buf: bytes) -> bool:
        """Consume chunked body bytes; True once the last chunk and its trailers are in."""
        while True:
            if self._chunk == NEED_TRAILER:
                if buf.startswith(b"\r\n") or buf.find(b"\r\n\r\n") >= 0:
                    return True
                self._buf = buf
                return False
            if self._chunk == NEED_SIZE:
                line_end = buf.find(b"\r\n")
                if line_end < 0:
                    self._buf = buf
                    return False
                size = int(buf[:line_end].split(b";", 1)[0], 16)
                buf = buf[line_end + 2 :]
                self._chunk = size + 2 if size else NEED_TRAILER
                continue
            assert self._chunk is not None
            take = min(self._chunk, len(buf))
            if self.keep_body:
                self._body.append(buf[:take])
            self._chunk -= take
            buf = buf[take:]
            if self._chunk:
                return False
            self._chunk = NEED_SIZE

    def _complete(self) -> None:
        status = self._status
        body = b"".join(self._body) if self.keep_body else b""
        self._reset()
        self.busy = False
        self.owner.completed(self, status, body)
