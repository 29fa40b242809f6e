"""A small HTTP/1.1 client over the standard library, for the contract suite.

The suite is part of the tool (`framematrix verify`), so it needs no dependency beyond Python.
Every exchange is kept, so checks that look at all responses at once (no 5xx, no leaked
tracebacks) can run after the others.
"""

from __future__ import annotations

import http.client
import json
import select
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from framematrix.errors import FramematrixError

TIMEOUT_S = 10.0
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Response:
    method: str
    path: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    def json(self) -> Any:
        """The parsed body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def describe(self) -> str:
        text = self.body[:200].decode("utf-8", errors="replace")
        return f"{self.method} {self.path} -> {self.status} {text!r}"


class Client:
    """Sends each request on a fresh connection, so one bad answer cannot poison the next."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_S) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise FramematrixError(f"bad URL {base_url!r}: use http://HOST:PORT")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.log: list[Response] = []

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send `body` as JSON (or `raw` bytes as they are) and read the whole answer."""
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
            sent["Content-Length"] = str(len(data))
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, self.prefix + path, skip_accept_encoding=True)
            for key, value in sent.items():
                conn.putheader(key, value)
            conn.endheaders()
            if data is not None:
                _send_until_answered(conn, data)
            answer = conn.getresponse()
            response = Response(
                method, path, answer.status, tuple(answer.getheaders()), answer.read()
            )
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectionFailed(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
        self.log.append(response)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, body: object) -> Response:
        return self.request("POST", path, body)

    def put(self, path: str, body: object) -> Response:
        return self.request("PUT", path, body)

    def patch(self, path: str, body: object) -> Response:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> Response:
        return self.request("DELETE", path)


class ConnectionFailed(Exception):
    """The server closed the connection or did not answer in time."""


def _send_until_answered(conn: http.client.HTTPConnection, data: bytes) -> None:
    """Send the body in chunks, stopping early when the server has already answered.

    A server may reject a too-large body (413) after reading only its headers and close the
    connection; carrying on sending would turn its answer into a connection reset.
    """
    sock = conn.sock
    assert sock is not None
    for start in range(0, len(data), CHUNK):
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            return
        try:
            sock.sendall(data[start : start + CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            return
