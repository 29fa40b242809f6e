"""The builtin engine's response parser, byte by byte, without a server.

The unit is `http.Connection`: it is fed reads as asyncio would (`data_received`,
`eof_received`, `connection_lost`), with a recording owner and transport around it. Every valid
response is also fed split at every byte boundary, and one byte at a time, and must give the
same outcome as in one read.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest

from framematrix.engines.base import LoadPlan
from framematrix.engines.builtin.flows import Flow, compile_steps
from framematrix.engines.builtin.http import Connection
from framematrix.scenarios import Scenario, Step

BODY = b'{"id": 42, "name": "x"}'
TWO_STEPS = Scenario("t", "", (Step("GET", "/a"), Step("GET", "/b/{id}")), writes=False)
"""Its first step keeps the response body (the flow reads its id from it)."""
HEAD = Scenario("h", "", (Step("HEAD", "/health"),), writes=False)


@dataclass
class Transport:
    written: list[bytes] = field(default_factory=list)
    closed: bool = False
    aborted: bool = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True


@dataclass
class Owner:
    """Records what the connection reports; like the closed loop, may send the next request."""

    resend: bool = False
    events: list[tuple[object, ...]] = field(default_factory=list)

    def completed(self, conn: Connection, status: int, body: bytes) -> None:
        self.events.append(("completed", status, body, conn.closing))
        assert conn.flow is not None
        conn.flow.advance(status, body)
        if self.resend and not conn.closing:
            conn.send(conn.flow)

    def failed(self, conn: Connection, kind: str) -> None:
        self.events.append(("failed", kind))

    def lost_idle(self, conn: Connection, kind: str | None) -> None:
        self.events.append(("lost_idle", kind))


def connect(scenario: Scenario = TWO_STEPS, resend: bool = False) -> tuple[Connection, Owner]:
    plan = LoadPlan(base_url="http://127.0.0.1:9", scenario=scenario, concurrency=1)
    owner = Owner(resend=resend)
    conn = Connection(owner)
    conn.connection_made(Transport())  # type: ignore[arg-type]
    conn.send(Flow(compile_steps(plan), plan, user=1, run="r"))
    return conn, owner


def feed(reads: list[bytes], *, eof: bool = False, scenario: Scenario = TWO_STEPS,
         resend: bool = False) -> list[tuple[object, ...]]:  # fmt: skip
    conn, owner = connect(scenario, resend)
    for data in reads:
        conn.data_received(data)
    if eof:
        conn.eof_received()
        conn.connection_lost(None)
    return owner.events


def splits(response: bytes) -> list[list[bytes]]:
    """The response in one read, in two at every boundary, and one byte per read."""
    cuts = [[response[:i], response[i:]] for i in range(1, len(response))]
    return [[response], *cuts, [response[i : i + 1] for i in range(len(response))]]


def ok(status: int = 200, body: bytes = BODY, closing: bool = False) -> list[tuple[object, ...]]:
    return [("completed", status, body, closing)]


def cl(head: bytes, body: bytes = BODY, version: bytes = b"1.1") -> bytes:
    return b"HTTP/%s 200 OK\r\n%sContent-Length: %d\r\n\r\n%s" % (version, head, len(body), body)


def chunked(*parts: bytes, head: bytes = b"", trailer: bytes = b"") -> bytes:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts)
    return b"HTTP/1.1 200 OK\r\n%sTransfer-Encoding: chunked\r\n\r\n%s0\r\n%s\r\n" % (
        head,
        chunks,
        trailer,
    )


VALID = {
    "content-length": (cl(b"Server: t\r\n"), ok()),
    "close without space": (cl(b"Connection:close\r\n"), ok(closing=True)),
    "close among tokens": (cl(b"Connection: keep-alive, close\r\n"), ok(closing=True)),
    "close in capitals, spaced": (cl(b"connection:  Upgrade ,CLOSE \r\n"), ok(closing=True)),
    "keep-alive 1.1": (cl(b"Connection: keep-alive\r\n"), ok()),
    "1.0 closes by default": (cl(b"", version=b"1.0"), ok(closing=True)),
    "1.0 keep-alive": (cl(b"Connection: Keep-Alive\r\n", version=b"1.0"), ok()),
    "1.0 keep-alive, close": (
        cl(b"Connection: keep-alive, close\r\n", version=b"1.0"),
        ok(closing=True),
    ),
    "chunked, the id split across chunks": (chunked(b'{"id": 4', b'2, "na', b'me": "x"}'), ok()),
    "chunked with extensions and trailers": (
        chunked(b'{"id": 42, ', b'"name": "x"}', trailer=b"X-Trace: 1\r\n").replace(
            b"\r\n{", b";ext=1\r\n{", 1
        ),
        ok(),
    ),
    "transfer-encoding wins over content-length": (
        chunked(BODY[:5], BODY[5:], head=b"Content-Length: 3\r\n"),
        ok(),
    ),
    "100 and 103 skipped": (
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
        + cl(b""),
        ok(),
    ),
    "204 has no body": (b"HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", ok(204, b"")),
    "304 has no body": (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", ok(304, b"")),
}


@pytest.mark.parametrize("name", VALID)
def test_a_valid_response_reads_the_same_however_it_is_split(name: str) -> None:
    response, expected = VALID[name]
    for reads in splits(response):
        assert feed(reads) == expected, reads


def test_a_chunked_flow_id_is_read_whole() -> None:
    conn, _ = connect()
    conn.data_received(chunked(b'{"id": 1', b"23}"))
    assert conn.flow is not None and conn.flow.flow_id == 123


@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 200 OK\r\n\r\n" + BODY,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n" + BODY,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\n" + BODY,
        b"HTTP/1.0 200 OK\r\n\r\n" + BODY,
    ],
)
def test_a_body_without_length_ends_at_the_servers_close(response: bytes) -> None:
    for reads in splits(response):
        assert feed(reads, eof=True) == [*ok(closing=True), ("lost_idle", None)], reads
    conn, owner = connect()
    conn.data_received(response)
    conn.connection_lost(ConnectionResetError())  # a reset, not a FIN: the body may be cut
    assert owner.events == [("failed", "read")]


@pytest.mark.parametrize(
    "response", [cl(b"")[:-3], chunked(BODY)[:-5], b"HTTP/1.1 200 OK\r\nContent-Le"]
)
def test_a_response_cut_short_by_the_close_is_a_read_error(response: bytes) -> None:
    for reads in splits(response):
        assert feed(reads, eof=True) == [("failed", "read")], reads


def test_a_head_response_has_no_body_and_the_connection_goes_on() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\n\r\n"
    for reads in splits(b"HTTP/1.1 100 Continue\r\n\r\n" + head):
        assert feed(reads, scenario=HEAD) == ok(200, b""), reads
    conn, owner = connect(HEAD, resend=True)
    conn.data_received(head)
    conn.data_received(head)  # the next response on the same connection parses cleanly
    assert owner.events == ok(200, b"") * 2
    assert feed([head.replace(b"1.1", b"1.0", 1)], scenario=HEAD) == ok(200, b"", closing=True)
    keep = head.replace(b"1.1 200 OK\r\n", b"1.0 200 OK\r\nConnection: keep-alive\r\n")
    assert feed([keep], scenario=HEAD) == ok(200, b"")
    for reads in splits(head + b"abc"):  # a body after a HEAD's head is bytes beyond it
        events = feed(reads, scenario=HEAD)
        assert events[-1] in {("failed", "protocol"), ("lost_idle", "protocol")}, reads


def test_keep_alive_responses_follow_each_other_on_one_connection() -> None:
    conn, owner = connect(resend=True)
    for _ in range(3):
        conn.data_received(cl(b""))
    conn.data_received(chunked(BODY))
    assert [event[1] for event in owner.events] == [200] * 4
    assert len(conn.transport.written) == 5  # type: ignore[union-attr]


PROTOCOL_ERRORS = {
    "a byte beyond the body": cl(b"") + b"X",
    "an empty line beyond the body": cl(b"") + b"\r\n",
    "a second response in one read": cl(b"") + cl(b""),
    "bytes after Connection: close": cl(b"Connection: close\r\n") + b"HTTP/1.1",
    "an empty line before the status line": b"\r\n" + cl(b""),
    "101 never asked for": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
    "not HTTP": b"SSH-2.0-OpenSSH_9.2\r\n",
    "a bad Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nabc",
    "a bad chunk size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
}


@pytest.mark.parametrize("name", PROTOCOL_ERRORS)
@pytest.mark.parametrize("resend", [False, True], ids=["idle-after", "next-request-sent"])
def test_bytes_that_are_no_response_are_a_protocol_error_however_split(
    name: str, resend: bool
) -> None:
    response = PROTOCOL_ERRORS[name]
    for reads in splits(response):
        events = feed(reads, resend=resend)
        ends = set(itertools.accumulate(len(data) for data in reads))
        if resend and name == "a second response in one read" and len(cl(b"")) in ends:
            # in reads of its own, after the next request went, it is that request's answer
            assert events == [*ok(), *ok(body=b"")], reads  # step 2 keeps no body
            continue
        assert events[-1] in {("failed", "protocol"), ("lost_idle", "protocol")}, reads
        assert all(event[0] == "completed" for event in events[:-1]), reads


def test_bytes_while_no_request_is_outstanding_drop_the_connection_once() -> None:
    conn, owner = connect()
    conn.data_received(cl(b""))
    conn.data_received(b"H")
    conn.connection_lost(None)  # what asyncio reports after the abort: not counted again
    assert owner.events == [*ok(), ("lost_idle", "protocol")]
    assert conn.transport.aborted  # type: ignore[union-attr]


def test_a_connection_closed_while_idle_is_no_error() -> None:
    conn, owner = connect()
    conn.data_received(cl(b""))
    conn.eof_received()
    conn.connection_lost(None)
    assert owner.events == [*ok(), ("lost_idle", None)]
