"""The web side's settings: templates, logins, sessions, and the `hardened` profile.

Kept apart from the API's settings the way Django projects split their settings (`settings.py`
takes these names with `from ... import *`), so that the web side's configuration counts with
the web side, as Flask's and FastAPI's page modules do. FRAMEMATRIX_PROFILE picks `default`
(what `startproject` gives, plus what the pages need) or `hardened` (the deployment checklist
and `check --deploy`).
"""

from __future__ import annotations

import os

import django
from django.core.exceptions import ImproperlyConfigured

PROFILE = os.environ.get("FRAMEMATRIX_PROFILE") or "default"
if PROFILE not in ("default", "hardened"):
    raise ImproperlyConfigured(f"FRAMEMATRIX_PROFILE must be default or hardened, not {PROFILE!r}")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

# The web side's logins: Django's own authentication over the neutral `users` table.
AUTH_USER_MODEL = "blog.User"
LOGIN_URL = "page-login"
LOGIN_REDIRECT_URL = "page-home"
# A new project keeps sessions in the database (the `django_session` table of its migrations);
# the neutral schema has no such table and framematrix owns the schema, so sessions live in a
# signed cookie instead, Django's own engine for that. Its HttpOnly/Secure/SameSite flags are
# the SESSION_COOKIE_* settings, exactly as for database sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

PROFILE_MIDDLEWARE: list[str] = []
"""Middleware the profile adds after SecurityMiddleware (`settings.MIDDLEWARE`)."""

if PROFILE == "hardened":
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Only the pages are redirected: the JSON API, its 404s and 405s included, keeps answering
    # over plain HTTP, since API clients neither follow a redirect with their body nor hold a
    # cookie worth protecting. Exempt is every path but "", login, posts/new, posts/<id>/view.
    SECURE_REDIRECT_EXEMPT = [r"^(?!(|login|posts/new|posts/[^/]+/view)$)"]
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The pages need nothing but themselves: no scripts, no styles from elsewhere, no framing.
    SECURE_CSP = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    # Django 6.0 ships this middleware (same setting); before it, a small one of our own.
    PROFILE_MIDDLEWARE.append(
        "django.middleware.csp.ContentSecurityPolicyMiddleware"
        if django.VERSION >= (6, 0)
        else "framematrix.contestants.django.csp.ContentSecurityPolicyMiddleware"
    )
