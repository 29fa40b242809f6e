"""The upstream service: `GET /profiles/{id}` answered after a set latency, fast enough never
to be what limits a benchmark.

One asyncio Protocol per connection, no framework: each request is timed from the moment its
bytes arrived and answered by an event-loop timer `latency ± jitter` later (never earlier), so
it waits as long as it would on a remote service and costs the service almost no CPU.
Connections are kept alive (HTTP/1.1); answers go out in request order.

A control API on the same port lets tests make it misbehave (answered at once, no latency):

- `GET /_upstream/calls/{id}`: `{"id": "12", "calls": n}`, how many profile requests for that
  id arrived (in any mode), so a check can prove a contestant called once, or not at all;
- `PUT /_upstream/mode?mode=M[&status=S]`: from now on profile requests are `ok` (answered),
  `stall` (read, never answered: the connection stays open), `status` (answered with status S,
  a JSON error, after the latency), `not-json` (200 with an HTML body) or `not-object` (200
  with a JSON array).

The third failure, refusing connections, is the process being stopped: `RunningUpstream`.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from time import monotonic
from urllib.parse import parse_qs

from framematrix.upstream.profiles import encoded_profile

READY = "framematrix-upstream ready"
"""The first line the process prints, followed by its URL."""
MODES = ("ok", "stall", "status", "not-json", "not-object")
MAX_HEAD = 16_384
PROFILES = "/profiles/"
CALLS = "/_upstream/calls/"
MODE = "/_upstream/mode"


@dataclass
class Behaviour:
    """What the service does now; shared by all connections of the process."""

    latency_s: float
    jitter_s: float = 0.0
    mode: str = "ok"
    status: int = 503
    calls: dict[str, int] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def __post_init__(self) -> None:
        if not 0 <= self.jitter_s <= self.latency_s:
            raise ValueError("the jitter must be between 0 and the latency")

    def delay(self) -> float:
        """The wait of one answer: uniform in latency ± jitter (jitter never exceeds latency)."""
        if not self.jitter_s:
            return self.latency_s
        return self.latency_s + self.rng.uniform(-self.jitter_s, self.jitter_s)


def response(status: int, body: bytes, close: bool, media: str = "application/json") -> bytes:
    lines = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        f"Content-Type: {media}",
        f"Content-Length: {len(body)}",
    ]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def error(status: int, detail: str, close: bool) -> bytes:
    return response(status, json.dumps({"detail": detail}).encode(), close)


class _Slot:
    """One request's place in its connection's answer queue."""

    __slots__ = ("close", "data")

    def __init__(self, close: bool) -> None:
        self.data: bytes | None = None
        self.close = close


class UpstreamProtocol(asyncio.Protocol):
    def __init__(self, behaviour: Behaviour, loop: asyncio.AbstractEventLoop) -> None:
        self.behaviour = behaviour
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.pending: deque[_Slot] = deque()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a stream's is a Transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.pending.clear()

    def data_received(self, data: bytes) -> None:
        arrived = monotonic()
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._answer_now(error(431, "request head too large", True), True)
                return
            head = self.buffer[:end].decode("latin-1")
            length = _content_length(head)
            if length is None:
                self._answer_now(error(400, "bad Content-Length", True), True)
                return
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self._request(head, arrived)

    def _request(self, head: str, arrived: float) -> None:
        request_line, _, headers = head.partition("\r\n")
        parts = request_line.split(" ")
        if len(parts) != 3:
            self._answer_now(error(400, "bad request line", True), True)
            return
        method, target, version = parts
        close = "connection: close" in headers.lower() or version == "HTTP/1.0"
        path, _, query = target.partition("?")
        if path.startswith(PROFILES):
            self._profile(method, path[len(PROFILES) :], arrived, close)
        elif path.startswith(CALLS) and method == "GET":
            ident = path[len(CALLS) :]
            body = json.dumps({"id": ident, "calls": self.behaviour.calls.get(ident, 0)})
            self._answer_now(response(200, body.encode(), close), close)
        elif path == MODE and method == "PUT":
            self._answer_now(self._set_mode(query, close), close)
        else:
            self._answer_now(error(404, "unknown path", close), close)

    def _profile(self, method: str, ident: str, arrived: float, close: bool) -> None:
        if method != "GET" or not (ident.isascii() and ident.isdigit()):
            status = 404 if method == "GET" else 405
            self._answer_now(error(status, "no such profile", close), close)
            return
        behaviour = self.behaviour
        behaviour.calls[ident] = behaviour.calls.get(ident, 0) + 1
        slot = _Slot(close)
        self.pending.append(slot)
        if behaviour.mode == "stall":
            return  # never answered; anything sent after it on this connection waits too
        if behaviour.mode == "ok":
            data = response(200, encoded_profile(ident), close)
        elif behaviour.mode == "status":
            data = error(behaviour.status, f"the upstream answers {behaviour.status}", close)
        elif behaviour.mode == "not-json":
            data = response(200, b"<html>upstream error page</html>", close, "text/html")
        else:
            data = response(200, b'["not", "an", "object"]', close)
        due = arrived + behaviour.delay()
        self.loop.call_later(due - monotonic(), self._when_due, slot, data, due)

    def _when_due(self, slot: _Slot, data: bytes, due: float) -> None:
        """uvloop's timers tick in whole milliseconds and may fire a little early: wait out the
        rest, so no answer ever comes before its latency."""
        left = due - monotonic()
        if left > 0:
            self.loop.call_later(left, self._when_due, slot, data, due)
        else:
            self._ready(slot, data)

    def _set_mode(self, query: str, close: bool) -> bytes:
        params = {name: values[-1] for name, values in parse_qs(query).items()}
        mode = params.get("mode", "")
        status = params.get("status", "503")
        if mode not in MODES or not status.isdigit() or not 100 <= int(status) <= 599:
            return error(422, f"mode must be one of {', '.join(MODES)}; status 100-599", close)
        self.behaviour.mode = mode
        self.behaviour.status = int(status)
        return response(200, json.dumps({"mode": mode, "status": int(status)}).encode(), close)

    def _answer_now(self, data: bytes, close: bool) -> None:
        slot = _Slot(close)
        self.pending.append(slot)
        self._ready(slot, data)

    def _ready(self, slot: _Slot, data: bytes) -> None:
        """Mark `slot` answered and send every answer that is due, in request order."""
        slot.data = data
        transport = self.transport
        while transport is not None and self.pending and self.pending[0].data is not None:
            done = self.pending.popleft()
            assert done.data is not None
            transport.write(done.data)
            if done.close:
                transport.close()
                self.transport = None
                self.pending.clear()


def _content_length(head: str) -> int | None:
    lower = head.lower()
    at = lower.find("\r\ncontent-length:")
    if at < 0:
        return 0
    end = lower.find("\r\n", at + 2)
    value = lower[at + 17 : end if end >= 0 else None].strip()
    return int(value) if value.isdigit() and int(value) <= MAX_HEAD else None


async def serve(host: str, port: int, behaviour: Behaviour) -> asyncio.Server:
    """Listen on (host, port); port 0 picks a free one (read it from the returned server)."""
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: UpstreamProtocol(behaviour, loop), host, port, reuse_address=True, backlog=1024
    )
