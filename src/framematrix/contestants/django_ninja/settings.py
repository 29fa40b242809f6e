"""The `django` contestant's project settings, with the Ninja API's URLs and Django's advice for
ASGI: no persistent connections (each request's ORM calls run in a thread of their own), and the
database backend's own pool instead where it has one (psycopg's, since Django 5.1)."""

from __future__ import annotations

from framematrix.contestants.django.settings import *  # noqa: F403
from framematrix.contestants.django.settings import DATABASES, MIDDLEWARE

ROOT_URLCONF = "framematrix.contestants.django_ninja.urls"
ASGI_APPLICATION = "framematrix.contestants.django_ninja.asgi.application"
MIDDLEWARE = [*MIDDLEWARE, "framematrix.contestants.django_ninja.errors.JSONMethodNotAllowed"]

_default = {**DATABASES["default"], "CONN_MAX_AGE": 0}
if _default["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool, 4 connections kept and at most 15, SQLAlchemy's 5 + 10 per worker.
    _default["OPTIONS"] = {**_default.get("OPTIONS", {}), "pool": {"min_size": 4, "max_size": 15}}
DATABASES = {"default": _default}
