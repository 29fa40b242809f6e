"""A tiny HTTP/1.1 server whose latency is known, for checking what load engines report.

Every request is answered `--latency-ms` after it arrives (plain asyncio timers: never early,
at most about a millisecond late). With `--stall-after-s`, the whole server freezes once for
`--stall-s` seconds (a blocking sleep, like a long GC pause) at the first request that arrives
that long after the first one. `--close` answers `Connection: close`; `--chunked` sends the body
in chunks; `--trailing-crlf` writes an empty line after each response (a framing error a client
must not skip). `--batch-ms P` answers instead at fixed ticks every P ms from the server's start,
every request that arrived before a tick at once (a server that finishes its connections'
requests together): C connections get C answers per P ms. `--accept-log PATH` appends the
`time.monotonic()` of each accepted connection to PATH, one a line (system-wide on Linux, so a
test can compare it with its own clock).
`--host` is the address it listens on (default 127.0.0.1).

Run: python delay_server.py --port N [options]; prints "ready" once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time

BODY = b'{"id": 7, "status": "ok"}'


class Handler(asyncio.Protocol):
    def __init__(self, options: argparse.Namespace, state: dict[str, float]) -> None:
        self.options = options
        self.state = state
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        if self.options.accept_log:
            with open(self.options.accept_log, "a") as log:
                log.write(f"{time.monotonic()!r}\n")

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].lower()
            length = 0
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                line_end = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : line_end if line_end >= 0 else None])
            if len(self.buf) < end + 4 + length:
                return
            self.buf = self.buf[end + 4 + length :]
            self.request(head)

    def request(self, head: bytes) -> None:
        now = time.monotonic()
        first = self.state.setdefault("first", now)
        stall_after = self.options.stall_after_s
        if stall_after is not None and not self.state.get("stalled") and now - first >= stall_after:
            self.state["stalled"] = 1
            time.sleep(self.options.stall_s)
        first_line = head.split(b"\r\n", 1)[0]
        close = (
            self.options.close
            or b"\r\nconnection: close" in head
            or (first_line.endswith(b"http/1.0") and b"\r\nconnection: keep-alive" not in head)
        )
        asyncio.get_running_loop().call_later(self.delay_s(now), self.respond, close)

    def delay_s(self, now: float) -> float:
        if not self.options.batch_ms:
            return float(self.options.latency_ms) / 1000
        period = self.options.batch_ms / 1000
        ticks = math.floor((now - self.state["epoch"]) / period) + 1
        return self.state["epoch"] + ticks * period - now

    def respond(self, close: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if self.options.chunked:
            half = len(BODY) // 2
            body = b"".join(
                b"%x\r\n%s\r\n" % (len(part), part) for part in (BODY[:half], BODY[half:])
            )
            framing = b"Transfer-Encoding: chunked\r\n"
            body += b"0\r\n\r\n"
        else:
            body = BODY
            framing = b"Content-Length: %d\r\n" % len(BODY)
        connection = b"close" if close else b"keep-alive"
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + framing
            + b"Connection: "
            + connection
            + b"\r\n\r\n"
            + body
            + (b"\r\n" if self.options.trailing_crlf else b"")
        )
        if close:
            self.transport.close()


async def serve(options: argparse.Namespace) -> None:
    state: dict[str, float] = {"epoch": time.monotonic()}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Handler(options, state), options.host, options.port, backlog=1024
    )
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--batch-ms", type=float, default=None)
    parser.add_argument("--stall-after-s", type=float, default=None)
    parser.add_argument("--stall-s", type=float, default=1.0)
    parser.add_argument("--close", action="store_true")
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--trailing-crlf", action="store_true")
    parser.add_argument("--accept-log", default=None)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
