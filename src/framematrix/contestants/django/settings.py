"""Django settings for production: DEBUG off, persistent connections, JSON in and out.

The database comes from FRAMEMATRIX_DB_URL, the one URL every contestant is started with.
FRAMEMATRIX_PROFILE picks `default` (what `startproject` gives, plus what the pages need) or
`hardened` (the deployment checklist and `check --deploy`, at the end of this file).
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import django
from django.core.exceptions import ImproperlyConfigured

from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS, DatabaseURL
from framematrix.upstream.settings import UpstreamSettings

PROFILE = os.environ.get("FRAMEMATRIX_PROFILE") or "default"
if PROFILE not in ("default", "hardened"):
    raise ImproperlyConfigured(f"FRAMEMATRIX_PROFILE must be default or hardened, not {PROFILE!r}")

DEBUG = False
# Sessions and CSRF tokens are signed with it. A per-process key serves one worker; with several,
# give them all the same DJANGO_SECRET_KEY, or a login made in one worker is unknown to the next.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# What the standard middleware below needs, DRF, and the blog app itself.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "framematrix.contestants.django.apps.BlogConfig",
]

# The list a new `django-admin startproject` writes, unchanged.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "framematrix.contestants.django.urls"

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
WSGI_APPLICATION = "framematrix.contestants.django.wsgi.application"


def database(db: DatabaseURL) -> dict[str, Any]:
    """Django's DATABASES entry for the neutral database, with persistent connections."""
    common = {
        # Keep each worker's connection across requests, as Django's deployment checklist
        # advises; the health check replaces one the server has closed.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
    if db.is_sqlite:
        return {
            **common,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(db.sqlite_path),
            "OPTIONS": {
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "init_command": "PRAGMA foreign_keys = ON",
                # Take the write lock when a transaction starts, so concurrent writers wait
                # for the busy timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
            },
        }
    parts = db.pg_parts
    return {
        **common,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts["name"],
        "USER": parts["user"],
        "PASSWORD": parts["password"],
        "HOST": parts["host"],
        "PORT": parts["port"],
    }


DATABASES = {"default": database(DatabaseURL.from_env())}

REST_FRAMEWORK = {
    # JSON only: no browsable API in production.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["framematrix.contestants.django.parsers.JSONObjectParser"],
    "DEFAULT_PAGINATION_CLASS": (
        "framematrix.contestants.django.pagination.LimitOffsetListPagination"
    ),
    # The JSON API has no users (the web pages do). DRF's default session authentication would
    # tie the API to the pages' cookie and CSRF token; the contract wants neither.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "EXCEPTION_HANDLER": "framematrix.contestants.django.exceptions.exception_handler",
    # `?format=` would otherwise pick a renderer, and 404 on an unknown one; the contract
    # ignores unknown query parameters.
    "URL_FORMAT_OVERRIDE": None,
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The upstream service of GET /authors/{id}/profile, from FRAMEMATRIX_UPSTREAM_URL and _TIMEOUT_S.
UPSTREAM = UpstreamSettings.from_env()

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
    MIDDLEWARE.insert(
        1,
        "django.middleware.csp.ContentSecurityPolicyMiddleware"
        if django.VERSION >= (6, 0)
        else "framematrix.contestants.django.csp.ContentSecurityPolicyMiddleware",
    )
