"""Django settings for production: DEBUG off, a connection pool (persistent connections on
SQLite), JSON in and out.

The database comes from FRAMEMATRIX_DB_URL, the one URL every contestant is started with. The
web side's settings (templates, logins, sessions, the FRAMEMATRIX_PROFILE profiles) are in
web_settings.py and come in with the import below.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import django

from framematrix.contestants.django.web_settings import *  # noqa: F403
from framematrix.contestants.django.web_settings import PROFILE_MIDDLEWARE
from framematrix.db import broker
from framematrix.db.url import SQLITE_BUSY_TIMEOUT_MS, DatabaseURL, worker_threads
from framematrix.upstream.settings import UpstreamSettings

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

# The list a new `django-admin startproject` writes, plus what the profile adds (none by default).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *PROFILE_MIDDLEWARE,
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "framematrix.contestants.django.urls"

WSGI_APPLICATION = "framematrix.contestants.django.wsgi.application"


POOL_DEFAULT = 4
"""psycopg_pool's own default size, where the server runs no threads."""


def database(db: DatabaseURL) -> dict[str, Any]:
    """Django's DATABASES entry for the neutral database.

    PostgreSQL: psycopg's connection pool (Django 5.1's `OPTIONS["pool"]`, its databases docs'
    production option), one per worker, as many connections as the worker has threads, so
    every contestant on PostgreSQL holds a pool and no thread waits for one; Django needs
    CONN_MAX_AGE 0 with it. Parameters are bound client-side, Django's default: its docs offer
    `server_side_binding` as an opt-in with caveats, and Django prepares no statement unless
    told a `prepare_threshold` its docs never name. SQLite has no pool in Django: persistent
    connections, as the deployment checklist advises. CONN_HEALTH_CHECKS stays off, as
    pre-ping does in the SQLAlchemy contestants: one policy for all (FAIRNESS.md).
    """
    if db.is_sqlite:
        return {
            "CONN_MAX_AGE": 600,
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
    server = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts["name"],
        "USER": parts["user"],
        "PASSWORD": parts["password"],
        "HOST": parts["host"],
        "PORT": parts["port"],
    }
    if django.VERSION < (5, 1):  # no pool before Django 5.1 (a version set may run 4.2 LTS)
        return {**server, "CONN_MAX_AGE": 600}
    size = worker_threads(POOL_DEFAULT)
    return {**server, "CONN_MAX_AGE": 0, "OPTIONS": {"pool": {"min_size": size, "max_size": size}}}


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

# The realtime side (asgi.py): Channels and its Redis channel layer, on the broker every realtime
# contestant uses. `capacity` is raised from channels-redis' default of 100 messages per channel:
# past it, group_send drops messages silently, and the contract lets no reading be dropped while
# a subscriber's socket is open; a burst of readings from 1,000 devices passes 100 at once.
# `socket_timeout` is None as before redis-py 8, whose 5 s default is also the length of the
# layer's blocking receive (BZPOPMIN): on a busy machine the read times out first, the consumer
# dies, and an idle subscriber is dropped without a close frame (channels_redis issue 422).
ASGI_APPLICATION = "framematrix.contestants.django.asgi.application"
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": broker.url(), "socket_timeout": None}],
            "capacity": 100_000,
        },
    }
}
