"""One HTTP/1.1 connection as an asyncio Protocol: send a request, parse its response.

Callbacks instead of coroutines keep the hot path short: llhttp (through httptools) parses each
read in C and calls back a few times per response; the response's last byte arrives in
`data_received`, and the owner sends the next request from that same call.

llhttp decides the framing: the head, Content-Length, chunked bodies (decoded, their CRLFs
gone), and Transfer-Encoding over Content-Length (RFC 9112 §6.3; strict llhttp refuses a
response with both, its `lenient_chunked_length` makes Transfer-Encoding win). This module
decides what llhttp cannot know or gets wrong:

- persistence (RFC 9112 §9.3): a `close` token anywhere in Connection ends the connection
  whatever the version (llhttp keeps an HTTP/1.0 `keep-alive, close` open); HTTP/1.0 persists
  only with `keep-alive`; a body read until close ends it too;
- 1xx interim responses (100 Continue, 103 Early Hints) are skipped; 101 was never asked for,
  so it is a protocol error;
- the response to HEAD has no body (llhttp is not told the request's method);
- a body without length ends at the server's FIN (`eof_received`), not at a reset.

The hot path registers no header callback: one Python call per header would cost more than
the rest of the parse. The few questions that need the headers (a HEAD response's persistence,
a response llhttp keeps alive that does not start `HTTP/1.1` in its first read or came after a
1xx, a body cut by the close) are rare, and are asked of a second parse of the bytes that
carried the head (`Head`).

Framing is strict: a byte beyond the response or sent while no request is outstanding is a
`protocol` error on that connection (counted by the owner, the connection dropped), never
skipped. In the same read as the response, llhttp shows such bytes by starting another message
(`on_message_begin`, an error once the response is complete), except empty lines (CR, LF),
which it skips between messages without a word. So a read that ends in CR or LF, and every read
for a HEAD (whose parse stops at the head), is fed in two parts: all but its last byte, then
the last byte; a response complete after the first part had bytes behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
from time import monotonic
from typing import Protocol

import httptools

from framematrix.engines.builtin.flows import Flow

LINE_START = frozenset(b"\r\n")
NO_BODY = frozenset({204, 304})


class Owner(Protocol):
    def completed(self, conn: Connection, status: int, body: bytes) -> None: ...

    def failed(self, conn: Connection, kind: str) -> None:
        """A request went unanswered: `read` (the connection ended) or `protocol`."""
        ...

    def lost_idle(self, conn: Connection, kind: str | None) -> None:
        """A connection with no request outstanding ended; `protocol` if it sent bytes."""
        ...


class ProtocolError(Exception):
    """The server sent something that is not the response to the request outstanding."""


class _HeadEnded(Exception):
    """Stops llhttp at the end of the final head (after a HEAD, it would wait for a body)."""


class Head:
    """The final response's head, parsed again from the bytes that carried it."""

    __slots__ = ("close", "has_length", "keep_alive", "parser", "status", "transfer", "version")

    def __init__(self, data: bytes) -> None:
        self.status = 0
        self.version = ""
        self._forget_headers()
        self.parser = _parser(self)
        with contextlib.suppress(httptools.HttpParserError, httptools.HttpParserUpgrade):
            self.parser.feed_data(data)
        del self.parser  # it refers back to self

    def _forget_headers(self) -> None:
        self.close = False
        self.keep_alive = False
        self.has_length = False
        self.transfer: bytes | None = None

    @property
    def persists(self) -> bool:
        """RFC 9112 §9.3: `close` ends it whatever the version; 1.0 needs `keep-alive`."""
        return not self.close and (self.version != "1.0" or self.keep_alive)

    @property
    def until_close(self) -> bool:
        """RFC 9112 §6.3: the body is the rest of the connection (no length, or not chunked)."""
        if self.transfer is not None:
            return self.transfer.rsplit(b",", 1)[-1].strip().lower() != b"chunked"
        return not self.has_length

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"connection":
            for token in value.lower().split(b","):
                token = token.strip()
                self.close = self.close or token == b"close"
                self.keep_alive = self.keep_alive or token == b"keep-alive"
        elif name == b"content-length":
            self.has_length = True
        elif name == b"transfer-encoding":
            self.transfer = value if self.transfer is None else self.transfer + b"," + value

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if self.status >= 200:
            self.version = self.parser.get_http_version()
            raise _HeadEnded

    def on_message_complete(self) -> None:
        self._forget_headers()  # an interim response's headers say nothing of the final one


