"""A deliberately plain HTTP client for probing: exact headers, no redirects followed, raw cookies.

Probes need what browsers and friendly clients hide: the `Host` header as sent, every
`Set-Cookie` with its attributes, a 302 as a 302. The standard library's `http.client` gives
exactly that, so the audit needs no extra dependency.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from framematrix.errors import FramematrixError

TIMEOUT_S = 15.0
USER_AGENT = "framematrix-audit"


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
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header of that name, case-insensitively."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def header_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The decoded body; its shape is whatever the server sent, so callers check it."""
        return json.loads(self.body)

    @property
    def set_cookies(self) -> list[SetCookie]:
        return [SetCookie.parse(v) for v in self.header_all("set-cookie")]

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308)


@dataclass
class Client:
    """One visitor: a cookie jar and the headers every request of this visitor carries.

    `forwarded_https` sends `X-Forwarded-Proto: https`, the way a TLS-terminating proxy in front
    of the contestant would, so hardened profiles neither redirect nor refuse the probe.
    """

    base_url: str
    forwarded_https: bool = True
    cookies: dict[str, str] = field(default_factory=dict)
    seen_cookies: list[SetCookie] = field(default_factory=list)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        form: dict[str, str] | None = None,
        json_body: object = None,
    ) -> Response:
        sent = {"User-Agent": USER_AGENT, "Accept": "text/html,application/json;q=0.9"}
        if self.forwarded_https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # A same-origin Referer: Django checks it on HTTPS; the token check is what we probe.
            sent["Referer"] = f"https://{self.host}{path}"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        response = self._send(method, path, sent, body)
        self._remember(response.set_cookies)
        return response

    def _send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> Response:
        parts = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT_S)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            return Response(raw.status, raw.getheaders(), raw.read())
        except (OSError, http.client.HTTPException) as exc:
            raise FramematrixError(f"{method} {self.base_url}{path} failed: {exc}") from None
        finally:
            conn.close()

    def _remember(self, cookies: list[SetCookie]) -> None:
        for cookie in cookies:
            self.seen_cookies.append(cookie)
            if cookie.deleted:
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and (values.get("type") or "").lower() == "hidden" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page's forms: where frameworks put their CSRF token."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields
