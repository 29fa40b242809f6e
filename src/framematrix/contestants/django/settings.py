"""Django settings for production: DEBUG off, persistent connections, JSON in and out.

The database comes from FRAMEMATRIX_DB_URL, the one URL every contestant is started with.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS, DatabaseURL

DEBUG = False
# Nothing is signed (no sessions or CSRF cookies are ever issued), so a per-process key is enough
# unless one is given.
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
    # The contract has no users. DRF's default session and basic authentication would look up
    # a session or a user (tables this schema does not have) for any cookie or Authorization.
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
