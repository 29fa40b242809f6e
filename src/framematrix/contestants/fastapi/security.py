"""The `hardened` profile: Starlette's middleware, as its docs and FastAPI's "Behind a Proxy" and
"Advanced Middleware" pages set them up, plus the two pieces neither ships.

From the outside in: ProxyHeadersMiddleware (X-Forwarded-Proto from 127.0.0.1 makes the request
HTTPS, whatever the server), security headers, TrustedHostMiddleware (400 for any other Host),
HTTPSRedirectMiddleware for the pages only (the JSON API, its 404s and 405s included, keeps
answering over plain HTTP: API clients neither follow a redirect with their body nor hold a
cookie worth protecting; Django's SECURE_REDIRECT_EXEMPT allows the same). The session
cookie becomes Secure in main.py, and the pages' forms check a CSRF token kept in the session.
Rate limiting comes from an extension, as the article says it must: slowapi's per-route limits
on the home page and the login form (a scraper's or a password-guesser's burst from one
address gets 429). The article names fastapi-limiter, which keeps its counts in Redis; slowapi
keeps them in the process, so the audit needs no Redis, and limits the same way.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import FastAPI, Form, HTTPException, Request
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address
from starlette.datastructures import MutableHeaders
from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

TRUSTED_HOSTS = ["127.0.0.1", "localhost"]
PAGE_PATH = re.compile(r"/|/login|/posts/new|/posts/[^/]+/view")
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
CSRF_SESSION_KEY = "csrf_token"
PAGE_RATE = "10/second"
"""What one address may ask of a limited page: far above a reader's clicks, under a burst."""

limiter = Limiter(key_func=get_remote_address, enabled=False)
"""Off unless `harden` switches it on: the default profile is the framework with no extension."""


class SecurityHeadersMiddleware:
    """The OWASP Secure Headers Project's set on every response; HSTS only over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if scope["scheme"] == "https":
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PagesHTTPSRedirectMiddleware:
    """Starlette's HTTPSRedirectMiddleware for the pages' paths only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.redirect = HTTPSRedirectMiddleware(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = scope["type"] == "http" and PAGE_PATH.fullmatch(scope["path"])
        await (self.redirect if page else self.app)(scope, receive, send)


def harden(app: FastAPI) -> None:
    app.state.csrf_protect = True
    limiter.enabled = True
    app.state.limiter = limiter
    # slowapi types its handler for its own exception, Starlette's signature for any.
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)  # type: ignore[arg-type]
    # add_middleware puts each new one outside the ones before it.
    app.add_middleware(PagesHTTPSRedirectMiddleware)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=TRUSTED_HOSTS)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts="127.0.0.1")


def form_token(request: Request) -> str | None:
    """The session's CSRF token for the forms, when this app checks one (else None)."""
    if not getattr(request.app.state, "csrf_protect", False):
        return None
    return request.session.setdefault(CSRF_SESSION_KEY, secrets.token_urlsafe(32))


async def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """A dependency of every form POST: the token must be the session's (synchronizer token)."""
    if not getattr(request.app.state, "csrf_protect", False):
        return
    expected = request.session.get(CSRF_SESSION_KEY, "")
    if not expected or not secrets.compare_digest(csrf_token.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")