class Connection(asyncio.Protocol):
    __slots__ = (
        "_body",
        "_complete",
        "_fresh",
        "_head_only",
        "_headers_done",
        "_interim",
        "_reads",
        "_status",
        "busy",
        "closing",
        "flow",
        "gone",
        "keep_body",
        "owner",
        "parser",
        "sent_at",
        "started",
        "timed_out",
        "transport",
    )

    def __init__(self, owner: Owner) -> None:
        self.owner = owner
        self.transport: asyncio.Transport | None = None
        self.parser = _parser(self)
        self.flow: Flow | None = None
        self.started = 0.0
        """When the request was meant to go: its latency is counted from here."""
        self.sent_at = 0.0
        self.busy = False
        """A request is outstanding."""
        self.closing = False
        self.gone = False
        """The owner has been told this connection is over."""
        self.timed_out = False
        self.keep_body = False
        self._head_only = False
        self._fresh = False
        self._body: list[bytes] = []
        self._reads: list[bytes] = []
        """The reads of this exchange up to the final head: what `Head` parses again."""
        self._next_response()
        self._interim = False

    def _next_response(self) -> None:
        self._status = 0
        self._headers_done = False
        self._complete = False

    def send(self, flow: Flow, started: float | None = None) -> None:
        """Send the flow's next request; its latency counts from `started`, else from now."""
        assert self.transport is not None
        self.flow = flow
        self.busy = True
        self._fresh = True
        self._interim = False
        self._reads.clear()
        step = flow.steps[flow.step]
        self.keep_body = step.carries_id
        self._head_only = step.head_only
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
        try:
            if not self.busy:
                raise ProtocolError("bytes while no request was outstanding")
            if self._fresh:
                self._fresh = False
                if data[0] in LINE_START:
                    raise ProtocolError("an empty line before the status line")
            if not self._headers_done:
                self._reads.append(data)
            if len(data) > 1 and (data[-1] in LINE_START or self._head_only):
                self._feed(memoryview(data)[:-1])
                if self._complete:
                    raise ProtocolError("bytes beyond the response")
                self._feed(data[-1:])
            else:
                self._feed(data)
        except ProtocolError:
            return self._fail("protocol", drop=True)
        if self._complete:
            self._finish()
        return None

    def eof_received(self) -> None:
        """The server's FIN: it ends a body that has no length; anything else is cut short."""
        if self.busy and self._headers_done and not self._complete and self._until_close():
            self.closing = True
            self._finish()
        # returning None lets the transport close itself: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        if not self.gone:
            self._fail("read" if self.busy else None, drop=False)

    # llhttp's callbacks (httptools calls them by name)

    def on_message_begin(self) -> None:
        if self._complete:
            raise ProtocolError("bytes beyond the response")

    def on_headers_complete(self) -> None:
        self._status = status = self.parser.get_status_code()
        if status >= 200:
            self._headers_done = True
            if self._head_only:
                self._complete = True
                self.closing = not self._head().persists
                raise _HeadEnded

    def on_body(self, body: bytes) -> None:
        if self.keep_body:
            self._body.append(body)

    def on_message_complete(self) -> None:
        if self._status < 200:
            if self._status == 101:
                raise ProtocolError("101 Switching Protocols, never asked for")
            self._interim = True
            self._next_response()  # an interim response: the final one follows
            return
        if self._complete:
            raise ProtocolError("a second response to one request")
        self._complete = True
        persists = self.parser.should_keep_alive()
        if persists and (self._interim or self._reads[0][:8] != b"HTTP/1.1"):
            persists = self._head().persists  # llhttp keeps a 1.0 `keep-alive, close` open
        self.closing = not persists

    # parsing

    def _feed(self, data: bytes | memoryview) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            raise ProtocolError("an upgrade, never asked for") from None
        except httptools.HttpParserError:
            if not (self._head_only and self._complete):
                raise ProtocolError("not a valid HTTP/1.x response") from None
            self.parser = _parser(self)  # llhttp stays failed once a callback stopped it

    def _until_close(self) -> bool:
        if self._head_only or self._status in NO_BODY:
            return False
        return self._head().until_close

    def _head(self) -> Head:
        return Head(b"".join(self._reads))

    def _finish(self) -> None:
        status = self._status
        body = b"".join(self._body) if self.keep_body else b""
        self._body.clear()
        self._next_response()
        self.busy = False
        self.owner.completed(self, status, body)

    def _fail(self, kind: str | None, drop: bool) -> None:
        """The connection is over (or cannot be trusted: `drop`); tell the owner, once."""
        busy, self.busy = self.busy, False
        if drop:
            self.abort()
        if self.gone:
            return
        self.gone = True
        if busy:
            self.owner.failed(self, kind or "read")
        else:
            self.owner.lost_idle(self, kind)


def _parser(callbacks: Connection | Head) -> httptools.HttpResponseParser:
    parser = httptools.HttpResponseParser(callbacks)
    parser.set_dangerous_leniencies(lenient_chunked_length=True)
    return parser
