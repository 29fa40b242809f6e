"""A deliberately plain HTTP/1.1 client over the standard library, for checking servers: the
contract suite, the security audit and the checks around them.

Checks need what friendly clients hide: the headers exactly as sent, every response kept, a 302
as a 302 (no redirect is followed), every `Set-Cookie` with its attributes, a body sent as raw
bytes. Each request goes on a fresh connection, so one bad answer cannot poison the next, and
the client needs no dependency beyond Python, since it is part of the tool (`framematrix
verify`, `framematrix audit`).
"""

from __future__ import annotations

import http.client
import json
import select
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from framematrix.errors import FramematrixError

TIMEOUT_S = 10.0
CHUNK = 64 * 1024


@dataclass(frozen=True)
class SetCookie:
    """One `Set-Cookie` header: its name, value and attributes (names lower-cased)."""

    name: str
    value: str
    attributes: dict[str, str]

    @classmethod
    def parse(cls, header: str) -> SetCookie:
        first, *rest = header.split(";")
        name, _, value = first.partition("=")
        attributes = {}
        for part in rest:
            key, _, val = part.strip().partition("=")
            if key:
                attributes[key.lower()] = val.strip()
        return cls(name.strip(), value.strip(), attributes)

    @property
    def deleted(self) -> bool:
        """A cookie sent only to remove it (empty, or expired at once)."""
        return self.value in ("", '""') or self.attributes.get("max-age") == "0"

    @property
    def httponly(self) -> bool:
        return "httponly" in self.attributes

    @property
    def secure(self) -> bool:
        return "secure" in self.attributes

    @property
    def samesite(self) -> str | None:
        value = self.attributes.get("samesite")
        return value.capitalize() if value else None

    @property
    def is_csrf(self) -> bool:
        lowered = self.name.lower()
        return "csrf" in lowered or "xsrf" in lowered


@dataclass(frozen=True)
class Response:
    method: str
    path: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def header_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The parsed body; raises ValueError when it is not JSON. Its shape is whatever the
        server sent, so callers check it."""
        return json.loads(self.body.decode("utf-8"))

    def describe(self) -> str:
        text = self.body[:200].decode("utf-8", errors="replace")
        return f"{self.method} {self.path} -> {self.status} {text!r}"

    @property
    def set_cookies(self) -> list[SetCookie]:
        return [SetCookie.parse(v) for v in self.header_all("set-cookie")]

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308)


class ConnectionFailed(FramematrixError):
    """The server closed the connection or did not answer in time."""


@dataclass
class Client:
    """One visitor of one server: the headers it sends with every request, and (with
    `keep_cookies`) a cookie jar, as a browser would keep one."""

    base_url: str
    timeout: float = TIMEOUT_S
    headers: dict[str, str] = field(default_factory=dict)
    keep_cookies: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    seen_cookies: list[SetCookie] = field(default_factory=list)
    log: list[Response] = field(default_factory=list)
    """Every exchange, so checks that look at all responses at once can run after the others."""

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise FramematrixError(f"bad URL {self.base_url!r}: use http://HOST:PORT")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.netloc = parts.netloc
        self.prefix = parts.path.rstrip("/")

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        raw: bytes | None = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send `body` as JSON, `raw` bytes as they are, or `form` as a browser posts a form,
        and read the whole answer."""
        sent = {**self.headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = raw
        if form is not None:
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            scheme = "https" if sent.get("X-Forwarded-Proto") == "https" else "http"
            sent["Referer"] = f"{scheme}://{self.netloc}{path}"  # same-origin, as browsers send
        elif body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
            sent["Content-Length"] = str(len(data))
        sent.update(headers or {})
        response = self._send(method, path, sent, data)
        self.log.append(response)
        if self.keep_cookies:
            self._remember(response.set_cookies)
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

    def _send(
        self, method: str, path: str, headers: dict[str, str], data: bytes | None
    ) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            skip_host = any(k.lower() == "host" for k in headers)
            conn.putrequest(
                method, self.prefix + path, skip_host=skip_host, skip_accept_encoding=True
            )
            for key, value in headers.items():
                conn.putheader(key, value)
            conn.endheaders()
            if data is not None:
                _send_until_answered(conn, data)
            answer = conn.getresponse()
            return Response(method, path, answer.status, tuple(answer.getheaders()), answer.read())
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectionFailed(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()

    def _remember(self, cookies: list[SetCookie]) -> None:
        for cookie in cookies:
            self.seen_cookies.append(cookie)
            if cookie.deleted:
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value


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
