"""After a separate warm-up, wrk and ab wait until the server has answered what the warm-up
left in flight: a probe on a new connection queues behind it on a server that queues."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from framematrix.engines.base import LoadPlan
from framematrix.engines.tool import drain
from framematrix.scenarios import get

SERVICE_S = 0.2
LEFT_IN_FLIGHT = 5


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(SERVICE_S)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def one_at_a_time() -> Iterator[HTTPServer]:
    """A server that answers one request at a time, in the order they came."""
    server = HTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_drain_waits_for_the_requests_left_in_flight(one_at_a_time: HTTPServer) -> None:
    port = one_at_a_time.server_address[1]
    left = [socket.create_connection(("127.0.0.1", port)) for _ in range(LEFT_IN_FLIGHT)]
    for sock in left:  # a warm-up that ended: requests sent, their answers never read
        sock.sendall(b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
    plan = LoadPlan(base_url=f"http://127.0.0.1:{port}", scenario=get("health"), concurrency=1)
    waited = drain(plan)
    for sock in left:
        sock.close()
    assert waited >= (LEFT_IN_FLIGHT - 1) * SERVICE_S  # it queued behind them (a lower bound)


def test_the_drain_of_a_server_that_is_gone_returns_at_once() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = sock.getsockname()[1]
        plan = LoadPlan(base_url=f"http://127.0.0.1:{port}", scenario=get("health"), concurrency=1)
        assert drain(plan) < 5  # refused at once; the measured run then reports the failure
