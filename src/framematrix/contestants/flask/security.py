"""The `hardened` profile: Flask's "Security Considerations" page, Flask-WTF and Flask-Talisman.

- Behind a TLS proxy, Werkzeug's ProxyFix makes X-Forwarded-Proto the request's scheme.
- TRUSTED_HOSTS (Flask 3.1) answers 400 to any other Host.
- Flask-WTF's CSRFProtect checks a token on every form POST; the JSON API blueprint is exempt
  (it is not cookie-authenticated; WEB_CONTRACT.md).
- Flask-Talisman sends the security headers (CSP default-src 'self', HSTS on HTTPS, nosniff,
  X-Frame-Options, Referrer-Policy) and makes the session cookie Secure, HttpOnly, SameSite=Lax.
  Its HTTPS redirect is replaced by one for the pages blueprint only: the JSON API, its 404s
  and 405s included, keeps answering over plain HTTP (API clients neither follow a redirect with
  their body nor hold a cookie worth protecting), as Django's SECURE_REDIRECT_EXEMPT allows.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, request
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

TRUSTED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]


def harden(app: Flask, api: Blueprint) -> None:
    app.config.update(
        TRUSTED_HOSTS=TRUSTED_HOSTS,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]  # Flask's documented way
    CSRFProtect(app).exempt(api)
    Talisman(app, force_https=False)
    app.before_request(_redirect_to_https)


def _redirect_to_https() -> Response | None:
    if request.is_secure or request.blueprint != "pages":
        return None
    return redirect(request.url.replace("http://", "https://", 1), code=301)
