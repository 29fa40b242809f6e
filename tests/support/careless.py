"""A server that breaks the contract on purpose, to prove the referee notices."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Careless(BaseHTTPRequestHandler):
    """Plain-text health, a 500 with a traceback, errors without `detail`, a versioned Server."""

    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.11.7"

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, "text/plain", b"ok")
        elif self.path.startswith("/authors"):
            self._answer(500, "text/html", b"Traceback (most recent call last):\n  boom")
        else:
            self._answer(404, "application/json", json.dumps({"error": "nope"}).encode())

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _answer(self, status: int, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def careless_server() -> Iterator[str]:
    """Its base URL, while it runs in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Careless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
